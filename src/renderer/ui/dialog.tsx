import { useEffect, useRef, type FormEvent, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';

const FOCUSABLE = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/** The elements Tab can reach inside `root`, in order (hidden ones left out). */
function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
}

/**
 * A modal dialog. Focus moves into it on open, stays inside it (Tab and Shift+Tab wrap around), and
 * goes back to where it was on close. Escape and the backdrop close it unless `dismissible` is false:
 * a dialog that shows something only once (a new API key) closes only by its explicit button.
 * When `onSubmit` is given the body is a form, so Enter in a field submits.
 */
export function Dialog({
  title,
  onClose,
  onSubmit,
  children,
  footer,
  wide,
  dismissible = true,
  testId = 'dialog',
}: {
  title: ReactNode;
  onClose: () => void;
  onSubmit?: () => void;
  children: ReactNode;
  /** Buttons; when onSubmit is set include a `type="submit"` button. */
  footer?: ReactNode;
  wide?: boolean;
  dismissible?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog-close)');
    (first ?? ref.current)?.focus();
    return () => {
      // The opener may have gone (a deleted row): then focus goes to the screen, never to <body>.
      if (before?.isConnected) before.focus();
      else document.querySelector<HTMLElement>('main')?.focus();
    };
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      if (dismissible) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, dismissible]);

  const trapTab = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = focusables(ref.current);
    if (items.length === 0) {
      e.preventDefault();
      return;
    }
    const first = items[0];
    const last = items[items.length - 1];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !ref.current.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !ref.current.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };

  const body = (
    <>
      <div className="dialog-body">{children}</div>
      {footer && <div className="dialog-foot">{footer}</div>}
    </>
  );

  return (
    <div className="dialog-backdrop" onMouseDown={(e) => dismissible && e.target === e.currentTarget && onClose()}>
      <div
        className={`dialog${wide ? ' dialog-wide' : ''}`}
        role={dismissible ? 'dialog' : 'alertdialog'}
        aria-modal="true"
        aria-label={typeof title === 'string' ? title : undefined}
        ref={ref}
        tabIndex={-1}
        onKeyDown={trapTab}
        data-testid={testId}
      >
        <div className="dialog-head">
          <h2 style={{ margin: 0 }}>{title}</h2>
          {dismissible && (
            <button type="button" className="btn btn-small dialog-close" onClick={onClose} aria-label="Close">
              Esc
            </button>
          )}
        </div>
        {onSubmit ? <form onSubmit={submit} style={{ display: 'contents' }}>{body}</form> : body}
      </div>
    </div>
  );
}

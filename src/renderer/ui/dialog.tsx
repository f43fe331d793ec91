import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/**
 * A modal dialog. Escape and the backdrop close it; when `onSubmit` is given the body is a form, so
 * Enter in a field submits. Focus moves into the dialog on open and back to where it was on close.
 */
export function Dialog({
  title,
  onClose,
  onSubmit,
  children,
  footer,
  wide,
  testId = 'dialog',
}: {
  title: ReactNode;
  onClose: () => void;
  onSubmit?: () => void;
  children: ReactNode;
  /** Buttons; when onSubmit is set include a `type="submit"` button. */
  footer?: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.dialog-close)');
    (first ?? ref.current)?.focus();
    return () => before?.focus?.();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

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
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className={`dialog${wide ? ' dialog-wide' : ''}`} role="dialog" aria-modal="true" aria-label={typeof title === 'string' ? title : undefined} ref={ref} tabIndex={-1} data-testid={testId}>
        <div className="dialog-head">
          <h2 style={{ margin: 0 }}>{title}</h2>
          <button type="button" className="btn btn-small dialog-close" onClick={onClose} aria-label="Close">
            Esc
          </button>
        </div>
        {onSubmit ? <form onSubmit={submit} style={{ display: 'contents' }}>{body}</form> : body}
      </div>
    </div>
  );
}

import { useEffect } from 'react';
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';

/**
 * Short confirmations at the corner of the screen: "Buyer saved", "Floor raised to $12.00 · Undo".
 * A toast may carry one action (an undo); it stays 6 s, or until dismissed. The region is a polite
 * live region, so screen readers announce each toast without moving focus.
 */
export interface ToastAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Toast {
  id: number;
  text: string;
  tone: 'ok' | 'error';
  action?: ToastAction;
}

const TOAST_MS = 6000;
const MAX_TOASTS = 4;

interface ToastState {
  toasts: Toast[];
}

const toastStore = createStore<ToastState>(() => ({ toasts: [] }));
let nextId = 1;

/** Shows a toast and returns its id (for `dismissToast`). */
export function showToast(text: string, options: { tone?: Toast['tone']; action?: ToastAction } = {}): number {
  const toast: Toast = { id: nextId++, text, tone: options.tone ?? 'ok', ...(options.action ? { action: options.action } : {}) };
  toastStore.setState((s) => ({ toasts: [...s.toasts, toast].slice(-MAX_TOASTS) }));
  return toast.id;
}

export function dismissToast(id: number): void {
  toastStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

function ToastItem({ toast }: { toast: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => dismissToast(toast.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast.id]);
  return (
    <div className={`toast toast-${toast.tone}`} data-testid="toast">
      <span>{toast.text}</span>
      {toast.action && (
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            dismissToast(toast.id);
            void toast.action?.run();
          }}
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismissToast(toast.id)}>
        ×
      </button>
    </div>
  );
}

/** The toast region; rendered once by the console shell. */
export function Toasts() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  return (
    <div className="toasts" role="status" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <ToastItem key={t.id} toast={t} />
      ))}
    </div>
  );
}

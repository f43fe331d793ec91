import type { ReactNode } from 'react';
import { Dialog } from './dialog.js';
import { ErrorBanner } from './error-banner.js';

/**
 * "Delete X?": names what goes, says what follows, and shows the engine's refusal in place. `title` and
 * `confirmLabel` replace the wording for a removal that is not a deletion ("Take Acme out of Premium?").
 */
export function ConfirmDeleteDialog({ name, noun, consequence, error, onCancel, onConfirm, title, confirmLabel }: {
  name: string;
  noun: string;
  consequence: ReactNode;
  error: unknown;
  onCancel: () => void;
  onConfirm: () => void;
  title?: string;
  confirmLabel?: string;
}) {
  return (
    <Dialog
      title={title ?? `Delete ${name}?`}
      testId="delete-dialog"
      onClose={onCancel}
      onSubmit={onConfirm}
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel}>Cancel</button>
          <button type="submit" className="btn btn-danger" data-testid="confirm-delete">{confirmLabel ?? `Delete ${noun}`}</button>
        </>
      }
    >
      <p style={{ margin: 0 }}>{consequence}</p>
      <ErrorBanner error={error} />
    </Dialog>
  );
}

import { useState } from 'react';
import { api } from '../../api/client.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';

/**
 * A consumer's request to delete their data (CPRA): blanks the lead's contact fields and consent IP.
 * The audit trail keeps only hashes, so it still verifies, and the erasure itself is an event in it.
 */
export function EraseLeadButton({ leadId, onErased }: { leadId: string; onErased: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const erase = async () => {
    setBusy(true);
    setError(null);
    try {
      await api['leads.erase']({ id: leadId });
      setOpen(false);
      onErased();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className="btn btn-danger" onClick={() => setOpen(true)} data-testid="erase-lead">
        Erase contact data…
      </button>
      {open && (
        <Dialog
          title="Erase this consumer's contact data?"
          testId="erase-dialog"
          onClose={() => setOpen(false)}
          onSubmit={() => void erase()}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setOpen(false)}>Cancel</button>
              <button type="submit" className="btn btn-danger" disabled={busy} data-testid="confirm-erase">Erase</button>
            </>
          }
        >
          <p style={{ margin: 0 }}>
            Names, phone, email and the consent IP are removed from this lead for good. The audit trail keeps its events (they hold
            only hashes) and records the erasure, so it still verifies.
          </p>
          <ErrorBanner error={error} />
        </Dialog>
      )}
    </>
  );
}

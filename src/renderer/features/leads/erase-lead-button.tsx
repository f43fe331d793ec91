import { useState } from 'react';
import { api } from '../../api/client.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';

/**
 * A consumer's request to delete their data (CPRA): erases every lead of the person (found by this
 * lead's phone and email), destroys each lead's key so the trail's hashes become one way, and by
 * default suppresses the person so a re-submission is refused rather than sold again.
 */
export function EraseLeadButton({ leadId, onErased }: { leadId: string; onErased: () => void }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [suppress, setSuppress] = useState(true);

  const erase = async () => {
    setBusy(true);
    setError(null);
    try {
      await api['leads.erase']({ id: leadId, suppress });
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
            Names, phone, email, the consent IP, page and certificate are removed for good from this lead and from every other lead
            of the same person. Exports that hold them are deleted. The audit trail keeps its events, whose hashes can no longer be
            linked to the person, and records the erasure, so it still verifies.
          </p>
          <label className="checkbox">
            <input type="checkbox" checked={suppress} onChange={(e) => setSuppress(e.target.checked)} data-testid="erase-suppress" />
            Also suppress this person (their phone and email are refused from now on)
          </label>
          <ErrorBanner error={error} />
        </Dialog>
      )}
    </>
  );
}

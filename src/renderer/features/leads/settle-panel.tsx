import { useState } from 'react';
import type { AuctionSummary, AuditEventView } from '../../../shared/console-api.js';
import { api } from '../../api/client.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import type { Directory } from '../../ui/use-directory.js';
import { heldPostOf, lateAcceptsOf, type HeldPostView } from './held-post.js';

type Choice = 'sold' | 'released';

function whatHappened(held: HeldPostView): string {
  const at = formatDateTime(held.at);
  if (held.outcome === 'POST_TIMEOUT') return `its post timed out at ${at}`;
  if (held.outcome === 'POST_ERROR') return `its post ended without a clear answer${held.reason ? ` (${held.reason})` : ''} at ${at}`;
  return `the engine stopped after its post started at ${at}`;
}

/**
 * An `unconfirmed` lead: a buyer may hold it, nobody else was sent it. The operator asks the buyer
 * and settles it: sold to that buyer (booked like any sale), or released (unsold, and the source may
 * send the consumer again). Each choice asks for confirmation; the engine audits it.
 */
export function SettlePanel({ leadId, auctions, trail, dir, readOnly, onSettled }: {
  leadId: string;
  auctions: AuctionSummary[];
  trail: AuditEventView[];
  dir: Directory;
  readOnly: boolean;
  onSettled: () => void;
}) {
  const [choice, setChoice] = useState<Choice | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const held = heldPostOf(auctions, trail);
  if (!held) return null;
  const buyer = dir.buyerName(held.buyerId);
  const lateAccepted = lateAcceptsOf(trail).some((l) => l.buyerId === held.buyerId);

  const settle = async (outcome: Choice) => {
    setBusy(true);
    setError(null);
    try {
      await api['leads.settle']({ leadId, outcome, buyerId: held.buyerId });
      setChoice(null);
      onSettled();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel settle-panel" data-testid="settle-panel">
      <h2>Unconfirmed: waiting for you</h2>
      <p style={{ marginTop: 0 }} data-testid="settle-message">
        <strong>{buyer}</strong> may hold this lead: {whatHappened(held)}. Nobody else was sent it.
        {held.price != null && <> Its bid was {formatMoney(held.price)}.</>}
      </p>
      {lateAccepted && <p className="small"><span className="badge badge-bad">late accept</span> {buyer} accepted after its post timed out.</p>}
      {!readOnly && (
        <div className="actions">
          <button type="button" className="btn btn-primary" onClick={() => setChoice('sold')} data-testid="settle-sold">
            Mark sold to {buyer}…
          </button>
          <button type="button" className="btn" onClick={() => setChoice('released')} data-testid="settle-released">
            Release…
          </button>
        </div>
      )}
      <ErrorBanner error={choice ? null : error} />
      {choice && (
        <Dialog
          title={choice === 'sold' ? `Mark this lead sold to ${buyer}?` : 'Release this lead?'}
          testId="settle-dialog"
          onClose={() => setChoice(null)}
          onSubmit={() => void settle(choice)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setChoice(null)}>Cancel</button>
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="confirm-settle">
                {choice === 'sold' ? 'Mark sold' : 'Release'}
              </button>
            </>
          }
        >
          <p style={{ margin: 0 }}>
            {choice === 'sold'
              ? `${buyer} kept the lead: the sale is booked at its bid, its caps and budget are charged and the source's payout is computed.`
              : `Nobody holds the lead: it ends unsold and the source may send this consumer again.`}{' '}
            The decision is recorded in the audit trail under your name.
          </p>
          <ErrorBanner error={error} />
        </Dialog>
      )}
    </section>
  );
}

/** Late acceptances flagged on a settled or sold lead; two buyers holding it is said plainly. */
export function LateAcceptNotice({ trail, dir }: { trail: AuditEventView[]; dir: Directory }) {
  const late = lateAcceptsOf(trail);
  if (late.length === 0) return null;
  return (
    <div className="error-banner" data-testid="late-accept-notice">
      <div className="error-body">
        {late.map((l) => (
          <div key={`${l.buyerId}-${l.at}`}>
            <span className="badge badge-bad">late accept</span> {dir.buyerName(l.buyerId)} accepted this lead after its post timed out ({formatDateTime(l.at)})
            {l.alsoSoldTo && <strong>: {dir.buyerName(l.alsoSoldTo)} holds it too.</strong>}
          </div>
        ))}
      </div>
    </div>
  );
}

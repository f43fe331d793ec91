import { useMemo, useState } from 'react';
import type { TreeChange } from '../../../shared/tree-change.js';
import type { WhatIfResult } from '../../../shared/whatif-views.js';
import { api } from '../../api/client.js';
import { useConsole, useReadOnly } from '../../store/use-console.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { showToast } from '../../ui/toasts.js';
import { ChangeEditor } from './change-editor.js';
import { describeChange } from './change-list.js';
import { WhatIfResultView } from './whatif-result.js';
import { closeWhatIf, useWhatIfTarget } from './whatif-target.js';

const WINDOWS: Array<[string, number]> = [['Last 24 hours', 86_400_000], ['Last 7 days', 7 * 86_400_000], ['Last 30 days', 30 * 86_400_000]];

/** The What-if panel, shown while the Ping tree screen has one open (see whatif-target.ts). */
export function WhatIfHost() {
  const target = useWhatIfTarget();
  const campaign = useConsole((s) => s.config.campaigns.find((c) => c.id === target?.campaignId));
  if (!target || !campaign) return null;
  return <WhatIfPanel key={`${target.campaignId}:${target.tierIndex ?? ''}:${JSON.stringify(target.changes ?? [])}`} campaignId={campaign.id} tierIndex={target.tierIndex} initialChanges={target.changes} />;
}

/**
 * Pick changes and a window, replay the recorded auctions on their bids (whatif.run), see before and
 * after with the unknowns, and apply the changes in one audited step (whatif.apply) after confirming.
 */
function WhatIfPanel({ campaignId, tierIndex, initialChanges }: { campaignId: string; tierIndex?: number; initialChanges?: TreeChange[] }) {
  const readOnly = useReadOnly();
  const campaign = useConsole((s) => s.config.campaigns.find((c) => c.id === campaignId));
  const buyerList = useConsole((s) => s.buyers.list);
  const buyers = useMemo(() => new Map(buyerList.map((b) => [b.spec.id, b])), [buyerList]);
  const [changes, setChanges] = useState<TreeChange[]>(initialChanges ?? []);
  const [windowMs, setWindowMs] = useState(WINDOWS[1]?.[1] ?? 7 * 86_400_000);
  const [result, setResult] = useState<{ result: WhatIfResult; changes: TreeChange[]; windowMs: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (!campaign) return null;

  const current = result !== null && result.changes === changes && result.windowMs === windowMs;
  const edit = (next: TreeChange[]) => {
    setChanges(next);
    setConfirming(false);
  };

  const run = async () => {
    setBusy(true);
    setError(null);
    const to = Date.now();
    try {
      setResult({ result: await api['whatif.run']({ campaignId, changes, from: to - windowMs, to }), changes, windowMs });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    if (!result) return;
    setBusy(true);
    setError(null);
    try {
      const described = changes.map((c) => describeChange(c, campaign, buyers)).join('; ');
      await api['whatif.apply']({ campaignId, changes, from: result.result.from, to: result.result.to });
      showToast(`Applied: ${described}`);
      closeWhatIf();
    } catch (err) {
      setError(err);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  const footer = (
    <>
      {confirming ? (
        <>
          <span className="small">Apply {changes.length === 1 ? 'this change' : `these ${changes.length} changes`} to the live ping tree? The audit trail keeps the replay with it.</span>
          <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={busy}>Cancel</button>
          <button type="button" className="btn btn-primary" onClick={() => void apply()} disabled={busy} data-testid="whatif-confirm-apply">Yes, apply</button>
        </>
      ) : (
        <>
          <button type="button" className="btn" onClick={() => void run()} disabled={busy || changes.length === 0} data-testid="whatif-run">{busy ? 'Replaying…' : 'Replay'}</button>
          {!readOnly && (
            <button type="button" className="btn btn-primary" onClick={() => setConfirming(true)} disabled={busy || !current} title={current ? undefined : 'Replay the changes first'} data-testid="whatif-apply">
              Apply…
            </button>
          )}
        </>
      )}
    </>
  );

  return (
    <Dialog title={`What if… (${campaign.name})`} onClose={closeWhatIf} wide footer={footer} testId="whatif-panel">
      <div className="stack">
        <p className="muted small" style={{ margin: 0 }}>
          Replays the campaign&apos;s recorded auctions on the bids buyers actually made, under today&apos;s tree and under the changed tree. Nothing changes until you apply.
        </p>
        <ChangeEditor campaign={campaign} buyers={buyerList} initialTier={tierIndex ?? 0} onAdd={(c) => edit([...changes, c])} />
        {changes.length > 0 ? (
          <ul className="stack" style={{ gap: 2, margin: 0, paddingLeft: 18 }} data-testid="whatif-changes">
            {changes.map((c, i) => (
              <li key={i}>
                {describeChange(c, campaign, buyers)}{' '}
                <button type="button" className="btn btn-small" aria-label="Remove this change" onClick={() => edit(changes.filter((_, j) => j !== i))}>✕</button>
              </li>
            ))}
          </ul>
        ) : (
          <span className="muted small">Add one or more changes, then Replay.</span>
        )}
        <label className="checkbox">
          Window
          <select className="select" value={windowMs} onChange={(e) => setWindowMs(Number(e.target.value))} data-testid="whatif-window">
            {WINDOWS.map(([label, ms]) => <option key={ms} value={ms}>{label}</option>)}
          </select>
        </label>
        <ErrorBanner error={error} />
        {result && (
          <>
            {!current && <span className="muted small">The changes or the window moved since this replay: Replay again to apply.</span>}
            <WhatIfResultView result={result.result} />
          </>
        )}
      </div>
    </Dialog>
  );
}

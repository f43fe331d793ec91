import { useEffect, useState } from 'react';
import type { CampaignSpec } from '../../../shared/domain.js';
import { api } from '../../api/client.js';
import { useConfigVersion } from '../../store/use-console.js';
import { Dialog } from '../../ui/dialog.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime } from '../../ui/format.js';
import { showToast } from '../../ui/toasts.js';
import { useApi } from '../../ui/use-api.js';
import { AbReportView } from './ab-report-view.js';
import { AbStartDialog } from './ab-start-dialog.js';

/** The report refreshes this often while a test runs. */
const REFRESH_MS = 5000;

type Ending = { kind: 'promote'; variant: 'A' | 'B' } | { kind: 'stop' };

/**
 * A/B testing of the campaign's ping tree, under the tree itself: start a test, watch each variant's
 * figures and the significance test, and end it by promoting the better tree in one click.
 */
export function AbTestPanel({ campaign, buyerIds, readOnly }: { campaign: CampaignSpec; buyerIds: string[]; readOnly: boolean }) {
  const version = useConfigVersion();
  const running = campaign.abTest;
  const report = useApi(() => api['ab.report']({ campaignId: campaign.id }), [campaign.id, running?.name, version]);
  const [starting, setStarting] = useState(false);
  const [ending, setEnding] = useState<Ending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(report.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [running, report.reload]);

  const end = async (how: Ending) => {
    setBusy(true);
    setError(null);
    try {
      if (how.kind === 'promote') {
        await api['ab.promote']({ campaignId: campaign.id, variant: how.variant });
        showToast(how.variant === 'B' ? 'Variant B promoted: its tiers are now the campaign’s, and the test has ended' : 'Test ended: the campaign keeps its own tiers');
      } else {
        await api['ab.stop']({ campaignId: campaign.id });
        showToast('Test ended: the campaign keeps its own tiers');
      }
      setEnding(null);
      report.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const shown = report.data;
  return (
    <section className="panel stack" style={{ gap: 10 }} aria-labelledby="ab-title" data-testid="ab-panel">
      <div className="toolbar" style={{ justifyContent: 'space-between' }}>
        <h2 id="ab-title" className="panel-title" style={{ margin: 0 }}>
          A/B test{running ? `: ${running.name}` : ''}
        </h2>
        {!readOnly && (running ? (
          <span className="toolbar">
            <button type="button" className="btn btn-primary" onClick={() => setEnding({ kind: 'promote', variant: 'B' })} data-testid="ab-promote-b">Promote B</button>
            <button type="button" className="btn" onClick={() => setEnding({ kind: 'stop' })} data-testid="ab-stop">End test, keep A</button>
          </span>
        ) : (
          <button type="button" className="btn" onClick={() => setStarting(true)} disabled={campaign.tiers.length === 0} data-testid="ab-start">Start an A/B test…</button>
        ))}
      </div>
      {running ? (
        <div className="muted small">
          Running since {formatDateTime(running.startedAt)}: variant B gets {running.splitPercent}% of leads, A the rest. Figures cover the test’s finished auctions.
        </div>
      ) : (
        <div className="muted small">
          Try a second version of this tree (other floors, buyers in other tiers) on a share of the leads, and keep the one that earns more per lead.
        </div>
      )}
      <ErrorBanner error={report.error ?? error} />
      {shown?.test && (
        <>
          {!shown.test.running && <div className="muted small">Last test: “{shown.test.name}” (ended).</div>}
          <AbReportView report={shown} />
        </>
      )}
      {starting && <AbStartDialog campaign={campaign} buyerIds={buyerIds} onClose={() => setStarting(false)} onStarted={() => setStarting(false)} />}
      {ending && (
        <Dialog
          title={ending.kind === 'promote' ? 'Promote variant B?' : 'End the test and keep A?'}
          testId="ab-end-dialog"
          onClose={() => setEnding(null)}
          onSubmit={() => void end(ending)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setEnding(null)}>Cancel</button>
              <button type="submit" className="btn btn-primary" disabled={busy} data-testid="ab-end-confirm">{ending.kind === 'promote' ? 'Promote B' : 'End test'}</button>
            </>
          }
        >
          <p style={{ margin: 0 }}>
            {ending.kind === 'promote'
              ? 'Variant B’s tiers replace the campaign’s tiers for every lead from now on, and the test ends. The change is audited with the report as it stands.'
              : 'Every lead goes back to the campaign’s own tiers, and the test ends. The change is audited with the report as it stands.'}
          </p>
          {shown && <p className="small" style={{ margin: 0 }}>{shown.summary}</p>}
          <ErrorBanner error={error} />
        </Dialog>
      )}
    </section>
  );
}

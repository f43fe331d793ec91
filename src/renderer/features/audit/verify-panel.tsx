import { consoleStore, useConsole, useJob } from '../../store/use-console.js';
import { jobRatio } from '../../store/jobs-slice.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatDateTime } from '../../ui/format.js';
import { UsageBar } from '../../ui/usage-bar.js';

/** Re-checks the whole hash chain (`audit.verify`), with progress while it runs. */
export function VerifyPanel() {
  const verify = useConsole((s) => s.audit.verify);
  const job = useJob(verify.jobId);
  const ratio = jobRatio(job);
  const result = verify.result;

  return (
    <section className="panel" data-testid="verify-panel">
      <div className="panel-title">
        <h2>Audit trail integrity</h2>
        <button type="button" className="btn btn-primary" onClick={() => void consoleStore.getState().audit.runVerify()} disabled={verify.running} data-testid="verify-button">
          {verify.running ? 'Verifying…' : 'Verify trail'}
        </button>
      </div>
      <p className="muted small" style={{ margin: '0 0 8px' }}>
        Recomputes every event's hash from the one before it, checks every signed checkpoint against the chain, and every lead's record and consent against what was received. Any edited, inserted or deleted event breaks the chain at that point.
      </p>
      {verify.running && (
        <div className="progress-row" data-testid="verify-progress">
          <UsageBar value={job?.done ?? 0} max={job?.total ?? null} label={ratio == null ? `${formatCount(job?.done ?? 0)} events checked` : `${formatCount(job?.done)} of ${formatCount(job?.total)} events`} />
        </div>
      )}
      {result?.ok && (
        <div className="notice" role="status" data-testid="verify-result">
          <span className="badge badge-ok">Intact</span> {formatCount(result.count)} events verified, last seq {formatCount(result.lastSeq)}.
          {result.lastCheckpoint ? (
            <span data-testid="verify-checkpoint">
              {' '}
              Last verified signed checkpoint: seq {formatCount(result.lastCheckpoint.seq)} at {formatDateTime(result.lastCheckpoint.at)}; {formatCount(result.unsignedAfter)} events after it not yet
              signed.
            </span>
          ) : (
            <span data-testid="verify-checkpoint"> No signed checkpoint yet.</span>
          )}
          {result.leads && (
            <span>
              {' '}
              {formatCount(result.leads.intact)} leads match their record as received, {formatCount(result.leads.erased)} erased.
            </span>
          )}
        </div>
      )}
      {result && !result.ok && (
        <div className="error-banner" role="alert" data-testid="verify-result">
          <div className="error-body">
            <span className="badge badge-bad">Broken</span> First bad event: seq <strong>{result.firstBadSeq}</strong> ({formatCount(result.count)} checked). {result.problem}
            {result.detail && <div className="small">{result.detail}</div>}
          </div>
        </div>
      )}
      <ErrorBanner error={verify.error} />
    </section>
  );
}

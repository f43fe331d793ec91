import { consoleStore, useConsole, useJob } from '../../store/use-console.js';
import { jobRatio } from '../../store/jobs-slice.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount } from '../../ui/format.js';
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
        Recomputes every event's hash from the one before it. Any edited, inserted or deleted event breaks the chain at that point.
      </p>
      {verify.running && (
        <div className="progress-row" data-testid="verify-progress">
          <UsageBar value={job?.done ?? 0} max={job?.total ?? null} label={ratio == null ? `${formatCount(job?.done ?? 0)} events checked` : `${formatCount(job?.done)} of ${formatCount(job?.total)} events`} />
        </div>
      )}
      {result?.ok && (
        <div className="notice" role="status" data-testid="verify-result">
          <span className="badge badge-ok">Intact</span> {formatCount(result.count)} events verified, last seq {formatCount(result.lastSeq)}.
        </div>
      )}
      {result && !result.ok && (
        <div className="error-banner" role="alert" data-testid="verify-result">
          <div className="error-body">
            <span className="badge badge-bad">Broken</span> First bad event: seq <strong>{result.firstBadSeq}</strong> ({formatCount(result.count)} checked). {result.problem}
          </div>
        </div>
      )}
      <ErrorBanner error={verify.error} />
    </section>
  );
}

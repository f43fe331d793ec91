import { useConsole } from '../store/use-console.js';

/**
 * Shown on every screen while the engine cannot store what it receives (disk full, I/O error, locked,
 * corrupt or read-only database): sources get 503, nothing is sold, and the engine resumes by itself
 * once the storage takes writes again.
 */
export function StorageBanner() {
  const health = useConsole((s) => s.session.health);
  if (!health || health.status === 'ok') return null;
  const since = health.since ? new Date(health.since).toLocaleTimeString() : null;
  return (
    <div className="storage-banner" role="alert" data-testid="storage-banner">
      <strong>Storage unavailable{since ? ` since ${since}` : ''}</strong>
      <span>
        New leads are refused (503) and nothing is sold until the data folder takes writes again: free disk space or fix the folder; the
        engine resumes by itself.
      </span>
      {health.reason ? <code>{health.reason}</code> : null}
    </div>
  );
}

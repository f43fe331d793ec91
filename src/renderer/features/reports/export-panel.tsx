import { useEffect, useRef } from 'react';
import type { ExportResult } from '../../../shared/console-api.js';
import { consoleStore, useConsole, useJob } from '../../store/use-console.js';
import { jobRatio } from '../../store/jobs-slice.js';
import type { ExportKind, ExportState } from '../../store/reports-slice.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatDateTime } from '../../ui/format.js';
import { UsageBar } from '../../ui/usage-bar.js';

const KINDS: Array<{ kind: ExportKind; label: string }> = [
  { kind: 'leads', label: 'Leads' },
  { kind: 'auctions', label: 'Auctions' },
  { kind: 'audit', label: 'Audit trail' },
];

/** Browser mode downloads from the console server with the session token; Electron shows the file's path. */
export function downloadHref(result: Pick<ExportResult, 'fileName'>): string {
  const token = sessionStorage.getItem('pingdesk.token') ?? '';
  return `/exports/${encodeURIComponent(result.fileName)}?token=${encodeURIComponent(token)}`;
}

/**
 * Starts a download of an export. In browser mode the file arrives in the browser's downloads, as any
 * download does (the console server sends it as an attachment to holders of the session token); in
 * the Electron window the same link asks where to save it (main process, `export-downloads.ts`).
 */
export function startDownload(result: Pick<ExportResult, 'fileName'>): void {
  const a = document.createElement('a');
  a.href = downloadHref(result);
  a.download = result.fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * CSV exports of the selected range, streamed to the data folder's exports/ with a progress bar.
 * A finished export downloads itself (a save dialog in Electron); every export stays listed in Exported files.
 */
export function ExportPanel() {
  const from = useConsole((s) => s.reports.from);
  const to = useConsole((s) => s.reports.to);
  return (
    <section className="panel" data-testid="export-panel">
      <div className="panel-title">
        <h2>Export CSV</h2>
        <span className="muted small">
          {formatDateTime(from)} – {formatDateTime(to)}
        </span>
      </div>
      <div className="stack">
        {KINDS.map((k) => (
          <ExportRow key={k.kind} kind={k.kind} label={k.label} />
        ))}
      </div>
    </section>
  );
}

function ExportRow({ kind, label }: { kind: ExportKind; label: string }) {
  const state: ExportState | undefined = useConsole((s) => s.reports.exports[kind]);
  const mode = useConsole((s) => s.session.info?.mode);
  const job = useJob(state?.jobId);
  const ratio = jobRatio(job);
  const result = state?.result;
  // A finished export downloads at once in browser mode (once per export, not on every render).
  const downloaded = useRef<string | null>(result?.fileName ?? null);
  useEffect(() => {
    if (!result || downloaded.current === result.fileName) return;
    downloaded.current = result.fileName;
    startDownload(result);
  }, [result]);

  return (
    <div className="stack" style={{ gap: 4 }} data-testid={`export-${kind}`}>
      <div className="progress-row">
        <button type="button" className="btn" style={{ minWidth: 150 }} disabled={state?.running} onClick={() => void consoleStore.getState().reports.exportCsv(kind)} data-testid={`export-${kind}-button`}>
          {state?.running ? `Exporting ${label.toLowerCase()}…` : `Export ${label.toLowerCase()}`}
        </button>
        {state?.running && (
          <UsageBar testId={`export-${kind}-progress`} value={job?.done ?? 0} max={job?.total ?? null} label={ratio == null ? `${formatCount(job?.done ?? 0)} rows` : `${formatCount(job?.done)} of ${formatCount(job?.total)} rows`} />
        )}
        {result && !state?.running && (
          <span data-testid={`export-${kind}-result`}>
            {formatCount(result.rows)} rows ·{' '}
            <a href={downloadHref(result)} download={result.fileName} data-testid={`export-${kind}-link`}>
              {mode === 'electron' ? `Save ${result.fileName} as…` : `Download ${result.fileName} again`}
            </a>
          </span>
        )}
      </div>
      <ErrorBanner error={state?.error} />
    </div>
  );
}

import type { ExportFileView } from '../../../shared/console-api.js';
import { api } from '../../api/client.js';
import { useConsole } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatDateTime } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';
import { downloadHref } from './export-panel.js';

/** "1.2 MB", "340 KB", "87 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Every file in the data folder's exports/ (CSV exports, evidence bundles, public keys), newest
 * first, with its size and time. Each export writes one new file: this is where they all are, and
 * in browser mode each can be downloaded again.
 */
export function ExportsPanel() {
  const mode = useConsole((s) => s.session.info?.mode);
  // Reload whenever an export finishes.
  const finished = useConsole((s) => Object.values(s.reports.exports).map((e) => e?.result?.fileName ?? '').join('|'));
  const res = useApi(() => api['exports.list']({}), [finished]);
  const files: ExportFileView[] = res.data?.files ?? [];
  return (
    <section className="panel stack" data-testid="exports-panel">
      <div className="panel-title">
        <h2>Exported files</h2>
        {res.data && <span className="muted small">Kept in <code data-testid="exports-dir">{res.data.dir}</code></span>}
      </div>
      <ErrorBanner error={res.error} />
      {files.length === 0 ? (
        <div className="muted small">No exports yet. Each export above is saved here as its own file.</div>
      ) : (
        <table className="table" aria-label="Exported files">
          <thead>
            <tr>
              <th>File</th>
              <th className="num">Size</th>
              <th>Exported</th>
            </tr>
          </thead>
          <tbody>
            {files.map((f) => (
              <tr key={f.fileName} data-testid="export-file">
                <td className="mono">
                  <a href={downloadHref(f)} download={f.fileName} title={mode === 'electron' ? 'Save a copy…' : 'Download'}>{f.fileName}</a>
                </td>
                <td className="num">{formatBytes(f.bytes)}</td>
                <td className="tabular">{formatDateTime(f.modifiedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

import { href } from '../../app/router.js';
import { useConsole, useReadOnly } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { useConfigData } from '../buyers/use-config-data.js';
import { NEW_SOURCE, SourceEditor } from './source-editor.js';

/** `#/sources[/<id>]`: lead sources on the left, the chosen one's editor and keys on the right. */
export function SourcesScreen({ params }: { params: string[] }) {
  const readOnly = useReadOnly();
  useConfigData({ sources: true });
  const sources = useConsole((s) => s.config.sources);
  const campaigns = useConsole((s) => s.config.campaigns);
  const loaded = useConsole((s) => s.config.loaded);
  const error = useConsole((s) => s.config.error);
  const selectedId = params[0] ?? sources[0]?.spec.id;
  const selected = sources.find((s) => s.spec.id === selectedId);
  const isNew = selectedId === NEW_SOURCE && !readOnly;
  const ids = sources.map((s) => s.spec.id);

  return (
    <div className="screen" data-testid="sources-screen">
      <div className="screen-header">
        <h1>Sources</h1>
        {!readOnly && (
          <div className="actions">
            <a className="btn btn-primary" href={href('sources', NEW_SOURCE)} data-testid="new-source">New source</a>
          </div>
        )}
      </div>
      <ErrorBanner error={error} />
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(220px, 300px) minmax(0, 1fr)', gap: 14, alignItems: 'start' }}>
        <nav className="panel panel-flush" aria-label="Sources">
          <table className="table" data-testid="sources-list">
            <tbody>
              {sources.map((s) => {
                const activeKeys = s.keys.filter((k) => !k.revokedAt).length;
                return (
                  <tr key={s.spec.id} aria-current={s.spec.id === selectedId ? 'true' : undefined} style={s.spec.id === selectedId ? { background: 'var(--muted-bg)' } : undefined}>
                    <td>
                      <a href={href('sources', s.spec.id)} style={{ fontWeight: 600 }}>{s.spec.name}</a>
                      <div className="muted small">
                        {s.spec.campaigns.length} campaign(s) · {activeKeys} key(s){s.spec.rateLimitPerMinute ? ` · ${s.spec.rateLimitPerMinute}/min` : ''}
                        {s.spec.active === false && <> · <span className="badge badge-muted">inactive</span></>}
                      </div>
                    </td>
                  </tr>
                );
              })}
              {loaded && sources.length === 0 && <tr><td className="muted">No sources yet.</td></tr>}
            </tbody>
          </table>
        </nav>
        <div style={{ minWidth: 0 }}>
          {isNew ? (
            <SourceEditor key={NEW_SOURCE} view={undefined} campaigns={campaigns} readOnly={readOnly} existingIds={ids} />
          ) : selected ? (
            <SourceEditor key={selected.spec.id} view={selected} campaigns={campaigns} readOnly={readOnly} existingIds={ids} />
          ) : (
            loaded && <div className="panel empty">{selectedId ? `No source “${selectedId}”.` : 'Choose a source.'}</div>
          )}
        </div>
      </div>
    </div>
  );
}

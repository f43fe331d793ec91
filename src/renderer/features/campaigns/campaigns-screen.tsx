import { href } from '../../app/router.js';
import { useConsole, useReadOnly } from '../../store/use-console.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatMoney } from '../../ui/format.js';
import { useConfigData } from '../buyers/use-config-data.js';
import { CampaignEditor, NEW_CAMPAIGN } from './campaign-editor.js';
import { WorkspaceActions } from './workspace-actions.js';

/** `#/campaigns[/<id>]`: the campaigns on the left, the chosen one's editor on the right. */
export function CampaignsScreen({ params }: { params: string[] }) {
  const readOnly = useReadOnly();
  useConfigData({});
  const campaigns = useConsole((s) => s.config.campaigns);
  const loaded = useConsole((s) => s.config.loaded);
  const error = useConsole((s) => s.config.error);
  const selectedId = params[0] ?? campaigns[0]?.id;
  const selected = campaigns.find((c) => c.id === selectedId);
  const isNew = selectedId === NEW_CAMPAIGN && !readOnly;

  return (
    <div className="screen" data-testid="campaigns-screen">
      <div className="screen-header">
        <h1>Campaigns</h1>
        <div className="actions">
          <WorkspaceActions readOnly={readOnly} />
          {!readOnly && <a className="btn btn-primary" href={href('campaigns', NEW_CAMPAIGN)} data-testid="new-campaign">New campaign</a>}
        </div>
      </div>
      <ErrorBanner error={error} />
      <div style={{ display: 'grid', gridTemplateColumns: 'minmax(220px, 280px) minmax(0, 1fr)', gap: 14, alignItems: 'start' }}>
        <nav className="panel panel-flush" aria-label="Campaigns">
          <table className="table" data-testid="campaigns-list">
            <tbody>
              {campaigns.map((c) => (
                <tr key={c.id} aria-current={c.id === selectedId ? 'true' : undefined} style={c.id === selectedId ? { background: 'var(--muted-bg)' } : undefined}>
                  <td>
                    <a href={href('campaigns', c.id)} style={{ fontWeight: 600 }}>{c.name}</a>
                    <div className="muted small">
                      {c.tiers.length} tier(s) · min {formatMoney(c.minPrice)}{c.active === false ? ' · inactive' : ''}
                    </div>
                  </td>
                </tr>
              ))}
              {loaded && campaigns.length === 0 && (
                <tr><td className="muted">No campaigns yet.</td></tr>
              )}
            </tbody>
          </table>
        </nav>
        <div style={{ minWidth: 0 }}>
          {isNew ? (
            <CampaignEditor key={NEW_CAMPAIGN} campaign={undefined} readOnly={readOnly} existingIds={campaigns.map((c) => c.id)} />
          ) : selected ? (
            <CampaignEditor key={selected.id} campaign={selected} readOnly={readOnly} existingIds={campaigns.map((c) => c.id)} />
          ) : (
            loaded && <div className="panel empty">{selectedId ? `No campaign “${selectedId}”.` : 'Choose a campaign.'}</div>
          )}
        </div>
      </div>
    </div>
  );
}

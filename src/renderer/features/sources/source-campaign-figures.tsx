import type { CampaignSpec } from '../../../shared/domain.js';
import { api } from '../../api/client.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { formatCount, formatMoney, formatPercent } from '../../ui/format.js';
import { useApi } from '../../ui/use-api.js';

/** One source's rolling figures per campaign over the last 7 days (the engine's, kept across restarts). */
export function SourceCampaignFigures({ sourceId, campaigns }: { sourceId: string; campaigns: CampaignSpec[] }) {
  const res = useApi(() => api['signals.sources']({}), [sourceId]);
  const rows = (res.data ?? []).filter((r) => r.sourceId === sourceId);
  if (!res.error && rows.length === 0) return null;
  return (
    <section className="panel stack" data-testid="source-campaign-figures">
      <h2>Per campaign, last 7 days</h2>
      <ErrorBanner error={res.error} />
      <table className="table tabular">
        <thead>
          <tr><th>Campaign</th><th className="num">Leads</th><th className="num">Sold</th><th className="num">Sold rate</th><th className="num">Avg price</th><th className="num">Avg payout</th><th className="num">Returns</th><th className="num">Return rate</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.campaignId} data-testid={`source-campaign-${r.campaignId}`}>
              <td>{campaigns.find((c) => c.id === r.campaignId)?.name ?? r.campaignId}</td>
              <td className="num">{formatCount(r.leads)}</td>
              <td className="num">{formatCount(r.sold)}</td>
              <td className="num">{r.leads ? formatPercent(r.soldRate) : '—'}</td>
              <td className="num">{r.sold ? formatMoney(r.avgPrice) : '—'}</td>
              <td className="num">{r.sold ? formatMoney(r.avgPayout) : '—'}</td>
              <td className="num">{formatCount(r.returned)}</td>
              <td className="num">{r.sold ? formatPercent(r.returnRate) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="muted small">Test leads are left out. Returns are those buyers reported.</div>
    </section>
  );
}

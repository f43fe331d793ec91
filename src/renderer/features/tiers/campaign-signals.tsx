import type { BuyerSignalFigures, BuyerView } from '../../../shared/console-api.js';
import { href } from '../../app/router.js';
import { formatCount, formatMoney, formatMs, formatPercent } from '../../ui/format.js';

/** A rate with too few samples reads as a dash: 0% of nothing is not a figure. */
const rateOf = (rate: number, base: number): string => (base > 0 ? formatPercent(rate) : '—');

/**
 * A buyer's figures on one campaign (the engine's rolling signals, not mixed across campaigns):
 * sales, conversion and returns over 7 days, response time over the last hour.
 */
export function CampaignSignalsLine({ figures }: { figures: BuyerSignalFigures }) {
  return (
    <div className="muted small tabular" data-testid="card-campaign-signals" title="This campaign only: sales, conversion and returns over 7 days; response time over the last hour">
      {formatCount(figures.sold)} sold · conv. {rateOf(figures.conversionRate, figures.sold)} · ret. {rateOf(figures.returnRate, figures.sold)} · p95 {figures.pings ? formatMs(figures.p95LatencyMs) : '—'}
      {figures.lateAccepts > 0 && <span className="text-warn"> · {figures.lateAccepts} late accept{figures.lateAccepts === 1 ? '' : 's'}</span>}
    </div>
  );
}

/** The Buyers screen's per-campaign performance of one buyer, one row per campaign whose tree holds it. */
export function BuyerCampaignFigures({ view }: { view: BuyerView }) {
  const rows = view.placements.filter((p) => p.figures);
  if (rows.length === 0) return null;
  return (
    <section className="panel stack" data-testid="buyer-campaign-figures">
      <h2>Per campaign</h2>
      <div className="muted small">Traffic over the last hour; sales, conversion and returns over the last 7 days. Kept across restarts.</div>
      <table className="table tabular">
        <thead>
          <tr>
            <th>Campaign</th><th>Tier</th><th className="num">Pings</th><th className="num">Bid rate</th><th className="num">Win rate</th><th className="num">Avg bid</th>
            <th className="num">Accept</th><th className="num">Resp. avg / p95</th><th className="num">Sold</th><th className="num">Conversion</th><th className="num">Returns</th><th className="num">Late accepts</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ campaignId, tierIndex, figures: f }) => f && (
            <tr key={campaignId} data-testid={`buyer-campaign-${campaignId}`}>
              <td><a href={href('tiers')}>{campaignId}</a></td>
              <td>{tierIndex + 1}</td>
              <td className="num">{formatCount(f.pings)}</td>
              <td className="num">{rateOf(f.bidRate, f.pings)}</td>
              <td className="num">{rateOf(f.winRate, f.bids)}</td>
              <td className="num">{f.bids ? formatMoney(f.avgBid) : '—'}</td>
              <td className="num">{rateOf(f.acceptRate, f.wins)}</td>
              <td className="num">{f.pings ? `${formatMs(f.avgLatencyMs)} / ${formatMs(f.p95LatencyMs)}` : '—'}</td>
              <td className="num">{formatCount(f.sold)}</td>
              <td className="num">{rateOf(f.conversionRate, f.sold)}</td>
              <td className="num">{rateOf(f.returnRate, f.sold)}</td>
              <td className="num">{formatCount(f.lateAccepts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

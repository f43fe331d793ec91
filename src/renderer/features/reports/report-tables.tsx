import type { BuyerStat, SourceStat } from '../../../shared/console-api.js';
import { formatCount, formatMoney, formatMs, formatPercent } from '../../ui/format.js';
import type { Directory } from '../../ui/use-directory.js';

export function BuyerStatsTable({ rows, dir }: { rows: BuyerStat[]; dir: Directory }) {
  const sorted = [...rows].sort((a, b) => b.revenue - a.revenue);
  return (
    <section className="panel" data-testid="report-buyers">
      <h2>Buyers</h2>
      <div style={{ overflowX: 'auto' }}>
        <table className="table">
          <thead>
            <tr>
              <th>Buyer</th>
              <th className="num">Pings</th>
              <th className="num">Bid rate</th>
              <th className="num">Win rate</th>
              <th className="num">Accepted</th>
              <th className="num">Timeouts</th>
              <th className="num">Errors</th>
              <th className="num">Avg bid</th>
              <th className="num">Avg latency</th>
              <th className="num">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((b) => (
              <tr key={b.buyerId}>
                <td>{dir.buyerName(b.buyerId)}</td>
                <td className="num">{formatCount(b.pings)}</td>
                <td className="num">{formatPercent(b.bidRate)}</td>
                <td className="num">{formatPercent(b.winRate)}</td>
                <td className="num" title={`${b.accepted} of ${b.posts} posts`}>
                  {formatPercent(b.acceptRate)}
                </td>
                <td className={`num${b.timeoutRate > 0.05 ? ' text-warn' : ''}`}>{formatPercent(b.timeoutRate)}</td>
                <td className={`num${b.errors > 0 ? ' text-bad' : ''}`}>{formatCount(b.errors)}</td>
                <td className="num">{formatMoney(b.avgBid)}</td>
                <td className="num">{formatMs(b.avgLatencyMs)}</td>
                <td className="num">{formatMoney(b.revenue)}</td>
              </tr>
            ))}
            {sorted.length === 0 && (
              <tr>
                <td colSpan={10} className="muted">
                  No buyer activity in this range.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** "duplicate 3, suppressed 1": the refusals of a source by reason. */
function refusalTitle(by: Record<string, number> | undefined): string {
  return Object.entries(by ?? {})
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${n}`)
    .join(', ');
}

export function SourceStatsTable({ rows, dir }: { rows: SourceStat[]; dir: Directory }) {
  const sorted = [...rows].sort((a, b) => (b.received ?? b.leads) - (a.received ?? a.leads));
  return (
    <section className="panel" data-testid="report-sources">
      <h2>Sources</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Source</th>
            <th className="num">Received</th>
            <th className="num">Accepted</th>
            <th className="num">Refused</th>
            <th className="num">Sold</th>
            <th className="num">Fill rate</th>
            <th className="num">Revenue</th>
            <th className="num">Payout</th>
            <th className="num">Margin</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((s) => (
            <tr key={s.sourceId}>
              <td>{dir.sourceName(s.sourceId)}</td>
              <td className="num">{formatCount(s.received ?? s.leads)}</td>
              <td className="num">{formatCount(s.leads)}</td>
              <td className="num" title={refusalTitle(s.refusedBy)} data-testid={`source-refused-${s.sourceId}`}>
                {formatCount(s.refused ?? 0)}
                {s.refused ? <span className="muted"> ({refusalTitle(s.refusedBy)})</span> : null}
              </td>
              <td className="num">{formatCount(s.sold)}</td>
              <td className="num">{formatPercent(s.leads ? s.sold / s.leads : null)}</td>
              <td className="num">{formatMoney(s.revenue)}</td>
              <td className="num">{formatMoney(s.payout)}</td>
              <td className="num">{formatMoney(Math.round((s.revenue - s.payout) * 100) / 100)}</td>
            </tr>
          ))}
          {sorted.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                No leads in this range.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

import type { BuyerView } from '../../../shared/console-api.js';
import { href } from '../../app/router.js';
import { formatMoney, formatMs, formatPercent } from '../../ui/format.js';
import { UsageBar } from '../../ui/usage-bar.js';
import { useConsole, useShallow } from '../../store/use-console.js';
import { buyerRates, buyerStatus, NOT_IN_TREE_HINT, tierMembership } from './buyer-status.js';

/** Every buyer with its state, tree placement, cap usage and rates; a row opens the editor. */
export function BuyersList({ buyers }: { buyers: BuyerView[] }) {
  const { stats, campaigns } = useConsole(useShallow((s) => ({ stats: s.buyers.stats, campaigns: s.config.campaigns })));
  if (!buyers.length) return <div className="panel empty">No buyers yet.</div>;
  return (
    <div className="panel panel-flush">
      <table className="table" data-testid="buyers-table">
        <thead>
          <tr>
            <th>Buyer</th>
            <th>Status</th>
            <th>Ping tree</th>
            <th>Hourly cap</th>
            <th>Daily cap</th>
            <th>Daily budget</th>
            <th className="num">Bid rate</th>
            <th className="num">Accept rate</th>
            <th className="num">Timeouts</th>
            <th className="num">Avg bid</th>
            <th className="num">Response</th>
          </tr>
        </thead>
        <tbody>
          {buyers.map((b) => {
            const status = buyerStatus(b);
            const rates = buyerRates(b, stats[b.spec.id]);
            const caps = b.spec.caps ?? {};
            return (
              <tr key={b.spec.id} data-testid={`buyer-row-${b.spec.id}`}>
                <td>
                  <a href={href('buyers', b.spec.id)} style={{ fontWeight: 600 }}>{b.spec.name}</a>
                  <div className="muted small mono">{b.spec.id}{b.spec.ping ? '' : ' · fixed price'}</div>
                </td>
                <td><span className={`badge ${status.tone}`} data-testid="buyer-status">{status.label}</span></td>
                <td className="small">
                  {tierMembership(b.spec.id, campaigns).map((m) => (
                    <div key={m.campaignId}>{m.label}</div>
                  ))}
                  {b.placements.length === 0 && (
                    <a href={href('tiers')} className="text-warn" data-testid="buyer-no-tree">{NOT_IN_TREE_HINT}</a>
                  )}
                </td>
                <CapCell used={b.usage.hourly} cap={caps.hourly} />
                <CapCell used={b.usage.daily} cap={caps.daily} />
                <CapCell used={b.usage.spend} cap={caps.dailyBudget} money />
                <td className="num">{formatPercent(rates.bidRate)}</td>
                <td className="num">{formatPercent(rates.acceptRate)}</td>
                <td className={`num${(rates.timeoutRate ?? 0) > 0.1 ? ' text-warn' : ''}`}>{formatPercent(rates.timeoutRate)}</td>
                <td className="num">{formatMoney(rates.avgBid)}</td>
                <td className="num">{formatMs(rates.latencyMs)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A cap's usage bar; without a cap, the bare count (a bar would suggest a limit that is not there). */
function CapCell({ used, cap, money }: { used: number; cap: number | undefined; money?: boolean }) {
  const text = (n: number) => (money ? formatMoney(n) : String(n));
  return (
    <td style={{ minWidth: money ? 120 : 90 }}>
      {cap == null ? <span className="tabular" title="No cap">{text(used)} <span className="muted small">· no cap</span></span> : <UsageBar value={used} max={cap} label={`${text(used)} / ${text(cap)}`} />}
    </td>
  );
}

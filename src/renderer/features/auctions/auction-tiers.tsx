import type { AuctionDetail, AuctionTierView } from '../../../shared/console-api.js';
import { DASH, formatClock, formatMoney, formatMs } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import type { Directory } from '../../ui/use-directory.js';
import { tierLabel } from '../../../shared/tier-label.js';
import { floorReasonText } from './floor-explain.js';

/**
 * One block per tier the auction touched: its floor and why, every ping, and who was left out. Tier
 * names, floor parts and buyer names are the ones recorded when the auction ran.
 */
export function AuctionTiers({ detail, dir }: { detail: AuctionDetail; dir: Directory }) {
  const recorded = new Map(detail.tiers.map((t) => [t.tierIndex, t]));
  const buyerName = (id: string): string => detail.buyerNames[id] ?? dir.buyerName(id);
  const tiers = [...new Set([...recorded.keys(), ...detail.pings.map((p) => p.tierIndex), ...detail.excluded.map((e) => e.tierIndex)])].sort((a, b) => a - b);
  if (tiers.length === 0) return <div className="panel muted">No buyer was eligible or pinged in any tier.</div>;
  return (
    <>
      {tiers.map((tierIndex) => {
        const pings = detail.pings.filter((p) => p.tierIndex === tierIndex).sort((a, b) => (b.bid ?? -1) - (a.bid ?? -1));
        const excluded = detail.excluded.filter((e) => e.tierIndex === tierIndex);
        const tier = recorded.get(tierIndex);
        const recordedFloor = tier?.floor ?? (pings.length ? Math.max(...pings.map((p) => p.floor)) : null);
        const tierName = tier?.tierName;
        return (
          <section className="panel" key={tierIndex} data-testid={`auction-tier-${tierIndex}`}>
            <div className="panel-title">
              <h2>
                {/* The name the tier had when the auction ran; today's name for auctions recorded before names were kept. */}
                {tierLabel(tierName ?? dir.tierName(detail.auction.campaignId, tierIndex), tierIndex)}
              </h2>
              <span data-testid="tier-floor">
                Effective floor <strong className="tabular">{formatMoney(recordedFloor)}</strong>
              </span>
            </div>
            <FloorWhy tier={tier} />
            <table className="table" data-testid="auction-pings">
              <thead>
                <tr>
                  <th>Buyer</th>
                  <th>Outcome</th>
                  <th className="num">Bid</th>
                  <th className="num">Floor</th>
                  <th className="num">Latency</th>
                  <th>Sent</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {pings.map((p) => (
                  <tr key={p.buyerId}>
                    <td>{buyerName(p.buyerId)}</td>
                    <td>
                      <span className={outcomeBadge(p.outcome)}>{p.outcome}</span>
                    </td>
                    <td className="num">{formatMoney(p.bid)}</td>
                    <td className="num">{formatMoney(p.floor)}</td>
                    <td className="num">{formatMs(p.latencyMs)}</td>
                    <td className="tabular">{formatClock(p.sentAt)}</td>
                    <td>
                      {p.reason ?? DASH}
                      {p.httpStatus != null && (p.httpStatus < 200 || p.httpStatus > 299) && <span className="muted"> (HTTP {p.httpStatus})</span>}
                    </td>
                  </tr>
                ))}
                {pings.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      Nobody pinged in this tier.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
            {excluded.length > 0 && (
              <div style={{ marginTop: 10 }} data-testid="auction-excluded">
                <h3>Not pinged</h3>
                <ul className="stack" style={{ margin: 0, paddingLeft: 18, gap: 2 }}>
                  {excluded.map((e) => (
                    <li key={e.buyerId}>
                      {buyerName(e.buyerId)} <span className={outcomeBadge(e.code)}>{e.code}</span> <span className="muted">{e.reason}</span>
                    </li>
                  ))}
                </ul>
              </div>
            )}
          </section>
        );
      })}
    </>
  );
}

/** The floor's reason and parts as the engine recorded them at auction time, in its own cents. */
function FloorWhy({ tier }: { tier: AuctionTierView | undefined }) {
  const reason = tier?.floorReason ?? null;
  return (
    <p className="small" style={{ margin: '0 0 8px' }} data-testid="floor-reason">
      {reason && <>Floor {floorReasonText(reason)}. </>}
      {tier?.parts ? (
        <span className="muted">
          Highest of{' '}
          {tier.parts.map((p, i) => (
            <span key={p.reason}>
              {i > 0 && ', '}
              {p.reason === reason ? <strong>{p.label}</strong> : p.label} {p.amount === null ? 'unreachable' : formatMoney(p.amount)}
            </span>
          ))}{' '}
          (as configured when the auction ran).
        </span>
      ) : (
        <span className="muted">Floor parts not recorded (auction before this version).</span>
      )}
    </p>
  );
}

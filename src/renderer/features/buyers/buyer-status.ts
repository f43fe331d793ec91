import type { BuyerStat, BuyerView } from '../../../shared/console-api.js';
import type { CampaignSpec } from '../../../shared/domain.js';

/** How a buyer stands right now, in the broker's words, with the badge tone that goes with it. */
export function buyerStatus(view: BuyerView): { label: string; tone: string } {
  if (view.spec.active === false) return { label: 'inactive', tone: 'badge-muted' };
  if (view.circuit === 'open') return { label: 'circuit open', tone: 'badge-bad' };
  if (view.paused) return { label: 'paused', tone: 'badge-warn' };
  if (view.circuit === 'half-open') return { label: 'circuit half-open', tone: 'badge-warn' };
  // Active but in no tier of any campaign: nothing will ever ping it, so "active" would mislead.
  if (view.placements.length === 0) return { label: 'not in any ping tree', tone: 'badge-warn' };
  return { label: 'active', tone: 'badge-ok' };
}

/** What the broker must do for a buyer to receive pings, or null when it receives them. */
export const NOT_IN_TREE_HINT = 'Not in any ping tree — add it to a tier to receive pings';

/**
 * Rates for display: the last hour's auctions when there were any, else the engine's rolling
 * signals, else nothing (null shows as a dash: no pings is not a 0% bid rate). `useSignals: false`
 * when the stats are one campaign's: the rolling signals mix every campaign, so they are not shown then.
 */
export function buyerRates(view: BuyerView, stat: BuyerStat | undefined, useSignals = true) {
  const fromStats = stat !== undefined && stat.pings > 0;
  if (!fromStats && (view.signals.samples === 0 || !useSignals)) {
    return { bidRate: null, winRate: null, acceptRate: null, timeoutRate: null, avgBid: null, latencyMs: null, pings: 0, window: 'none' as const };
  }
  return {
    bidRate: fromStats ? stat.bidRate : view.signals.bidRate,
    winRate: fromStats && stat.bids > 0 ? stat.winRate : null,
    // A rate over no posts is unknown, not 0%.
    acceptRate: fromStats ? (stat.posts > 0 ? stat.acceptRate : null) : view.signals.acceptRate,
    timeoutRate: fromStats ? stat.timeoutRate : view.signals.timeoutRate,
    avgBid: fromStats ? stat.avgBid : view.signals.avgBid,
    latencyMs: fromStats ? stat.avgLatencyMs : view.signals.avgLatencyMs,
    pings: stat?.pings ?? 0,
    window: fromStats ? ('last hour' as const) : ('rolling' as const),
  };
}

/** "Auto insurance · Tier 1" for every campaign whose tree places the buyer. */
export function tierMembership(buyerId: string, campaigns: CampaignSpec[]): Array<{ campaignId: string; label: string }> {
  const out: Array<{ campaignId: string; label: string }> = [];
  for (const c of campaigns) {
    const tier = c.tiers.find((t) => t.buyers.includes(buyerId));
    if (tier) out.push({ campaignId: c.id, label: `${c.name} · ${tier.name}` });
  }
  return out;
}

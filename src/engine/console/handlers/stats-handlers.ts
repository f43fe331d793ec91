import { toDollars } from '../../money.js';
import { sourceAccounting } from '../source-accounting.js';
import { rate } from '../views.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Reports → per buyer and per source figures of a period. */
export function statsHandlers(d: HandlerDeps): HandlersOf<'stats'> {
  const { store } = d;
  return {
    // With a campaign: only that campaign's auctions (the Ping tree's cards).
    'stats.buyers': async ({ from, to, campaignId }) =>
      (await (campaignId === undefined ? store.buyerStatsAsync({ from, to }) : store.campaignBuyerStatsAsync({ from, to, campaignId }))).map((s) => ({
        buyerId: s.buyerId,
        pings: s.pings,
        bids: s.bids,
        wins: s.wins,
        posts: s.posts,
        accepted: s.accepted,
        timeouts: s.timeouts,
        errors: s.errors,
        bidRate: rate(s.bids, s.pings),
        winRate: rate(s.wins, s.bids),
        acceptRate: rate(s.accepted, s.posts),
        timeoutRate: rate(s.timeouts, s.pings),
        avgBid: toDollars(s.avgBidCents ?? 0),
        avgLatencyMs: s.avgLatencyMs ?? 0,
        revenue: toDollars(s.revenueCents),
      })),
    'stats.sources': async ({ from, to }) => sourceAccounting(await store.sourceStatsAsync({ from, to }), store.refusalCounts(from, to)),
  };
}

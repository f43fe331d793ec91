import type { Cents } from '../money.js';

export interface Bid {
  buyerId: string;
  priceCents: Cents;
  /** Higher wins ties. */
  priority: number;
  /** Time from ping to answer; the earlier answer wins a remaining tie. */
  latencyMs: number;
  /** The buyer's price lock, echoed in its post. */
  token?: string;
}

export interface RankedBids {
  /** Best first: the winner, then the fallbacks in the order they get the post. */
  ranked: Bid[];
  /** Bids under the floor (or with no usable price): outcome BELOW_FLOOR. */
  belowFloor: Bid[];
}

/**
 * Orders valid bids by price, then priority, then response time, then buyer id, so that the same
 * bids always give the same winner. Bids whose price is not at least the floor drop out.
 */
export function rankBids(bids: readonly Bid[], floorCents: Cents): RankedBids {
  const ranked: Bid[] = [];
  const belowFloor: Bid[] = [];
  for (const bid of bids) {
    // Written as a negation so a NaN price lands below the floor instead of in the ranking.
    if (!(bid.priceCents >= floorCents)) belowFloor.push(bid);
    else ranked.push(bid);
  }
  ranked.sort(compareBids);
  return { ranked, belowFloor };
}

export function compareBids(a: Bid, b: Bid): number {
  if (a.priceCents !== b.priceCents) return b.priceCents - a.priceCents;
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.latencyMs !== b.latencyMs) return a.latencyMs - b.latencyMs;
  return a.buyerId < b.buyerId ? -1 : a.buyerId > b.buyerId ? 1 : 0;
}

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
  /** The buyer's bid adjustment in whole percent, for ranking only (the buyer is charged `priceCents`). */
  adjustmentPercent?: number;
}

export interface RankedBids {
  /** Best first: the winner, then the fallbacks in the order they get the post. */
  ranked: Bid[];
  /** Bids under the floor (or with no usable price): outcome BELOW_FLOOR. */
  belowFloor: Bid[];
}

/**
 * Orders valid bids by price (moved by each buyer's bid adjustment), then priority, then response time, then buyer id, so that the same
 * bids always give the same winner. Bids whose own price is not at least the floor drop out.
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

/** The price a bid ranks at: its own, moved by the buyer's adjustment (−20: a $30 bid ranks as $24), in exact hundredths of a cent. */
export function rankingValue(bid: Pick<Bid, 'priceCents' | 'adjustmentPercent'>): number {
  return bid.priceCents * (100 + (bid.adjustmentPercent ?? 0));
}

export function compareBids(a: Bid, b: Bid): number {
  const av = rankingValue(a);
  const bv = rankingValue(b);
  if (av !== bv) return bv - av;
  if (a.priority !== b.priority) return b.priority - a.priority;
  if (a.latencyMs !== b.latencyMs) return a.latencyMs - b.latencyMs;
  return a.buyerId < b.buyerId ? -1 : a.buyerId > b.buyerId ? 1 : 0;
}

import type { Cents } from '../money.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import { IMPOSSIBLE_FLOOR, type EffectiveFloor } from './floor.js';

/**
 * What an auction keeps about each tier it reached, beside the floor and its reason, so that its page
 * explains the auction as it ran and never with today's configuration: the floor's parts in integer
 * cents (null where the payout and margin rules could not both be paid at any price) and the names of
 * the buyers it considered. Written into the tier's `eligible` audit event, so it is in the chain.
 */
export interface TierRecordData {
  floorParts: { tierCents: Cents; minPriceCents: Cents; payoutMarginCents: Cents | null };
  buyerNames: Record<string, string>;
}

export function tierRecordData(parts: EffectiveFloor['parts'], buyers: ReadonlyMap<string, RuntimeBuyer>, buyerIds: Iterable<string>): TierRecordData {
  const buyerNames: Record<string, string> = {};
  for (const id of buyerIds) {
    const name = buyers.get(id)?.spec.name;
    if (name) buyerNames[id] = name;
  }
  return {
    floorParts: {
      tierCents: parts.tierCents,
      minPriceCents: parts.minPriceCents,
      payoutMarginCents: parts.payoutMarginCents >= IMPOSSIBLE_FLOOR ? null : parts.payoutMarginCents,
    },
    buyerNames,
  };
}

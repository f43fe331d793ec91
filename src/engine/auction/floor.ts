import type { Cents } from '../money.js';
import type { RuntimeCampaign, RuntimePriceRule, RuntimeTier } from '../workspace/runtime.js';

const BP = 10_000;

/** Stands for "no price is high enough": the payout and margin rules together exceed 100%. */
export const IMPOSSIBLE_FLOOR = Number.MAX_SAFE_INTEGER;

export type FloorReason = 'tier' | 'campaign_min' | 'payout_margin';

export interface EffectiveFloor {
  floorCents: Cents;
  /** Which part set the floor; on a tie the first of tier, campaign_min, payout_margin. */
  reason: FloorReason;
  parts: { tierCents: Cents; minPriceCents: Cents; payoutMarginCents: Cents };
}

/**
 * The lowest bid a tier accepts: the highest of the tier floor, the campaign minimum and the payout/margin need.
 * `sourcePayout` is the lead's source's own payout (its terms), which replaces the campaign's.
 */
export function effectiveFloor(campaign: RuntimeCampaign, tier: RuntimeTier, sourcePayout?: RuntimePriceRule): EffectiveFloor {
  const rules = { payout: sourcePayout ?? campaign.payout, margin: campaign.margin };
  const parts = { tierCents: tier.floorCents, minPriceCents: campaign.minPriceCents, payoutMarginCents: payoutMarginFloor(rules) };
  let floorCents = parts.tierCents;
  let reason: FloorReason = 'tier';
  if (parts.minPriceCents > floorCents) {
    floorCents = parts.minPriceCents;
    reason = 'campaign_min';
  }
  if (parts.payoutMarginCents > floorCents) {
    floorCents = parts.payoutMarginCents;
    reason = 'payout_margin';
  }
  return { floorCents, reason, parts };
}

/**
 * The least price P that pays the source and keeps the broker's margin: P − payout(P) ≥ margin(P),
 * read with exact fractions (so the margin holds whichever way a percent payout is rounded).
 * Percents are basis points.
 */
export function payoutMarginFloor(campaign: Pick<RuntimeCampaign, 'payout' | 'margin'>): Cents {
  const { payout, margin } = campaign;
  if (payout.type === 'percent' && margin.type === 'percent') {
    return payout.value + margin.value <= BP ? 0 : IMPOSSIBLE_FLOOR;
  }
  if (payout.type === 'fixed' && margin.type === 'fixed') return payout.value + margin.value;
  if (payout.type === 'percent') {
    // P·(1 − p) ≥ m
    return shareFloor(margin.value, payout.value);
  }
  // P − f ≥ P·q  ⇔  P·(1 − q) ≥ f
  return shareFloor(payout.value, margin.value);
}

/** Least P with P·(BP − bp) ≥ amount·BP: the price whose remaining share covers `amountCents`. */
function shareFloor(amountCents: Cents, bp: number): Cents {
  if (amountCents <= 0) return 0;
  const remaining = BP - bp;
  if (remaining <= 0) return IMPOSSIBLE_FLOOR;
  return ceilDiv(amountCents * BP, remaining);
}

function ceilDiv(a: number, b: number): number {
  const q = (a - (a % b)) / b;
  return a % b === 0 ? q : q + 1;
}

import type { Cents } from '../money.js';
import type { RuntimeCampaign } from '../workspace/runtime.js';

export interface Payout {
  /** What the source is paid for the lead. */
  payoutCents: Cents;
  /** What the broker keeps: price − payout. */
  marginCents: Cents;
}

/**
 * The source's share of a sale. A percent payout rounds down to the cent: the broker never pays
 * more than the rule says. A fixed payout is paid as set; the effective floor (floor.ts) keeps
 * every winning price high enough that the margin is never negative.
 */
export function computePayout(campaign: Pick<RuntimeCampaign, 'payout'>, priceCents: Cents): Payout {
  const rule = campaign.payout;
  let payoutCents: Cents;
  if (rule.type === 'fixed') {
    payoutCents = rule.value;
  } else {
    const scaled = priceCents * rule.value;
    payoutCents = (scaled - (scaled % 10_000)) / 10_000;
  }
  return { payoutCents, marginCents: priceCents - payoutCents };
}

import { describe, expect, it } from 'vitest';
import { effectiveFloor, payoutMarginFloor } from '../../src/engine/auction/floor.js';
import { computePayout } from '../../src/engine/auction/payout.js';
import { tierRecordData } from '../../src/engine/auction/tier-record.js';
import { auctionTiersView, floorPartsView } from '../../src/engine/console/auction-tiers-view.js';
import type { RuntimeBuyer, RuntimeCampaign, RuntimePriceRule, RuntimeTier } from '../../src/engine/workspace/runtime.js';

const BP = 10_000;
const campaign = (payout: RuntimePriceRule, margin: RuntimePriceRule, minPriceCents = 0): RuntimeCampaign => ({ payout, margin, minPriceCents }) as RuntimeCampaign;
const tier: RuntimeTier = { index: 0, name: 'Tier 1', floorCents: 0, buyerIds: [] };
const noBuyers = new Map<string, RuntimeBuyer>();

/** Whether price P (cents) pays the source and keeps the margin, by the rule in exact integers. */
function paysBoth(c: RuntimeCampaign, p: number): boolean {
  const { payout, margin } = c;
  // Kept by the broker: P·(BP − bp) / BP for a percent payout (read exactly), P − f for a fixed one.
  const keptTimesBp = payout.type === 'percent' ? p * (BP - payout.value) : (p - payout.value) * BP;
  const neededTimesBp = margin.type === 'percent' ? p * margin.value : margin.value * BP;
  return keptTimesBp >= neededTimesBp;
}

/** 30 payout percents × 30 fixed margins and 30 fixed payouts × 30 margin percents: 1,800 rules. */
function combinations(): RuntimeCampaign[] {
  const percents = Array.from({ length: 30 }, (_, i) => 50 + i * 317); // 0.50% … 92.43%, odd basis points included
  const amounts = Array.from({ length: 30 }, (_, i) => 1 + i * 333); // $0.01 … $96.58
  const out: RuntimeCampaign[] = [];
  for (const bp of percents) for (const cents of amounts) out.push(campaign({ type: 'percent', value: bp }, { type: 'fixed', value: cents }));
  for (const cents of amounts) for (const bp of percents) out.push(campaign({ type: 'fixed', value: cents }, { type: 'percent', value: bp }));
  return out;
}

describe('the floor explanation the engine gives the console', () => {
  it('states the payout and margin need to the exact cent for 1,800 payout and margin rules', () => {
    const rules = combinations();
    expect(rules).toHaveLength(1800);
    for (const c of rules) {
      const floor = effectiveFloor(c, tier);
      const record = tierRecordData(floor.parts, noBuyers, []);
      const shown = floorPartsView(record.floorParts, tier.name)?.find((p) => p.reason === 'payout_margin');
      const needCents = record.floorParts.payoutMarginCents;
      expect(needCents).toBe(payoutMarginFloor(c));
      if (needCents === null) throw new Error('every rule here can be paid');
      // The least price that pays both: this one does, a cent less does not.
      expect(paysBoth(c, needCents), JSON.stringify(c)).toBe(true);
      expect(paysBoth(c, needCents - 1), JSON.stringify(c)).toBe(false);
      // And the payout the engine computes at that price leaves the margin.
      const { marginCents } = computePayout(c, needCents);
      if (c.margin.type === 'fixed') expect(marginCents).toBeGreaterThanOrEqual(c.margin.value);
      else expect(marginCents * BP).toBeGreaterThanOrEqual(needCents * c.margin.value);
      // Shown in dollars that are exactly those cents.
      expect(shown?.amount).toBe(needCents / 100);
      expect(Math.round((shown?.amount ?? NaN) * 100)).toBe(needCents);
    }
  });

  it('reads tiers, floors and buyer names from the recorded events, not from configuration', () => {
    const view = auctionTiersView('a1', [
      { type: 'received', data: {} },
      {
        type: 'eligible',
        data: {
          auctionId: 'a1', tier: 1, tierName: 'Silver', floor: 12, floorReason: 'payout_margin', eligible: ['cheap'],
          excluded: [{ buyerId: 'acme', code: 'CAP_REACHED', reason: 'daily cap' }],
          floorParts: { tierCents: 500, minPriceCents: 300, payoutMarginCents: 1200 }, buyerNames: { cheap: 'Cheap Leads', acme: 'Acme' },
        },
      },
      { type: 'eligible', data: { auctionId: 'other', tier: 0, tierName: 'X', floor: 1, floorReason: 'tier', floorParts: { tierCents: 100, minPriceCents: 0, payoutMarginCents: 0 } } },
    ]);
    expect(view.tiers).toEqual([
      {
        tierIndex: 1, tierName: 'Silver', floor: 12, floorReason: 'payout_margin',
        parts: [
          { reason: 'tier', label: 'Silver floor', amount: 5 },
          { reason: 'campaign_min', label: 'Campaign minimum', amount: 3 },
          { reason: 'payout_margin', label: 'Payout + margin need', amount: 12 },
        ],
      },
    ]);
    expect(view.buyerNames).toEqual({ cheap: 'Cheap Leads', acme: 'Acme' });
    expect(view.excluded).toEqual([{ tierIndex: 1, buyerId: 'acme', code: 'CAP_REACHED', reason: 'daily cap' }]);
  });

  it('an auction recorded before the parts were kept has no parts rather than invented ones', () => {
    const view = auctionTiersView('old', [{ type: 'eligible', data: { auctionId: 'old', tier: 0, tierName: 'Tier 1', floor: 20, floorReason: 'tier', eligible: [], excluded: [] } }]);
    expect(view.tiers).toEqual([{ tierIndex: 0, tierName: 'Tier 1', floor: 20, floorReason: 'tier', parts: null }]);
    expect(view.buyerNames).toEqual({});
  });
});

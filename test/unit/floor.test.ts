import { describe, expect, it } from 'vitest';
import { effectiveFloor, IMPOSSIBLE_FLOOR, payoutMarginFloor } from '../../src/engine/auction/floor.js';
import { computePayout } from '../../src/engine/auction/payout.js';
import type { RuntimeCampaign, RuntimePriceRule, RuntimeTier } from '../../src/engine/workspace/runtime.js';

const pct = (percent: number): RuntimePriceRule => ({ type: 'percent', value: Math.round(percent * 100) });
const usd = (cents: number): RuntimePriceRule => ({ type: 'fixed', value: cents });

function campaign(payout: RuntimePriceRule, margin: RuntimePriceRule, minPriceCents = 0): RuntimeCampaign {
  // Only the money rules matter to the floor.
  return { payout, margin, minPriceCents } as RuntimeCampaign;
}

const tier = (floorCents: number): RuntimeTier => ({ index: 0, name: 'Tier 1', floorCents, buyerIds: [] });

describe('payoutMarginFloor', () => {
  it.each([
    ['a 70% payout and a $1 fixed margin need a price of at least $3.34', pct(70), usd(100), 334],
    ['a $10 fixed payout and a $2 fixed margin need $12.00', usd(1000), usd(200), 1200],
    ['a $10 fixed payout and a 20% margin need $12.50', usd(1000), pct(20), 1250],
    ['a $10 fixed payout and a 15% margin need $11.77 (rounded up)', usd(1000), pct(15), 1177],
    ['a 70% payout and a 30% margin allow any price', pct(70), pct(30), 0],
    ['a 70% payout and no margin allow any price', pct(70), usd(0), 0],
    ['a 70% payout and a 31% margin cannot both be paid', pct(70), pct(31), IMPOSSIBLE_FLOOR],
    ['a 100% payout leaves nothing for a $1 margin', pct(100), usd(100), IMPOSSIBLE_FLOOR],
    ['a 100% payout with no margin allows any price', pct(100), usd(0), 0],
    ['a 100% margin leaves nothing for a $10 fixed payout', usd(1000), pct(100), IMPOSSIBLE_FLOOR],
    ['a 12.5% payout and a $7 margin need $8.00', pct(12.5), usd(700), 800],
  ])('%s', (_name, payout, margin, expected) => {
    expect(payoutMarginFloor(campaign(payout, margin))).toBe(expected);
  });

  it('the floor is the least price whose remaining share covers the margin, across many rules', () => {
    for (const bp of [0, 1, 999, 3333, 5000, 6667, 7000, 9999]) {
      for (const marginCents of [1, 7, 100, 199, 12_345]) {
        const floor = payoutMarginFloor(campaign({ type: 'percent', value: bp }, usd(marginCents)));
        expect(floor * (10_000 - bp)).toBeGreaterThanOrEqual(marginCents * 10_000);
        expect((floor - 1) * (10_000 - bp)).toBeLessThan(marginCents * 10_000);
        // And the payout actually computed at that price leaves the broker at least the margin.
        expect(computePayout(campaign({ type: 'percent', value: bp }, usd(marginCents)), floor).marginCents).toBeGreaterThanOrEqual(marginCents);
      }
    }
  });

  it('a fixed payout with a percent margin keeps the percent at the floor and not one cent below', () => {
    for (const payoutCents of [1, 500, 1000, 2999]) {
      for (const bp of [500, 1500, 3333, 9000]) {
        const floor = payoutMarginFloor(campaign(usd(payoutCents), { type: 'percent', value: bp }));
        expect((floor - payoutCents) * 10_000).toBeGreaterThanOrEqual(floor * bp);
        expect((floor - 1 - payoutCents) * 10_000).toBeLessThan((floor - 1) * bp);
      }
    }
  });
});

describe('effectiveFloor', () => {
  it('the tier floor stands when it is the highest', () => {
    expect(effectiveFloor(campaign(pct(70), usd(100), 500), tier(2000))).toEqual({
      floorCents: 2000,
      reason: 'tier',
      parts: { tierCents: 2000, minPriceCents: 500, payoutMarginCents: 334 },
    });
  });

  it('the campaign minimum lifts a lower tier floor', () => {
    expect(effectiveFloor(campaign(pct(70), usd(100), 500), tier(200))).toMatchObject({ floorCents: 500, reason: 'campaign_min' });
  });

  it('the payout and margin rules lift both when they need more', () => {
    expect(effectiveFloor(campaign(usd(1000), usd(200), 500), tier(200))).toMatchObject({ floorCents: 1200, reason: 'payout_margin' });
  });

  it('on a tie the tier is named as the reason', () => {
    expect(effectiveFloor(campaign(pct(70), usd(100), 334), tier(334))).toMatchObject({ floorCents: 334, reason: 'tier' });
  });

  it('impossible payout and margin rules put the floor out of reach of any bid', () => {
    const floor = effectiveFloor(campaign(pct(80), pct(30), 500), tier(2000));
    expect(floor).toMatchObject({ floorCents: Number.MAX_SAFE_INTEGER, reason: 'payout_margin' });
  });
});

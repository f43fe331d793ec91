import { describe, expect, it } from 'vitest';
import type { CampaignSpec, PriceRule } from '../../src/shared/domain.js';
import { computePayout } from '../../src/engine/auction/payout.js';
import { compileCampaign } from '../../src/engine/workspace/compile.js';

function campaign(payout: PriceRule) {
  const spec: CampaignSpec = {
    id: 'auto', name: 'Auto', vertical: 'auto', fields: {}, pingFields: [], minPrice: 0, payout, margin: { type: 'fixed', value: 0 },
    requireNamedSeller: false, duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000, tiers: [],
  };
  return compileCampaign(spec);
}

describe('computePayout', () => {
  it.each([
    ['a 70% payout of $23.50 is $16.45', { type: 'percent', value: 70 }, 2350, 1645, 705],
    ['a 70% payout of $23.51 rounds down to $16.45', { type: 'percent', value: 70 }, 2351, 1645, 706],
    ['a 33.33% payout of $10.01 rounds down to $3.33', { type: 'percent', value: 33.33 }, 1001, 333, 668],
    ['a 70% payout of one cent is nothing', { type: 'percent', value: 70 }, 1, 0, 1],
    ['a 100% payout passes the whole price on', { type: 'percent', value: 100 }, 2350, 2350, 0],
    ['a $10 fixed payout of a $25 sale leaves $15', { type: 'fixed', value: 10 }, 2500, 1000, 1500],
  ] satisfies Array<[string, PriceRule, number, number, number]>)('%s', (_name, rule, price, payoutCents, marginCents) => {
    expect(computePayout(campaign(rule), price)).toEqual({ payoutCents, marginCents });
  });

  it('payout and margin are whole cents that add up to the price, and the payout never exceeds the rule', () => {
    const c = campaign({ type: 'percent', value: 72.5 });
    for (let price = 0; price <= 100_000; price += 37) {
      const { payoutCents, marginCents } = computePayout(c, price);
      expect(Number.isInteger(payoutCents)).toBe(true);
      expect(payoutCents + marginCents).toBe(price);
      expect(payoutCents * 10_000).toBeLessThanOrEqual(price * 7250);
      expect((payoutCents + 1) * 10_000).toBeGreaterThan(price * 7250);
    }
  });
});

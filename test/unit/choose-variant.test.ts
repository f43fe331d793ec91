import { describe, expect, it } from 'vitest';
import { chooseVariant, variantOf } from '../../src/engine/auction/choose-variant.js';
import type { RuntimeTier } from '../../src/engine/workspace/runtime.js';

const tierA: RuntimeTier = { index: 0, name: 'A tier', floorCents: 2000, buyerIds: ['acme'] };
const tierB: RuntimeTier = { index: 0, name: 'B tier', floorCents: 3000, buyerIds: ['acme'] };
const ids = Array.from({ length: 20_000 }, (_, i) => `lead-${i}-${(i * 2_654_435_761) % 1_000_003}`);

describe('choosing a lead’s A/B variant', () => {
  it('a campaign without a test runs every lead on its own tiers, in no test', () => {
    expect(chooseVariant({ tiers: [tierA] }, 'lead-1')).toEqual({ test: null, variant: 'A', tiers: [tierA] });
  });

  it('the same lead id under the same test always gets the same variant and tree', () => {
    const campaign = { tiers: [tierA], abTest: { name: 'floors', splitPercent: 50, variantBTiers: [tierB], startedAt: 0 } };
    for (const id of ids.slice(0, 200)) {
      const first = chooseVariant(campaign, id);
      expect(chooseVariant(campaign, id)).toEqual(first);
      expect(first.tiers).toEqual(first.variant === 'B' ? [tierB] : [tierA]);
      expect(first.test).toBe('floors');
    }
  });

  it.each([10, 50, 80])('sends about %i in 100 of many leads to B', (split) => {
    const toB = ids.filter((id) => variantOf('floors', id, split) === 'B').length / ids.length;
    // 20,000 leads: the binomial standard error is at most 0.35 points; 1.5 points is over four of them.
    expect(Math.abs(toB * 100 - split)).toBeLessThan(1.5);
  });

  it('a lead in B at a 30% split stays in B at 60% (raising the split only moves A leads)', () => {
    const at30 = ids.filter((id) => variantOf('floors', id, 30) === 'B');
    expect(at30.every((id) => variantOf('floors', id, 60) === 'B')).toBe(true);
  });

  it('another test name reshuffles the leads', () => {
    const same = ids.filter((id) => variantOf('floors', id, 50) === variantOf('floors-2', id, 50)).length / ids.length;
    expect(same).toBeGreaterThan(0.45);
    expect(same).toBeLessThan(0.55);
  });
});

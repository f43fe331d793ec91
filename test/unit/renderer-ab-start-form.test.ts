import { describe, expect, it } from 'vitest';
import { draftFromTiers, parseAbStart } from '../../src/renderer/features/abtest/ab-start-form.js';
import type { TierSpec } from '../../src/shared/domain.js';

const tiers: TierSpec[] = [
  { name: 'Tier 1', floor: 20, buyers: ['acme', 'bolt'], distribution: 'weighted', weights: { acme: 3 } },
  { name: 'Tier 2', floor: 5, buyers: ['cheap'] },
];

describe('the A/B start form', () => {
  it('starts variant B as a copy of the campaign’s tree, with a name and a 50% split', () => {
    const draft = draftFromTiers(tiers, new Date('2026-11-28T06:40:00Z'));
    expect(draft).toEqual({
      name: 'test-202611280640',
      split: '50',
      tiers: [
        { name: 'Tier 1', floor: '20.00', buyers: 'acme, bolt' },
        { name: 'Tier 2', floor: '5.00', buyers: 'cheap' },
      ],
    });
    expect(parseAbStart(draft, tiers)).toEqual({ ok: true, name: 'test-202611280640', splitPercent: 50, tiers });
  });

  it('reads an edited floor and moved buyers, keeping each tier’s distribution', () => {
    const draft = { name: ' higher ', split: '30', tiers: [{ name: 'Tier 1', floor: '$35', buyers: 'acme' }, { name: '', floor: '5', buyers: 'cheap,  bolt' }] };
    expect(parseAbStart(draft, tiers)).toEqual({
      ok: true,
      name: 'higher',
      splitPercent: 30,
      tiers: [
        { name: 'Tier 1', floor: 35, buyers: ['acme'], distribution: 'weighted', weights: { acme: 3 } },
        { name: 'Tier 2', floor: 5, buyers: ['cheap', 'bolt'] },
      ],
    });
  });

  it('names every bad field: an empty name, a split outside 1-99, a floor that is not dollars', () => {
    const r = parseAbStart({ name: ' ', split: '100', tiers: [{ name: 'T', floor: '3.999', buyers: '' }] }, tiers);
    expect(r).toEqual({
      ok: false,
      problems: [
        { field: 'name', message: 'give the test a name' },
        { field: 'splitPercent', message: 'a whole percent from 1 to 99' },
        { field: 'tiers[0].floor', message: 'dollars, at most two decimals' },
      ],
    });
  });
});

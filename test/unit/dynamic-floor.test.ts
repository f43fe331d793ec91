import { describe, expect, it } from 'vitest';
import { decideDynamicFloor, percentileOf, type DynamicFloorRule } from '../../src/engine/market/dynamic-floor.js';

const rule = (over: Partial<DynamicFloorRule> = {}): DynamicFloorRule => ({ percentile: 25, minSamples: 4, minCents: 500, maxCents: 5000, maxStepCents: 300, ...over });

describe('dynamic floor', () => {
  it('takes the nearest-rank percentile, always a price someone paid', () => {
    const bids = [4000, 1000, 3000, 2000];
    expect(percentileOf(bids, 25)).toBe(1000);
    expect(percentileOf(bids, 26)).toBe(2000);
    expect(percentileOf(bids, 50)).toBe(2000);
    expect(percentileOf(bids, 99)).toBe(4000);
    expect(percentileOf([1234], 1)).toBe(1234);
  });

  it('moves the floor to the percentile when it is within the bounds and the step', () => {
    // 25th percentile of 20, 22, 24, 26 dollars is 20; from 18 that is a 2-dollar move.
    expect(decideDynamicFloor(rule(), 1800, [2600, 2200, 2000, 2400])).toEqual({ kind: 'change', samples: 4, targetCents: 2000, fromCents: 1800, toCents: 2000, limitedBy: null });
  });

  it('moves at most maxStep per change, up or down', () => {
    expect(decideDynamicFloor(rule(), 1000, [3000, 3000, 3000, 3000])).toMatchObject({ kind: 'change', targetCents: 3000, toCents: 1300, limitedBy: 'step' });
    expect(decideDynamicFloor(rule(), 3000, [1000, 1000, 1000, 1000])).toMatchObject({ kind: 'change', targetCents: 1000, toCents: 2700, limitedBy: 'step' });
  });

  it('holds the floor within min and max', () => {
    expect(decideDynamicFloor(rule({ maxCents: 2100 }), 2000, [2500, 2600, 2700, 2800])).toMatchObject({ kind: 'change', targetCents: 2500, toCents: 2100, limitedBy: 'max' });
    expect(decideDynamicFloor(rule({ minCents: 900 }), 1000, [100, 200, 300, 400])).toMatchObject({ kind: 'change', targetCents: 100, toCents: 900, limitedBy: 'min' });
    // Already at the bound: nothing to change, and the bound is named.
    expect(decideDynamicFloor(rule({ minCents: 900 }), 900, [100, 200, 300, 400])).toMatchObject({ kind: 'unchanged', toCents: 900, limitedBy: 'min' });
  });

  it('changes nothing with too few samples', () => {
    expect(decideDynamicFloor(rule({ minSamples: 5 }), 1800, [2000, 2200, 2400, 2600])).toEqual({ kind: 'too_few_samples', samples: 4, needed: 5 });
    expect(decideDynamicFloor(rule({ minSamples: 0 }), 1800, [])).toEqual({ kind: 'too_few_samples', samples: 0, needed: 1 });
  });

  it('says unchanged when the floor already sits at the target', () => {
    expect(decideDynamicFloor(rule(), 2000, [2000, 2200, 2400, 2600])).toMatchObject({ kind: 'unchanged', fromCents: 2000, toCents: 2000, limitedBy: null });
  });
});

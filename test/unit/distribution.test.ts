import { describe, expect, it } from 'vitest';
import { distributionOrder, RotationState } from '../../src/engine/auction/distribution.js';
import { rankBids, type Bid } from '../../src/engine/auction/winner.js';

const bid = (buyerId: string, priceCents: number): Bid => ({ buyerId, priceCents, priority: 0, latencyMs: 0 });

/** A small seeded generator, so the counts are the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('distributionOrder', () => {
  it('price mode keeps the ranked order', () => {
    const { ranked } = rankBids([bid('a', 1000), bid('b', 3000)], 0);
    expect(distributionOrder(ranked, { buyerIds: ['a', 'b'] }, undefined, Math.random).map((b) => b.buyerId)).toEqual(['b', 'a']);
  });

  it('weighted 3:1 sends about three quarters of 8,000 leads to the heavier buyer first, whatever the price', () => {
    const { ranked } = rankBids([bid('heavy', 1000), bid('light', 5000)], 0);
    const tier = { buyerIds: ['heavy', 'light'], distribution: 'weighted' as const, weights: { heavy: 3, light: 1 } };
    const random = seeded(42);
    const firsts = { heavy: 0, light: 0 };
    for (let i = 0; i < 8000; i += 1) {
      const order = distributionOrder(ranked, tier, undefined, random);
      firsts[order[0]?.buyerId as 'heavy' | 'light'] += 1;
      expect(order).toHaveLength(2);
    }
    expect(firsts.heavy / 8000).toBeGreaterThan(0.72);
    expect(firsts.heavy / 8000).toBeLessThan(0.78);
  });

  it('a weight of 0 is never drawn first but stays a fallback', () => {
    const { ranked } = rankBids([bid('a', 1000), bid('zero', 5000)], 0);
    const tier = { buyerIds: ['a', 'zero'], distribution: 'weighted' as const, weights: { zero: 0 } };
    for (let i = 0; i < 200; i += 1) expect(distributionOrder(ranked, tier, undefined, Math.random).map((b) => b.buyerId)).toEqual(['a', 'zero']);
  });

  it('round robin serves the eligible buyers in strict rotation over many leads, skipping one that did not bid', () => {
    const tier = { buyerIds: ['a', 'b', 'c'], distribution: 'round_robin' as const };
    const rotation = new RotationState();
    const served: string[] = [];
    for (let i = 0; i < 9; i += 1) {
      const bids = i === 4 ? [bid('a', 1000), bid('c', 1000)] : [bid('a', 1000), bid('b', 1000), bid('c', 1000)];
      const first = distributionOrder(rankBids(bids, 0).ranked, tier, rotation.lastServed('camp', 0), Math.random)[0] as Bid;
      rotation.served('camp', 0, first.buyerId);
      served.push(first.buyerId);
    }
    expect(served).toEqual(['a', 'b', 'c', 'a', 'c', 'a', 'b', 'c', 'a']);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SuppressionFilter } from '../../src/engine/store/suppression-filter.js';

const hashOf = (i: number) => createHash('sha256').update(`phone-${i}`).digest('hex');

describe('suppression filter', () => {
  it('never rules out a listed hash, also after removals of others sharing its slots', () => {
    // A small filter (65,536 slots) with three entries a slot on average.
    const filter = new SuppressionFilter(0);
    const listed = Array.from({ length: 200_000 }, (_, i) => hashOf(i));
    for (const h of listed) filter.add(h);
    for (const h of listed.slice(0, 100_000)) filter.remove(h);
    expect(listed.slice(100_000).filter((h) => !filter.mayHold(h))).toEqual([]);
  });

  it('rules out most unlisted hashes when sized for its entries', () => {
    const filter = new SuppressionFilter(100_000);
    for (let i = 0; i < 100_000; i++) filter.add(hashOf(i));
    let falseHits = 0;
    for (let i = 100_000; i < 110_000; i++) if (filter.mayHold(hashOf(i))) falseHits++;
    // 262,144 slots for 100,000 entries: about one unlisted hash in three hits a used slot.
    expect(falseHits / 10_000).toBeLessThan(0.45);
    expect(filter.crowded).toBe(false);
  });

  it('asks to be rebuilt once the list outgrows it', () => {
    const filter = new SuppressionFilter(0);
    for (let i = 0; i < 40_000; i++) filter.add(hashOf(i));
    expect(filter.crowded).toBe(true);
  });
});

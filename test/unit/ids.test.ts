import { describe, expect, it } from 'vitest';
import { createIdFactory } from '../../src/engine/ids.js';

describe('createIdFactory', () => {
  it('makes ids that sort by creation time, with 16 hex digits of randomness after the time', () => {
    let t = 1_700_000_000_000;
    const next = createIdFactory('lead_', () => t);
    const a = next();
    t += 1;
    const b = next();
    expect(a).toMatch(/^lead_[0-9a-z]{9}[0-9a-f]{16}$/);
    expect(a < b).toBe(true);
  });

  it('never repeats across many thousands of ids made in the same millisecond (past several refills of the random pool)', () => {
    const next = createIdFactory('x', () => 0);
    const ids = new Set(Array.from({ length: 20_000 }, () => next()));
    expect(ids.size).toBe(20_000);
    const tails = new Set([...ids].map((id) => id.slice(-16)));
    expect(tails.size).toBe(20_000);
  });
});

import { describe, expect, it } from 'vitest';
import { createIdFactory, randomSecret } from '../../src/engine/ids.js';

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

describe('randomSecret', () => {
  it('hands out secrets that never repeat nor share bytes with the ids drawn between them, across refills', () => {
    const next = createIdFactory('x', () => 0);
    const secrets = new Set<string>();
    const idTails = new Set<string>();
    for (let i = 0; i < 3_000; i++) {
      const s = randomSecret(32);
      expect(s.length).toBe(32);
      secrets.add(s.toString('hex'));
      idTails.add(next().slice(-16));
    }
    expect(secrets.size).toBe(3_000);
    // No id's random part is a slice of any secret (the pool hands each byte out once).
    const all = [...secrets].join(' ');
    expect([...idTails].filter((t) => all.includes(t))).toEqual([]);
    // Not all zero: the pool is zeroed only after a secret is copied out of it.
    expect([...secrets].some((s) => /^0+$/.test(s))).toBe(false);
  });

  it('draws larger secrets straight from the CSPRNG', () => {
    expect(randomSecret(128).length).toBe(128);
  });
});

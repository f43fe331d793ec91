import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/engine/bounded-memo.js';

describe('BoundedMemo', () => {
  it('computes a value once per key, then answers from memory', () => {
    const memo = new BoundedMemo<string, number>(10);
    let calls = 0;
    const length = (s: string) => {
      calls++;
      return s.length;
    };
    expect(memo.of('abc', length)).toBe(3);
    expect(memo.of('abc', length)).toBe(3);
    expect(calls).toBe(1);
    expect(memo.get('abc')).toBe(3);
    expect(memo.get('zz')).toBeUndefined();
  });

  it('forgets everything when full, so distinct keys never grow it past its limit', () => {
    const memo = new BoundedMemo<number, number>(3);
    for (const k of [1, 2, 3]) memo.set(k, k * 10);
    expect(memo.get(1)).toBe(10);
    memo.set(4, 40);
    expect([1, 2, 3].map((k) => memo.get(k))).toEqual([undefined, undefined, undefined]);
    expect(memo.get(4)).toBe(40);
  });

  it('forgets on clear', () => {
    const memo = new BoundedMemo<string, string>(5);
    memo.set('k', 'v');
    memo.clear();
    expect(memo.get('k')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/engine/store/canonical-json.js';

/** The definition, written the slow obvious way: JSON.stringify of a copy whose keys are sorted at every depth. */
function reference(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sort(JSON.parse(JSON.stringify(value) ?? 'null'))) ?? 'null';
}

function randomValue(rand: () => number, depth: number): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 6 : 9));
  // No integer-like keys here: a JS object (the reference's copy) always lists those first, in numeric order.
  const keys = ['b', 'a', 'zeta', 'Alpha', 'é', 'lead_id', 'k10', 'k2', 'key "quoted"', 'a\nb'];
  switch (pick) {
    case 0: return null;
    case 1: return rand() < 0.5;
    case 2: return Math.round((rand() - 0.5) * 1e6) / 100;
    case 3: return ['', 'plain', 'quote " and \\ backslash', 'line\nbreak', 'ünïcödé', '\u2028'][Math.floor(rand() * 6)];
    case 4: return [NaN, Infinity, -0, 1e21, 1.5e-7][Math.floor(rand() * 5)];
    case 5: return undefined;
    case 6:
    case 7: {
      const obj: Record<string, unknown> = {};
      const n = Math.floor(rand() * 5);
      for (let i = 0; i < n; i++) obj[keys[Math.floor(rand() * keys.length)]] = randomValue(rand, depth + 1);
      return obj;
    }
    default:
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
  }
}

describe('canonicalJson', () => {
  it('equals JSON.stringify of the value with its keys sorted, for thousands of generated values', () => {
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 5000; i++) {
      const v = randomValue(rand, 0);
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('sorts keys at every depth whatever order they were written in', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe('{"a":1,"b":2}');
    // By UTF-16 code units, like Array.prototype.sort: integer-like keys are not numbers here.
    expect(canonicalJson({ 2: 'two', 10: 'ten', B: 1, a: 2 })).toBe('{"10":"ten","2":"two","B":1,"a":2}');
  });

  it('sorts small and large objects alike (a few keys are sorted in place, many by Array#sort)', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const size of [2, 3, 8, 24, 25, 60]) {
      for (let round = 0; round < 20; round++) {
        const names = Array.from({ length: size }, (_, i) => `k${String.fromCharCode(97 + (i % 26))}${i}${rand() < 0.5 ? 'É' : '_'}`);
        const shuffled = names.map((n) => [rand(), n] as const).sort((a, b) => a[0] - b[0]).map(([, n]) => n);
        const obj = Object.fromEntries(shuffled.map((n, i) => [n, i]));
        expect(canonicalJson(obj)).toBe(reference(obj));
      }
    }
  });

  it('follows JSON.stringify for undefined, functions, non-finite numbers and toJSON (called once)', () => {
    expect(canonicalJson({ a: undefined, b: () => 1, c: NaN, d: [undefined, Infinity] })).toBe('{"c":null,"d":[null,null]}');
    expect(canonicalJson(new Date(0))).toBe('"1970-01-01T00:00:00.000Z"');
    const inner = { toJSON: () => 'inner' };
    expect(canonicalJson({ toJSON: () => ({ x: inner, y: 1 }) })).toBe(JSON.stringify({ toJSON: () => ({ x: inner, y: 1 }) }));
    expect(canonicalJson(undefined)).toBe('null');
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });
});

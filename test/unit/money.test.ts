import { describe, expect, it } from 'vitest';
import { truncateToCents } from '../../src/engine/money.js';

describe('money from buyers', () => {
  it('cuts sub-cent amounts to the cent and never rounds up', () => {
    expect(truncateToCents(99.999)).toBe(9999);
    expect(truncateToCents(12.346)).toBe(1234);
    expect(truncateToCents(0.009)).toBe(0);
    expect(truncateToCents(99.9999999)).toBe(9999);
  });

  it('keeps amounts of two decimals exact despite binary floats', () => {
    // 99.99 * 100 is 9998.999… in binary floating point; a naive floor would lose a cent.
    expect(truncateToCents(99.99)).toBe(9999);
    expect(truncateToCents(0.29)).toBe(29);
    expect(truncateToCents(19.9)).toBe(1990);
    expect(truncateToCents(23.5)).toBe(2350);
    expect(truncateToCents(100)).toBe(10_000);
  });

  it('handles exponent forms and signs', () => {
    expect(truncateToCents(1e-7)).toBe(0);
    expect(truncateToCents(-3.456)).toBe(-345);
    expect(truncateToCents(1e21)).toBe(1e23);
    expect(Number.isNaN(truncateToCents(Number.NaN))).toBe(true);
  });
});

import jStat from 'jstat';

export interface ProportionResult {
  /** share(b) − share(a). */
  difference: number;
  z: number;
  /** Two-sided. */
  pValue: number;
}

/**
 * The two-proportion z-test with pooled variance: p̂ = (xa + xb)/(na + nb),
 *   z = (xb/nb − xa/na) / √(p̂(1 − p̂)(1/na + 1/nb)),  p = 2·(1 − Φ(|z|)).
 * Null with an empty sample or when every lead (or none) sold in both.
 */
export function twoProportionZTest(a: { successes: number; n: number }, b: { successes: number; n: number }): ProportionResult | null {
  if (a.n === 0 || b.n === 0) return null;
  const pooled = (a.successes + b.successes) / (a.n + b.n);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.n + 1 / b.n));
  if (!(se > 0)) return null;
  const difference = b.successes / b.n - a.successes / a.n;
  const z = difference / se;
  return { difference, z, pValue: Math.min(1, 2 * (1 - jStat.normal.cdf(Math.abs(z), 0, 1))) };
}

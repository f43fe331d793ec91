import jStat from 'jstat';

/** A sample summarised by its size, mean and unbiased variance (n − 1 in the denominator). */
export interface SampleSummary {
  n: number;
  mean: number;
  variance: number;
}

export interface WelchResult {
  /** mean(b) − mean(a). */
  difference: number;
  standardError: number;
  t: number;
  /** Welch–Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided. */
  pValue: number;
  /** The confidence interval of the difference, at `confidence` (default 95%). */
  low: number;
  high: number;
}

/**
 * Welch's two-sample t-test of mean(b) − mean(a), not assuming equal variances:
 *   se = √(va/na + vb/nb),  t = (mb − ma) / se,
 *   df = se⁴ / ((va/na)²/(na − 1) + (vb/nb)²/(nb − 1)),
 *   p = 2·(1 − T_df(|t|)),  CI = (mb − ma) ± T_df⁻¹(1 − α/2)·se.
 * Null when it cannot say anything: fewer than 2 in a sample, or no variance in either.
 */
export function welchTTest(a: SampleSummary, b: SampleSummary, confidence = 0.95): WelchResult | null {
  if (a.n < 2 || b.n < 2) return null;
  const qa = a.variance / a.n;
  const qb = b.variance / b.n;
  const se = Math.sqrt(qa + qb);
  if (!(se > 0)) return null;
  const difference = b.mean - a.mean;
  const t = difference / se;
  const df = (qa + qb) ** 2 / (qa ** 2 / (a.n - 1) + qb ** 2 / (b.n - 1));
  const pValue = Math.min(1, 2 * (1 - jStat.studentt.cdf(Math.abs(t), df)));
  const margin = jStat.studentt.inv(1 - (1 - confidence) / 2, df) * se;
  return { difference, standardError: se, t, df, pValue, low: difference - margin, high: difference + margin };
}

/** n, mean and unbiased variance from a count, a sum and a sum of squares (how the store keeps them). */
export function summaryOfSums(n: number, sum: number, sumOfSquares: number): SampleSummary {
  if (n === 0) return { n, mean: 0, variance: 0 };
  const mean = sum / n;
  // Σx² − n·x̄², clamped: rounding must not make a variance negative.
  const variance = n < 2 ? 0 : Math.max(0, (sumOfSquares - n * mean * mean) / (n - 1));
  return { n, mean, variance };
}

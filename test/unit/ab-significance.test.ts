import { describe, expect, it } from 'vitest';
import { twoProportionZTest } from '../../src/engine/abtest/proportion-z-test.js';
import { summaryOfSums, welchTTest, type SampleSummary } from '../../src/engine/abtest/welch-t-test.js';

function summary(xs: number[]): SampleSummary {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  return { n, mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) };
}

// The two worked examples of Welch's t-test on Wikipedia ("Welch's t-test", Examples 1 and 2); the
// reference figures (t, df, two-sided p, 95% interval of the difference) are those R's t.test and
// SciPy's ttest_ind(equal_var=False) give for the same samples.
const A1 = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
const A2 = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];
const B1 = [17.2, 20.9, 22.6, 18.1, 21.7, 21.4, 23.5, 24.2, 14.7, 21.8];
const B2 = [21.5, 22.8, 21.0, 23.0, 21.6, 23.6, 22.5, 20.7, 23.4, 21.8, 20.7, 21.7, 21.5, 22.5, 23.6, 21.5, 22.5, 23.5, 21.5, 21.8];

describe("Welch's two-sample t-test", () => {
  it('matches the textbook example with equal sizes (t 2.46, df 25.0, p 0.021)', () => {
    const r = welchTTest(summary(A1), summary(A2));
    expect(r).not.toBeNull();
    expect(r?.t).toBeCloseTo(2.455356, 5);
    expect(r?.df).toBeCloseTo(24.988529, 4);
    expect(r?.pValue).toBeCloseTo(0.021378, 5);
    expect(r?.low).toBeCloseTo(0.349237, 4);
    expect(r?.high).toBeCloseTo(3.984096, 4);
    expect(r?.difference).toBeCloseTo(2.166667, 5);
  });

  it('matches the textbook example with unequal sizes and spreads (t 1.57, df 9.9, p 0.149)', () => {
    const r = welchTTest(summary(B1), summary(B2));
    expect(r?.t).toBeCloseTo(1.565434, 5);
    expect(r?.df).toBeCloseTo(9.904741, 4);
    expect(r?.pValue).toBeCloseTo(0.148842, 5);
    expect(r?.low).toBeCloseTo(-0.648421, 4);
    expect(r?.high).toBeCloseTo(3.698421, 4);
  });

  it('is symmetric: swapping the samples flips the sign and keeps p', () => {
    const ab = welchTTest(summary(A1), summary(A2));
    const ba = welchTTest(summary(A2), summary(A1));
    expect(ba?.t).toBeCloseTo(-(ab?.t ?? 0), 10);
    expect(ba?.pValue).toBeCloseTo(ab?.pValue ?? 0, 10);
  });

  it('says nothing with fewer than two values in a sample or no variance at all', () => {
    expect(welchTTest({ n: 1, mean: 5, variance: 0 }, summary(A2))).toBeNull();
    expect(welchTTest({ n: 40, mean: 0, variance: 0 }, { n: 40, mean: 0, variance: 0 })).toBeNull();
  });

  it('reads a sample from its count, sum and sum of squares as the store keeps them', () => {
    const sum = A1.reduce((s, x) => s + x, 0);
    const squares = A1.reduce((s, x) => s + x * x, 0);
    const fromSums = summaryOfSums(A1.length, sum, squares);
    const direct = summary(A1);
    expect(fromSums.mean).toBeCloseTo(direct.mean, 10);
    expect(fromSums.variance).toBeCloseTo(direct.variance, 8);
    // Revenue per lead in cents, most leads unsold: 3 sales of $20 among 10 leads.
    expect(summaryOfSums(10, 6000, 3 * 2000 * 2000)).toEqual({ n: 10, mean: 600, variance: (3 * 2000 * 2000 - 10 * 600 * 600) / 9 });
    expect(summaryOfSums(0, 0, 0)).toEqual({ n: 0, mean: 0, variance: 0 });
  });
});

describe('two-proportion z-test', () => {
  it('matches the hand-computed pooled test: 45/100 against 60/100 gives z 2.124, p 0.0337', () => {
    // p̂ = 105/200 = 0.525; se = √(0.525·0.475·(2/100)) = 0.070622; z = 0.15 / 0.070622 = 2.12398
    const r = twoProportionZTest({ successes: 45, n: 100 }, { successes: 60, n: 100 });
    expect(r?.difference).toBeCloseTo(0.15, 10);
    expect(r?.z).toBeCloseTo(2.123977, 5);
    expect(r?.pValue).toBeCloseTo(0.033672, 5);
  });

  it('says nothing without leads, or when every lead (or none) sold in both', () => {
    expect(twoProportionZTest({ successes: 0, n: 0 }, { successes: 3, n: 10 })).toBeNull();
    expect(twoProportionZTest({ successes: 10, n: 10 }, { successes: 20, n: 20 })).toBeNull();
  });
});

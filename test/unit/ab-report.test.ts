import { describe, expect, it } from 'vitest';
import { buildAbReport, formatP } from '../../src/engine/abtest/ab-report.js';
import type { AbVariantTotals } from '../../src/engine/store/ab-test-repo.js';

/** Totals of `leads` leads of which `sold` sold at `priceCents` each (the rest at $0). */
function totals(variant: 'A' | 'B', leads: number, sold: number, priceCents: number): AbVariantTotals {
  return { variant, leads, sold, revenueCents: sold * priceCents, revenueSquaresCents2: sold * priceCents * priceCents, marginCents: sold * Math.round(priceCents * 0.3) };
}

const base = { campaignId: 'auto', test: { name: 't', splitPercent: 50, startedAt: 0, running: true }, from: 0, to: 1, tiers: null };

describe('the A/B report in plain words', () => {
  it('B earning clearly more per lead reads "likely real", with the figures the report carries', () => {
    // A: 200 leads, 100 sold at $20 → $10.00 per lead. B: 200 leads, 140 sold at $20 → $14.00 per lead.
    const r = buildAbReport({ ...base, totals: [totals('A', 200, 100, 2000), totals('B', 200, 140, 2000)] });
    expect(r.verdict).toBe('b_better');
    expect(r.variants.map((v) => [v.revenuePerLead, v.fillRate, v.revenue])).toEqual([[10, 0.5, 2000], [14, 0.7, 2800]]);
    expect(r.revenuePerLead?.difference).toBe(4);
    expect(r.revenuePerLead?.pValue).toBeLessThan(0.001);
    expect(r.summary).toMatch(/^B earns \$4\.00 more per lead than A; p < 0\.001 — likely real \(95% interval \$\d+\.\d\d to \$\d+\.\d\d\)\.$/);
    expect(r.fillRate?.pValue).toBeLessThan(0.001);
  });

  it('a small difference on few leads reads "not enough evidence yet"', () => {
    const r = buildAbReport({ ...base, totals: [totals('A', 40, 20, 2000), totals('B', 40, 22, 2000)] });
    expect(r.verdict).toBe('no_evidence');
    expect(r.summary).toContain('B earns $1.00 more per lead than A');
    expect(r.summary).toContain('not enough evidence yet');
    expect(r.revenuePerLead?.low).toBeLessThan(0);
    expect(r.revenuePerLead?.high).toBeGreaterThan(0);
  });

  it('B earning less says so, and A is then the better tree', () => {
    const r = buildAbReport({ ...base, totals: [totals('A', 300, 200, 3000), totals('B', 300, 100, 3000)] });
    expect(r.verdict).toBe('a_better');
    expect(r.summary).toContain('B earns $10.00 less per lead than A');
  });

  it('below 30 leads in a variant the test is not read, whatever p says', () => {
    const r = buildAbReport({ ...base, totals: [totals('A', 29, 0, 2000), totals('B', 29, 29, 2000)] });
    expect(r.verdict).toBe('too_few_leads');
    expect(r.summary).toBe('Not enough evidence yet: A has 29 leads and B has 29; each needs at least 30 before the test is read.');
    expect(r.assumptions.length).toBeGreaterThanOrEqual(3);
  });

  it('writes p with two significant digits', () => {
    expect([formatP(0.0312), formatP(0.4137), formatP(0.00004), formatP(1)]).toEqual(['0.031', '0.41', '< 0.001', '1.00']);
  });

  it('with no variation inside either variant it states the difference and that the test cannot weigh it', () => {
    const r = buildAbReport({ ...base, totals: [totals('A', 40, 40, 3000), totals('B', 40, 40, 800)] });
    expect(r.revenuePerLead).toBeNull();
    expect(r.verdict).toBe('no_evidence');
    expect(r.summary).toBe('B earns $22.00 less per lead than A, but every lead earned the same within each variant, so the test cannot say how sure that is.');
  });
});

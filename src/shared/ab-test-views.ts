/** What the console sees of an A/B test of a ping tree. Money in dollars, times in epoch ms. */

import type { CampaignSpec, TierSpec } from './domain.js';

export type AbVariantName = 'A' | 'B';

export interface AbVariantView {
  variant: AbVariantName;
  /** The variant's tree while the test runs; null once it ended (the tree is no longer known). */
  tiers: TierSpec[] | null;
  /** Finished auctions of the variant in the window (sold, unsold or unconfirmed; test leads left out). */
  leads: number;
  sold: number;
  /** sold / leads; null without leads. */
  fillRate: number | null;
  revenue: number;
  /** Revenue / leads, every unsold lead counting as $0; null without leads. */
  revenuePerLead: number | null;
  margin: number;
  marginPerLead: number | null;
}

/** Welch's two-sample t-test of revenue per lead, B − A. */
export interface AbRevenueTestView {
  method: 'welch_t';
  /** B's revenue per lead minus A's, dollars. */
  difference: number;
  /** The 95% confidence interval of the difference, dollars. */
  low: number;
  high: number;
  t: number;
  df: number;
  pValue: number;
}

/** The two-proportion z-test of fill rate, B − A. */
export interface AbFillRateTestView {
  method: 'two_proportion_z';
  /** B's fill rate minus A's, as a fraction (0.05 = 5 points). */
  difference: number;
  z: number;
  pValue: number;
}

/**
 * `b_better` / `a_better`: revenue per lead differs with p < 0.05; `no_evidence`: it does not (yet);
 * `too_few_leads`: a variant has fewer leads than the test needs to be read at all.
 */
export type AbVerdict = 'b_better' | 'a_better' | 'no_evidence' | 'too_few_leads';

export interface AbReport {
  campaignId: string;
  /** The test reported on; null when the campaign never ran one. */
  test: { name: string; splitPercent: number | null; startedAt: number | null; running: boolean } | null;
  from: number;
  to: number;
  variants: AbVariantView[];
  revenuePerLead: AbRevenueTestView | null;
  fillRate: AbFillRateTestView | null;
  verdict: AbVerdict;
  /** The result in plain words, e.g. "B earns $1.20 more per lead; p = 0.03 — likely real". */
  summary: string;
  /** Fewest leads per variant before the test is read. */
  minLeadsPerVariant: number;
  /** What the test assumes, in the operator's words. */
  assumptions: string[];
}

export interface AbPromoteResult {
  campaign: CampaignSpec;
  report: AbReport;
}

import type { AbReport, AbVariantView, AbVerdict } from '../../shared/ab-test-views.js';
import type { TierSpec } from '../../shared/domain.js';
import { toDollars } from '../money.js';
import type { AbVariantTotals } from '../store/ab-test-repo.js';
import { twoProportionZTest } from './proportion-z-test.js';
import { summaryOfSums, welchTTest } from './welch-t-test.js';

/** Below this many leads in a variant, the mean's large-sample normality is not to be relied on. */
export const MIN_LEADS_PER_VARIANT = 30;
/** p below this reads as "likely real". */
export const SIGNIFICANCE = 0.05;

export const AB_ASSUMPTIONS = [
  'Each lead is independent of the others: one consumer sending many leads, or a source sending bursts, makes the result look surer than it is.',
  "Welch's t-test on revenue per lead: an unsold lead counts as $0, so most values are zero and a few are large. The test leans on the average of many leads being close to normal, which needs a good number of leads in each variant (at least 30, and more when sales are rare).",
  'The variants need not have the same spread (that is what Welch allows), but both must be measured over the same time window, so a busy hour or a buyer that changed its bids affects both alike.',
  'Looking at the result again and again and stopping at the first p under 0.05 finds differences that are not there more often than 5% of the time: decide the number of leads first, or wait for a clear result.',
];

export interface AbReportInput {
  campaignId: string;
  test: AbReport['test'];
  from: number;
  to: number;
  totals: readonly [AbVariantTotals, AbVariantTotals];
  /** Each variant's tree while the test runs. */
  tiers: { A: TierSpec[]; B: TierSpec[] } | null;
}

/** Per-variant figures and the significance tests, from the store's sums (pure). */
export function buildAbReport(input: AbReportInput): AbReport {
  const [a, b] = input.totals;
  const variants = [variantView(a, input.tiers?.A ?? null), variantView(b, input.tiers?.B ?? null)];
  const welch = welchTTest(summaryOfSums(a.leads, a.revenueCents, a.revenueSquaresCents2), summaryOfSums(b.leads, b.revenueCents, b.revenueSquaresCents2));
  const fill = twoProportionZTest({ successes: a.sold, n: a.leads }, { successes: b.sold, n: b.leads });
  const enough = a.leads >= MIN_LEADS_PER_VARIANT && b.leads >= MIN_LEADS_PER_VARIANT;
  const verdict: AbVerdict = !enough ? 'too_few_leads' : !welch || welch.pValue >= SIGNIFICANCE ? 'no_evidence' : welch.difference > 0 ? 'b_better' : 'a_better';
  return {
    campaignId: input.campaignId,
    test: input.test,
    from: input.from,
    to: input.to,
    variants,
    revenuePerLead: welch && {
      method: 'welch_t',
      difference: centsToDollars(welch.difference),
      low: centsToDollars(welch.low),
      high: centsToDollars(welch.high),
      t: welch.t,
      df: welch.df,
      pValue: welch.pValue,
    },
    fillRate: fill && { method: 'two_proportion_z', ...fill },
    verdict,
    summary: summaryOf(verdict, a, b, welch),
    minLeadsPerVariant: MIN_LEADS_PER_VARIANT,
    assumptions: AB_ASSUMPTIONS,
  };
}

function variantView(t: AbVariantTotals, tiers: TierSpec[] | null): AbVariantView {
  const perLead = (cents: number): number | null => (t.leads === 0 ? null : centsToDollars(cents / t.leads));
  return {
    variant: t.variant,
    tiers,
    leads: t.leads,
    sold: t.sold,
    fillRate: t.leads === 0 ? null : t.sold / t.leads,
    revenue: toDollars(t.revenueCents),
    revenuePerLead: perLead(t.revenueCents),
    margin: toDollars(t.marginCents),
    marginPerLead: perLead(t.marginCents),
  };
}

/** The result in the operator's words; every figure in it is one the report also carries. */
function summaryOf(verdict: AbVerdict, a: AbVariantTotals, b: AbVariantTotals, welch: ReturnType<typeof welchTTest>): string {
  if (verdict === 'too_few_leads') {
    return `Not enough evidence yet: A has ${a.leads} leads and B has ${b.leads}; each needs at least ${MIN_LEADS_PER_VARIANT} before the test is read.`;
  }
  if (!welch) {
    const diff = toDollars(Math.round(b.revenueCents / b.leads - a.revenueCents / a.leads));
    if (diff === 0) return 'No difference: every lead earned the same in both variants.';
    return `B earns ${money(Math.abs(diff))} ${diff > 0 ? 'more' : 'less'} per lead than A, but every lead earned the same within each variant, so the test cannot say how sure that is.`;
  }
  const diff = centsToDollars(welch.difference);
  const direction = diff === 0 ? 'the same per lead as A' : `${money(Math.abs(diff))} ${diff > 0 ? 'more' : 'less'} per lead than A`;
  const interval = `95% interval ${money(centsToDollars(welch.low))} to ${money(centsToDollars(welch.high))}`;
  const reading = verdict === 'no_evidence' ? 'not enough evidence yet' : 'likely real';
  return `B earns ${direction}; p ${welch.pValue < 0.001 ? '' : '= '}${formatP(welch.pValue)} — ${reading} (${interval}).`;
}

function centsToDollars(cents: number): number {
  return toDollars(Math.round(cents));
}

function money(dollars: number): string {
  return `${dollars < 0 ? '−' : ''}$${Math.abs(dollars).toFixed(2)}`;
}

/** Two significant digits, and "< 0.001" rather than a string of zeros. */
export function formatP(p: number): string {
  if (p < 0.001) return '< 0.001';
  return p >= 0.1 ? p.toFixed(2) : p.toPrecision(2);
}

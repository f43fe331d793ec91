import type { AbReport } from '../../../shared/ab-test-views.js';
import type { AbTestSpec, CampaignSpec, TierSpec } from '../../../shared/domain.js';
import { PingdeskError } from '../../../shared/errors.js';
import { buildAbReport } from '../../abtest/ab-report.js';
import type { Store } from '../../store/index.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/**
 * A/B tests of a campaign's ping tree: start one (variant B's tiers beside the campaign's own), read
 * the per-variant report, and end it, keeping the campaign's tree or promoting B's. Every change goes
 * through ConfigService, so it is validated like any tree edit and audited; an end carries its report.
 */
export function abHandlers(d: Pick<HandlerDeps, 'store' | 'config' | 'now'>): HandlersOf<'ab'> {
  const { store, config } = d;
  const repo = (): ReturnType<Store['abTests']> => store.abTests();

  const report = async (campaignId: string, range: { test?: string; from?: number; to?: number } = {}): Promise<AbReport> => {
    const spec = config.campaign(campaignId);
    // Auctions still in the write queue belong in the figures.
    if (!store.readonly) await store.flush();
    const running = spec.abTest;
    const name = range.test ?? running?.name ?? repo().latestTest(campaignId);
    const isRunning = running !== undefined && running.name === name;
    const to = range.to ?? d.now() + 1;
    const from = range.from ?? (isRunning ? running.startedAt : name === null ? 0 : (repo().firstAuctionAt(campaignId, name) ?? 0));
    const empty = { leads: 0, sold: 0, revenueCents: 0, revenueSquaresCents2: 0, marginCents: 0 };
    return buildAbReport({
      campaignId,
      test: name === null ? null : { name, splitPercent: isRunning ? running.splitPercent : null, startedAt: isRunning ? running.startedAt : null, running: isRunning },
      from,
      to,
      totals: name === null ? [{ variant: 'A', ...empty }, { variant: 'B', ...empty }] : repo().variantTotals(campaignId, name, from, to),
      tiers: isRunning ? { A: spec.tiers, B: running.variantB.tiers } : null,
    });
  };

  const runningTest = (campaignId: string): AbTestSpec => {
    const test = config.campaign(campaignId).abTest;
    if (!test) throw new PingdeskError('conflict', `Campaign "${campaignId}" runs no A/B test`);
    return test;
  };

  return {
    'ab.report': ({ campaignId, test, from, to }) => report(campaignId, { test, from, to }),

    'ab.start': async ({ campaignId, name, splitPercent, tiers }, ctx) => {
      const spec = config.campaign(campaignId);
      if (spec.abTest) throw new PingdeskError('conflict', `Campaign "${campaignId}" already runs the A/B test "${spec.abTest.name}"; stop or promote it first`);
      // A name picks out its auctions in the store: reusing one would mix an old test's leads into the new one.
      if (repo().firstAuctionAt(campaignId, name) !== null) {
        throw new PingdeskError('validation_failed', 'The A/B test has problems', { details: [{ field: 'name', message: `a test of this campaign was already named "${name}"` }] });
      }
      // The shape is checked when the campaign is saved (ConfigService), like any tree edit.
      // A default B is a copy of the tree with fixed floors: dynamic floors move the campaign's own tiers only.
      const variantB = (tiers as TierSpec[] | undefined) ?? structuredClone(spec.tiers).map(({ dynamicFloor: _moving, ...tier }) => tier);
      const abTest: AbTestSpec = { name, splitPercent, variantB: { tiers: variantB }, startedAt: d.now() };
      const campaign = config.setAbTest(campaignId, { abTest }, ctx.actor, { action: 'ab_start', test: name, splitPercent, variantB: tierSummary(variantB) });
      await store.flush();
      return campaign;
    },

    'ab.stop': async ({ campaignId }, ctx) => {
      const test = runningTest(campaignId);
      const final = await report(campaignId);
      config.setAbTest(campaignId, { abTest: null }, ctx.actor, { action: 'ab_stop', test: test.name, report: reportDigest(final) });
      await store.flush();
      return final;
    },

    'ab.promote': async ({ campaignId, variant }, ctx) => {
      const test = runningTest(campaignId);
      const final = await report(campaignId);
      const before = config.campaign(campaignId).tiers;
      const tiers = variant === 'B' ? test.variantB.tiers : before;
      const campaign: CampaignSpec = config.setAbTest(campaignId, { abTest: null, tiers }, ctx.actor, {
        action: 'ab_promote', test: test.name, variant, before: tierSummary(before), after: tierSummary(tiers), report: reportDigest(final),
      });
      await store.flush();
      return { campaign, report: final };
    },
  };
}

/** What the audit trail keeps of a report: the figures and the test's result, not the prose. */
function reportDigest(r: AbReport): Record<string, unknown> {
  return {
    from: r.from,
    to: r.to,
    variants: r.variants.map((v) => ({ variant: v.variant, leads: v.leads, sold: v.sold, revenue: v.revenue, margin: v.margin, revenuePerLead: v.revenuePerLead })),
    revenuePerLead: r.revenuePerLead && { difference: r.revenuePerLead.difference, low: r.revenuePerLead.low, high: r.revenuePerLead.high, pValue: r.revenuePerLead.pValue },
    fillRate: r.fillRate && { difference: r.fillRate.difference, pValue: r.fillRate.pValue },
    verdict: r.verdict,
  };
}

function tierSummary(tiers: TierSpec[]): Array<{ name: string; floor: number; buyers: string[] }> {
  return tiers.map((t) => ({ name: t.name, floor: t.floor, buyers: t.buyers }));
}

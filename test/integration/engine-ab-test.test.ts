import { describe, expect, it } from 'vitest';
import { variantOf } from '../../src/engine/auction/choose-variant.js';
import { welchTTest, type SampleSummary } from '../../src/engine/abtest/welch-t-test.js';
import type { AbPromoteResult, AbReport } from '../../src/shared/ab-test-views.js';
import type { AuctionDetail } from '../../src/shared/console-api.js';
import type { CampaignSpec } from '../../src/shared/domain.js';
import { auditRows, autoCampaign, buyerFor, inWaves, leadBody, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

const rig = useTestRig();

function summary(xs: number[]): SampleSummary {
  const n = xs.length;
  const mean = xs.reduce((s, x) => s + x, 0) / n;
  return { n, mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1) };
}

describe('A/B tests of a ping tree on a real engine', () => {
  it('splits leads by their id, sells each on its variant’s floor, reports revenue per variant as the bids imply, and promotes B with an audit', async () => {
    // acme bids the lead's age in dollars, so every lead's price is known before it is sent.
    const acme = await rig.buyer((req) => ({ bid: Number(req.body?.fields?.age ?? 0) }));
    // Variant A sells every lead at its bid ($5 floor); variant B only bids of $40 and more.
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { duplicateWindowDays: 0 }), [buyerFor(acme, 'acme')]),
    });
    const started = await h.call<CampaignSpec>('ab.start', { campaignId: 'auto-insurance', name: 'high-floor', splitPercent: 50, tiers: [{ name: 'Tier 1', floor: 40, buyers: ['acme'] }] });
    expect(started.abTest).toMatchObject({ name: 'high-floor', splitPercent: 50, variantB: { tiers: [{ floor: 40 }] } });

    const ages = Array.from({ length: 40 }, (_, i) => 20 + i);
    const replies = await inWaves(ages, 4, (age) => h.sendLead(leadBody({ fields: { age } })));

    const revenue: Record<'A' | 'B', number[]> = { A: [], B: [] };
    for (const [i, res] of replies.entries()) {
      const leadId = res.body.lead_id as string;
      const variant = variantOf('high-floor', leadId, 50);
      const price = variant === 'A' || ages[i] >= 40 ? ages[i] : 0;
      expect(res.body.status, `lead aged ${ages[i]} on ${variant}`).toBe(price > 0 ? 'sold' : 'unsold');
      revenue[variant].push(price);
      const row = h.db().prepare('SELECT id, ab_test, ab_variant FROM auctions WHERE lead_id = ?').get(leadId) as { id: string; ab_test: string; ab_variant: string };
      expect(row).toMatchObject({ ab_test: 'high-floor', ab_variant: variant });
      if (i < 4) expect((await h.call<AuctionDetail>('auctions.get', { id: row.id })).abTest).toEqual({ name: 'high-floor', variant });
    }
    // Both variants got leads: the split is by hash, not by turns, so this holds for 40 random ids
    // except with probability 2·2⁻⁴⁰.
    expect(revenue.A.length).toBeGreaterThan(0);
    expect(revenue.B.length).toBeGreaterThan(0);

    const report = await h.call<AbReport>('ab.report', { campaignId: 'auto-insurance' });
    const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
    for (const [k, variant] of (['A', 'B'] as const).entries()) {
      const sold = revenue[variant].filter((p) => p > 0);
      expect(report.variants[k]).toMatchObject({
        variant,
        leads: revenue[variant].length,
        sold: sold.length,
        revenue: sum(sold),
        // Payout 70%, whole-dollar bids: the broker keeps exactly 30% of each sale.
        margin: Math.round(sum(sold) * 30) / 100,
        revenuePerLead: Math.round((sum(revenue[variant]) / revenue[variant].length) * 100) / 100,
      });
    }
    expect(report.test).toMatchObject({ name: 'high-floor', running: true, splitPercent: 50, startedAt: started.abTest?.startedAt });
    expect(report.variants[1].tiers).toEqual([{ name: 'Tier 1', floor: 40, buyers: ['acme'] }]);
    // The report's test reads the store's sums; the same test on the per-lead prices must agree.
    const direct = welchTTest(summary(revenue.A), summary(revenue.B));
    if (direct) {
      expect(report.revenuePerLead?.t).toBeCloseTo(direct.t, 6);
      expect(report.revenuePerLead?.pValue).toBeCloseTo(direct.pValue, 6);
      expect(report.revenuePerLead?.difference).toBeCloseTo(direct.difference, 2);
    }
    expect(report.verdict).toBe('too_few_leads');
    expect(report.summary).toContain('Not enough evidence yet');

    // The auction's own audit event names its test and variant.
    const soldEvents = auditRows(h.db(), 'sold').map((r) => JSON.parse(r.data) as { abTest?: string; abVariant?: string });
    expect(soldEvents.length).toBe(report.variants[0].sold + report.variants[1].sold);
    expect(soldEvents.every((d) => d.abTest === 'high-floor' && (d.abVariant === 'A' || d.abVariant === 'B'))).toBe(true);

    const promoted = await h.call<AbPromoteResult>('ab.promote', { campaignId: 'auto-insurance', variant: 'B' });
    expect(promoted.campaign.tiers).toEqual([{ name: 'Tier 1', floor: 40, buyers: ['acme'] }]);
    expect(promoted.campaign.abTest).toBeUndefined();
    const change = auditRows(h.db(), 'config').map((r) => ({ actor: r.actor, data: JSON.parse(r.data) })).find((r) => r.data.action === 'ab_promote');
    expect(change).toMatchObject({
      actor: 'test',
      data: {
        kind: 'tiers',
        id: 'auto-insurance',
        test: 'high-floor',
        variant: 'B',
        before: [{ name: 'Tier 1', floor: 5, buyers: ['acme'] }],
        after: [{ name: 'Tier 1', floor: 40, buyers: ['acme'] }],
        report: { variants: [{ variant: 'A', revenue: report.variants[0].revenue }, { variant: 'B', revenue: report.variants[1].revenue }], verdict: 'too_few_leads' },
      },
    });

    // The promoted tree decides the next lead, which is in no test any more.
    const after = await h.sendLead(leadBody({ fields: { age: 30 } }));
    expect(after.body).toMatchObject({ status: 'unsold' });
    expect(h.db().prepare('SELECT ab_test, ab_variant FROM auctions WHERE lead_id = ?').get(after.body.lead_id)).toEqual({ ab_test: null, ab_variant: null });
    // The ended test still reports, from its recorded auctions.
    const ended = await h.call<AbReport>('ab.report', { campaignId: 'auto-insurance' });
    expect(ended.test).toMatchObject({ name: 'high-floor', running: false });
    expect(ended.variants.map((v) => v.leads)).toEqual([revenue.A.length, revenue.B.length]);
  });

  it('variant B keeps every rule of the tree: a buyer filtered out by state is not pinged on B either', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const tx = await rig.buyer({ bid: 50 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { duplicateWindowDays: 0 }), [
        buyerFor(acme, 'acme'),
        buyerFor(tx, 'tx-only', { filters: { states: ['TX'] } }),
      ]),
    });
    // Every lead to B (99%) except by a 1-in-100 chance per lead; B puts the TX-only buyer first.
    await h.call('ab.start', { campaignId: 'auto-insurance', name: 'tx-first', splitPercent: 99, tiers: [{ name: 'TX', floor: 5, buyers: ['tx-only'] }, { name: 'Rest', floor: 5, buyers: ['acme'] }] });
    const replies = await inWaves(Array.from({ length: 8 }), 4, () => h.sendLead(leadBody({ fields: { state: 'CA', zip: '90001' } })));
    const onB = replies.filter((r) => variantOf('tx-first', r.body.lead_id, 99) === 'B');
    expect(onB.length).toBeGreaterThan(0);
    for (const r of onB) expect(r.body).toMatchObject({ status: 'sold', price: 21 });
    expect(tx.pings()).toHaveLength(0);
  });

  it('refuses a second test while one runs, a reused name, and a variant B naming an unknown buyer', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]), [buyerFor(acme, 'acme')]) });
    expect(await h.callReply('ab.start', { campaignId: 'auto-insurance', name: 'x', tiers: [{ name: 'B', floor: 5, buyers: ['nobody'] }] })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: [{ field: 'abTest.variantB.tiers[0].buyers[0]' }] },
    });
    await h.call('ab.start', { campaignId: 'auto-insurance', name: 'first' });
    expect(await h.callReply('ab.start', { campaignId: 'auto-insurance', name: 'second' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await h.sendLead(leadBody())).body.status).toBe('sold');
    const stopped = await h.call<AbReport>('ab.stop', { campaignId: 'auto-insurance' });
    expect(stopped.variants[0].leads + stopped.variants[1].leads).toBe(1);
    expect(await h.callReply('ab.stop', { campaignId: 'auto-insurance' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await h.callReply('ab.start', { campaignId: 'auto-insurance', name: 'first' })).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ field: 'name' }] } });
    const stop = auditRows(h.db(), 'config').map((r) => JSON.parse(r.data)).find((d) => d.action === 'ab_stop');
    expect(stop).toMatchObject({ test: 'first', report: { variants: [{ variant: 'A' }, { variant: 'B' }] } });
    const start = auditRows(h.db(), 'config').map((r) => JSON.parse(r.data)).find((d) => d.action === 'ab_start');
    expect(start).toMatchObject({ kind: 'tiers', id: 'auto-insurance', test: 'first', splitPercent: 50, variantB: [{ name: 'Tier 1', floor: 5, buyers: ['acme'] }] });
  });

  it('a running test travels in the workspace file, and deleting a buyer takes it out of variant B too', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const bolt = await rig.buyer({ bid: 24 });
    const abTest = { name: 'from-file', splitPercent: 25, variantB: { tiers: [{ name: 'B1', floor: 10, buyers: ['bolt', 'acme'] }] }, startedAt: 1_700_000_000_000 };
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { abTest }), [buyerFor(acme, 'acme'), buyerFor(bolt, 'bolt')]),
    });
    const exported = await h.call<{ campaigns: CampaignSpec[] }>('workspace.export');
    expect(exported.campaigns[0].abTest).toEqual(abTest);
    expect(await h.callReply('workspace.import', { workspace: { ...exported, campaigns: [{ ...exported.campaigns[0], abTest: { ...abTest, splitPercent: 100 } }] } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_workspace', details: [{ field: 'campaigns[0].abTest.splitPercent' }] },
    });
    await h.call('buyers.delete', { id: 'bolt' });
    const [campaign] = await h.call<CampaignSpec[]>('campaigns.list');
    expect(campaign.abTest?.variantB.tiers).toEqual([{ name: 'B1', floor: 10, buyers: ['acme'] }]);
  });
});

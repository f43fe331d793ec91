import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DynamicFloorSpec } from '../../src/shared/dynamic-floor.js';
import type { DynamicFloorView, LeadValueView, PredictionErrorReport } from '../../src/shared/market-views.js';
import { auditRows, autoCampaign, buyerFor, leadBody, makeDataDir, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

/**
 * Dynamic floors and predicted lead values against a real engine: a real loopback buyer bids the
 * lead's age in dollars (none at 60), the market's scheduler runs on its own timer with a 1 s interval,
 * and every figure is checked against what those bids imply.
 */

const rig = useTestRig();
const INTERVAL_MS = 1000;
const dynamic = (over: Partial<DynamicFloorSpec> = {}): DynamicFloorSpec => ({
  enabled: true, basis: 'winningBids', percentile: 25, windowMs: 3_600_000, minSamples: 8, min: 5, max: 30, maxStep: 3, intervalMs: INTERVAL_MS, ...over,
});

async function waitFor<T>(what: string, read: () => T | Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const floorChanges = (h: TestEngine) =>
  auditRows(h.db(), 'config').map((r): Record<string, unknown> => ({ actor: r.actor, ...(JSON.parse(r.data) as Record<string, unknown>) })).filter((d) => d.reason === 'dynamicFloor');

async function sellAtAges(h: TestEngine, ages: number[]): Promise<string[]> {
  const ids: string[] = [];
  for (const age of ages) {
    const res = await h.sendLead(leadBody({ fields: { age } }));
    expect(res.status).toBe(200);
    ids.push(res.body.lead_id as string);
  }
  return ids;
}

describe('dynamic floor and predicted lead value in a running engine', () => {
  it('follows the tier’s winning bids step by step, audits each change with its reason, and stops when switched off', async () => {
    const acme = await rig.buyer((req) => ({ bid: req.body?.fields?.age === 60 ? null : req.body?.fields?.age }));
    const dir = makeDataDir();
    try {
      const campaign = autoCampaign([{ name: 'Premium', floor: 10, buyers: ['acme'], dynamicFloor: dynamic() }]);
      const h = await rig.engine({ dir, workspace: workspaceOf(campaign, [buyerFor(acme, 'acme')]), market: { floorTickMs: 50, retrainMs: 3_600_000 } });

      // Too few samples: the scheduler runs but leaves the floor alone, and says why.
      await new Promise((r) => setTimeout(r, 300));
      const thin = await h.call<DynamicFloorView[]>('floors.dynamic', { campaignId: 'auto-insurance' });
      expect(thin[0]).toMatchObject({ floor: 10, next: { kind: 'too_few_samples', samples: 0, needed: 8 }, lastChange: null });
      expect(floorChanges(h)).toEqual([]);

      // Eight sales at $20, $22, … $34: the 25th percentile (nearest rank 2 of 8) is $22.
      await sellAtAges(h, [20, 22, 24, 26, 28, 30, 32, 34]);
      const floorOf = async () => (await h.call<DynamicFloorView[]>('floors.dynamic', { campaignId: 'auto-insurance' }))[0];
      const settled = await waitFor('the floor to reach $22', floorOf, (v) => v.floor === 22);
      expect(settled.lastChange).toMatchObject({ from: 19, to: 22, target: 22, basis: 'winningBids', percentile: 25, samples: 8, limitedBy: null });
      expect(settled.next).toMatchObject({ kind: 'unchanged', target: 22, to: 22 });

      // $3 per interval at most: 10 → 13 → 16 → 19, then the last step lands on the target.
      const changes = floorChanges(h);
      expect(changes.map((c) => [c.before, c.after, c.limitedBy])).toEqual([[10, 13, 'step'], [13, 16, 'step'], [16, 19, 'step'], [19, 22, null]]);
      expect(changes[0]).toMatchObject({ actor: 'engine:dynamic-floor', kind: 'tiers', id: 'auto-insurance', action: 'floor', tier: 'Premium', basis: 'winningBids', percentile: 25, samples: 8, target: 22 });
      const audited = await h.call<Array<{ actor: string; data: Record<string, unknown> }>>('audit.configChanges', { reason: 'dynamicFloor' });
      expect(audited.map((e) => e.data.after)).toEqual([22, 19, 16, 13]);
      expect(audited[0]).toMatchObject({ actor: 'engine:dynamic-floor', data: { reason: 'dynamicFloor', tier: 'Premium', before: 19, after: 22 } });
      const changeList = await h.call<Array<{ at: number; to: number }>>('floors.changes', { campaignId: 'auto-insurance', from: 0, to: Date.now() + 1000 });
      expect(changeList.map((c) => c.to)).toEqual([13, 16, 19, 22]);
      for (let i = 1; i < changeList.length; i++) expect(changeList[i].at - changeList[i - 1].at).toBeGreaterThanOrEqual(INTERVAL_MS);

      // Off: the floor stays at $22 although eight $40 sales now pull the percentile up.
      await h.call('tiers.setDynamicFloor', { campaignId: 'auto-insurance', tierIndex: 0, dynamicFloor: dynamic({ enabled: false }) });
      await sellAtAges(h, [40, 40, 40, 40, 40, 40, 40, 40]);
      await new Promise((r) => setTimeout(r, 2.5 * INTERVAL_MS));
      const off = await floorOf();
      expect(off.floor).toBe(22);
      expect(off.next).toMatchObject({ kind: 'change', to: 25, limitedBy: 'step' });
      expect(floorChanges(h)).toHaveLength(4);
      // A tier edit that does not mention the dynamic floor keeps its settings.
      await h.call('tiers.set', { campaignId: 'auto-insurance', tiers: [{ name: 'Premium', floor: 22, buyers: ['acme'] }] });
      expect(off.dynamicFloor).toMatchObject({ enabled: false, maxStep: 3 });
      expect((await floorOf()).dynamicFloor).toMatchObject({ enabled: false, maxStep: 3 });
      await rig.closeEngines();

      // Restarted, the model learns from the sixteen sales: one source, one state, mean $33.50.
      const again = await rig.engine({ dir, market: { floorTickMs: 50, retrainMs: 3_600_000 } });
      const [soldLead, unsoldLead] = await sellAtAges(again, [30, 60]);
      const sold = await again.call<{ estimate: LeadValueView | null }>('leadValue.get', { leadId: soldLead });
      expect(sold.estimate).toMatchObject({ predicted: 33.5, level: 'sourceState', samples: 16, actual: 30 });
      const unsold = await again.call<{ estimate: LeadValueView | null }>('leadValue.get', { leadId: unsoldLead });
      expect(unsold.estimate).toMatchObject({ predicted: 33.5, actual: 0 });

      // By hand: sold |33.5 − 30| = 3.5; unsold |33.5 − 0| = 33.5; both: mean 18.5, all over-predicted.
      const report = await again.call<PredictionErrorReport>('leadValue.error', { from: 0, to: Date.now() + 1000 });
      expect(report.sold).toEqual({ leads: 1, meanPredicted: 33.5, meanActual: 30, mae: 3.5, bias: 3.5 });
      expect(report.unsold).toEqual({ leads: 1, meanPredicted: 33.5, meanActual: 0, mae: 33.5, bias: 33.5 });
      expect(report.all).toEqual({ leads: 2, meanPredicted: 33.5, meanActual: 15, mae: 18.5, bias: 18.5 });
      expect((await again.call<PredictionErrorReport>('leadValue.error', { from: 0, to: Date.now() + 1000, campaignId: 'home' })).all.leads).toBe(0);
    } finally {
      await rig.closeEngines();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('sets a floor from predicted lead values', async () => {
    const acme = await rig.buyer((req) => ({ bid: req.body?.fields?.age }));
    const dir = makeDataDir();
    try {
      const campaign = autoCampaign([{ name: 'Premium', floor: 10, buyers: ['acme'] }]);
      const h = await rig.engine({ dir, workspace: workspaceOf(campaign, [buyerFor(acme, 'acme')]) });
      await sellAtAges(h, Array.from({ length: 10 }, () => 40));
      await rig.closeEngines();
      // Trained on ten $40 sales at start: every new lead is predicted at $40, so the floor climbs to $30 (max).
      const again = await rig.engine({ dir, market: { floorTickMs: 50, retrainMs: 3_600_000 } });
      await again.call('tiers.setDynamicFloor', { campaignId: 'auto-insurance', tierIndex: 0, dynamicFloor: dynamic({ basis: 'predictedValue', minSamples: 2, maxStep: 25 }) });
      await sellAtAges(again, [35, 36]);
      const view = await waitFor('the floor to move', async () => (await again.call<DynamicFloorView[]>('floors.dynamic', { campaignId: 'auto-insurance' }))[0], (v) => v.floor !== 10);
      expect(view.lastChange).toMatchObject({ from: 10, to: 30, target: 40, basis: 'predictedValue', samples: 2, limitedBy: 'max' });
    } finally {
      await rig.closeEngines();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

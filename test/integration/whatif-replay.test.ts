import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PriceRejectReport, WhatIfResult } from '../../src/shared/whatif-views.js';
import { startBuyer, type RecordedRequest, type TestBuyer } from '../support/buyer-server.js';
import { auditRows, autoCampaign, buyerFor, leadBody, startTestEngine, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';
import { pingdeskAsync } from './fixtures/serve-process.js';

/**
 * Five leads with known bids, told apart by age. Premium ($20 floor) holds acme and bolt (and dana, who
 * never gets these leads: a filtered-out buyer is no unknown); Fallback
 * ($5) holds cheap. The campaign minimum is $5, payout 70%, margin $1.
 *   age 30: acme 25, bolt 18, cheap 8  → acme $25 (cheap never pinged)
 *   age 31: acme 19, bolt 15, cheap 8  → cheap $8
 *   age 32: acme 12, bolt -,  cheap 4  → unsold
 *   age 33: acme 30, bolt 31, cheap 8  → bolt $31 (cheap never pinged)
 *   age 34: acme 10, bolt -,  cheap 15 → cheap $15
 */
const BIDS: Record<string, Record<number, number | null>> = {
  acme: { 30: 25, 31: 19, 32: 12, 33: 30, 34: 10 },
  bolt: { 30: 18, 31: 15, 32: null, 33: 31, 34: null },
  cheap: { 30: 8, 31: 8, 32: 4, 33: 8, 34: 15 },
};
const bidsOf = (id: string) => (req: RecordedRequest) => ({ bid: BIDS[id]?.[Number(req.body?.fields?.age)] ?? null });

const servers: TestBuyer[] = [];
let h: TestEngine;
let from: number;
let to: number;
const premium = (floor: number) => [{ kind: 'tierFloor', campaignId: 'auto-insurance', tierIndex: 0, floor }];

beforeAll(async () => {
  const [acme, bolt, cheap] = await Promise.all(['acme', 'bolt', 'cheap'].map((id) => startBuyer(bidsOf(id))));
  servers.push(acme as TestBuyer, bolt as TestBuyer, cheap as TestBuyer);
  // Dana buys California only: every lead here is from Texas, so each auction's record says it was filtered out.
  const campaign = autoCampaign([{ name: 'Premium', floor: 20, buyers: ['acme', 'bolt', 'dana'] }, { name: 'Fallback', floor: 5, buyers: ['cheap'] }]);
  const dana = buyerFor(acme as TestBuyer, 'dana', { filters: { states: ['CA'] } });
  h = await startTestEngine({ workspace: workspaceOf(campaign, [buyerFor(acme as TestBuyer, 'acme'), buyerFor(bolt as TestBuyer, 'bolt'), buyerFor(cheap as TestBuyer, 'cheap'), dana]) });
  from = Date.now() - 1000;
  const statuses = [];
  for (const age of [30, 31, 32, 33, 34]) statuses.push((await h.sendLead(leadBody({ fields: { age } }))).body);
  expect(statuses.map((s) => s.status)).toEqual(['sold', 'sold', 'unsold', 'sold', 'sold']);
  to = Date.now() + 1000;
});

afterAll(async () => {
  await h?.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('what-if replay over auctions a real engine ran', () => {
  it("today's tree replays the record exactly", async () => {
    const r = await h.call<WhatIfResult>('whatif.run', { campaignId: 'auto-insurance', from, to, changes: premium(20) });
    expect(r.recorded).toMatchObject({ auctions: 5, sold: 4, revenue: 79 });
    expect(r.before).toEqual(r.recorded);
    expect(r.unknowns.beforeDiffersFromRecord).toBe(0);
  });

  it.each([
    [12, 5, 102, 2, 0],
    [19, 4, 90, 1, 0],
    [26, 3, 54, 0, 1],
  ])('Premium at $%d sells %d leads for $%d (%d assumed accepted, %d with a never-pinged buyer)', async (floor, sold, revenue, assumed, unpinged) => {
    const r = await h.call<WhatIfResult>('whatif.run', { campaignId: 'auto-insurance', from, to, changes: premium(floor) });
    expect(r.after).toMatchObject({ auctions: 5, sold, revenue });
    expect(r.unknowns).toMatchObject({ assumedAccepted: assumed, unpinged });
    expect(r.tiers.find((t) => t.name === 'Premium')).toMatchObject({ beforeFloor: 20, afterFloor: floor });
  });

  it('the command line gives the same numbers, read-only, while the engine serves the folder', async () => {
    const r = await pingdeskAsync('whatif', '--data-dir', h.dir, '--campaign', 'auto-insurance', '--floor', 'Premium=12', '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString(), '--json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as WhatIfResult;
    expect(out).toMatchObject({ auctions: 5, before: { sold: 4, revenue: 79 }, after: { sold: 5, revenue: 102 } });

    const table = await pingdeskAsync('whatif', '--data-dir', h.dir, '--campaign', 'auto-insurance', '--floor', 'premium=$26', '--floor', 'Fallback=10', '--from', new Date(from).toISOString());
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/Premium floor \$20\.00 -> \$26\.00/);
    // Premium $26 and Fallback $10: only bolt's $31 and cheap's $15 clear.
    expect(table.out).toMatch(/Revenue\s+\$79\.00\s+\$79\.00\s+\$46\.00/);
    expect(table.out).toContain('never pinged');
  }, 120_000);

  it('the command line refuses bad input with exit code 2 and says why', async () => {
    const base = ['whatif', '--data-dir', h.dir, '--campaign', 'auto-insurance'];
    const [noTier, badAmount, badDate, noCampaign, noChange, reversed] = await Promise.all([
      pingdeskAsync(...base, '--floor', 'Gold=5'),
      pingdeskAsync(...base, '--floor', 'Premium=cheap'),
      pingdeskAsync(...base, '--floor', 'Premium=5', '--from', 'last tuesday'),
      pingdeskAsync('whatif', '--data-dir', h.dir, '--campaign', 'nope', '--floor', 'Premium=5'),
      pingdeskAsync(...base),
      pingdeskAsync(...base, '--floor', 'Premium=5', '--from', new Date(to).toISOString(), '--to', new Date(from).toISOString()),
    ]);
    expect([noTier, badAmount, badDate, noCampaign, noChange, reversed].map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(noTier.err).toContain('no tier "Gold"');
    expect(badAmount.err).toContain('is not an amount in dollars');
    expect(noCampaign.err).toContain('No campaign "nope"');
    expect(reversed.err).toContain('start before it ends');
  }, 120_000);

  it('refuses a window that is too long and a change that names a missing tier, before any work', async () => {
    const long = await h.callReply('whatif.run', { campaignId: 'auto-insurance', from: to - 94 * 86_400_000, to, changes: premium(5) });
    expect(long).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ field: 'from' }] } });
    const missing = await h.callReply('whatif.apply', { campaignId: 'auto-insurance', from, to, changes: [{ kind: 'tierFloor', campaignId: 'auto-insurance', tierIndex: 7, floor: 5 }] });
    expect(missing).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ field: 'changes[0]', message: 'no tier 8' }] } });
    // Nothing was applied.
    expect((await h.call<Array<{ tiers: Array<{ floor: number }> }>>('campaigns.list'))[0]?.tiers[0]?.floor).toBe(20);
  });

  it('the price-reject report shows each buyer and tier: bids below floor, how far, and the revenue turned away and gained', async () => {
    const r = await h.call<PriceRejectReport>('reports.priceRejects', { campaignId: 'auto-insurance', from, to });
    const row = (buyerId: string) => r.rows.find((x) => x.buyerId === buyerId);
    expect(row('acme')).toMatchObject({ tierName: 'Premium', bids: 5, belowFloor: 3, avgGap: 6.33, maxGap: 10, turnedAway: 23, gained: 0 });
    expect(row('bolt')).toMatchObject({ tierName: 'Premium', bids: 3, belowFloor: 2, avgGap: 3.5, maxGap: 5, turnedAway: 0, gained: 0 });
    // At a $5 floor acme's $10 would have beaten cheap's $15 in the last auction: Premium's floor gained $5 there.
    expect(row('cheap')).toMatchObject({ tierName: 'Fallback', bids: 3, belowFloor: 1, avgGap: 1, maxGap: 1, turnedAway: 0, gained: 5 });
    expect(r.totals).toEqual({ belowFloor: 6, turnedAway: 23, gained: 5 });
  });

  it('apply makes the change through the configuration, audited with the replay, and the next auction follows it', async () => {
    const applied = await h.call<{ campaign: { tiers: Array<{ floor: number }> }; whatif: WhatIfResult }>('whatif.apply', { campaignId: 'auto-insurance', from, to, changes: premium(19) }, 'console:browser');
    expect(applied.campaign.tiers[0]?.floor).toBe(19);
    const audit = auditRows(h.db(), 'config').map((e) => ({ actor: e.actor, data: JSON.parse(e.data) }));
    const last = audit[audit.length - 1];
    expect(last).toMatchObject({
      actor: 'console:browser',
      data: { kind: 'tiers', id: 'auto-insurance', action: 'tree_changes', changes: premium(19), whatif: { auctions: 5, before: { sold: 4, revenue: 79 }, after: { sold: 4, revenue: 90 } } },
    });
    expect(last?.data.before.tiers[0].floor).toBe(20);
    expect(last?.data.after.tiers[0].floor).toBe(19);
    // Acme's $19 now clears Premium.
    expect((await h.sendLead(leadBody({ fields: { age: 31 } }))).body).toMatchObject({ status: 'sold', price: 13.3 });
  });

  it('a pause applied from the what-if is saved on the buyer', async () => {
    await h.call('whatif.apply', { campaignId: 'auto-insurance', from, to, changes: [{ kind: 'buyerPaused', buyerId: 'bolt', paused: true }] });
    const bolt = (await h.call<Array<{ spec: { id: string }; paused: boolean }>>('buyers.list')).find((b) => b.spec.id === 'bolt');
    expect(bolt?.paused).toBe(true);
  });
});

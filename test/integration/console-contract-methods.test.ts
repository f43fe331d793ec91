import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyBundle } from '../../src/engine/evidence/verify-bundle.js';
import { consoleMethods, type MethodName } from '../../src/shared/console-api.js';
import type { CampaignSpec, Workspace } from '../../src/shared/domain.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

/**
 * Every method of the ConsoleApi contract, called through the engine's console host exactly as the
 * transports call it. `cases` must name every method: a method added to the contract without a case
 * here fails the first test.
 */

interface Ctx {
  h: TestEngine;
  phone: string;
  leadId: string;
  auctionId: string;
  exported: Workspace;
  sourceKeyId: string;
  buyerKeyId: string;
  suppressionHash: string;
  events: Array<{ name: string; payload: unknown }>;
}

interface Case {
  args: (ctx: Ctx) => unknown;
  // Each check reads the one method's result shape; typing every result here would restate the contract.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  check: (value: any, ctx: Ctx) => void | Promise<void>;
}

const dynamicFloorOff = { enabled: false, basis: 'winningBids', percentile: 25, windowMs: 3_600_000, min: 10, max: 40, maxStep: 2, intervalMs: 60_000 };

/** Sales booked in the ledger when the ledger cases run. */
let booked = 0;
const range = () => ({ from: Date.now() - 3_600_000, to: Date.now() + 60_000 });

/** In call order: later cases use what earlier ones made (ids, keys, hashes). */
const cases = {
  'session.info': { args: () => ({}), check: (v, c) => expect(v).toMatchObject({ readOnly: false, intakeUrl: c.h.intakeUrl, dataDir: c.h.dir }) },
  'workspace.export': {
    args: () => ({}),
    check: (v: Workspace, c) => {
      expect(v.sources[0].apiKeyHashes).toHaveLength(1);
      c.exported = v;
    },
  },
  'workspace.import': { args: (c) => ({ workspace: c.exported }), check: (v) => expect(v).toEqual({ campaigns: 1, sources: 1, buyers: 1 }) },
  'overview.get': { args: range, check: (v) => expect(v).toMatchObject({ leads: 2, sold: 2, revenue: 60, payout: 42 }) },
  'timeseries.get': { args: () => ({ ...range(), bucketMs: 60_000 }), check: (v) => expect(v.reduce((n: number, p: { leads: number }) => n + p.leads, 0)).toBe(2) },
  'stats.buyers': { args: range, check: (v) => expect(v).toEqual([expect.objectContaining({ buyerId: 'acme', pings: 2, wins: 2, accepted: 2, revenue: 60 })]) },
  'stats.sources': { args: range, check: (v) => expect(v).toEqual([expect.objectContaining({ sourceId: 'pub-1', leads: 2, sold: 2 })]) },
  'signals.buyers': { args: () => ({}), check: (v) => expect(v).toEqual([{ buyerId: 'acme', campaignId: 'auto-insurance', figures: expect.objectContaining({ pings: 2, bids: 2, wins: 2, accepted: 2, sold: 2, avgBid: 30 }) }]) },
  'signals.sources': { args: () => ({}), check: (v) => expect(v).toEqual([expect.objectContaining({ sourceId: 'pub-1', campaignId: 'auto-insurance', leads: 2, sold: 2, avgPrice: 30 })]) },
  'auctions.list': {
    args: () => ({}),
    check: (v, c) => {
      expect(v.rows).toHaveLength(2);
      expect(v.rows[0].state).toMatch(/^[A-Z]{2}$/);
      c.auctionId = v.rows[0].id;
      c.leadId = v.rows[0].leadId;
    },
  },
  'pings.inbound': { args: () => ({}), check: (v) => expect(v).toEqual([]) },
  'auctions.get': {
    args: (c) => ({ id: c.auctionId }),
    check: (v) => {
      expect(v.pings.map((p: { outcome: string }) => p.outcome)).toEqual(['BID']);
      expect(v.auction.state).toMatch(/^[A-Z]{2}$/);
    },
  },
  'leads.search': { args: (c) => ({ query: c.phone }), check: (v) => expect(v).toEqual([expect.objectContaining({ phone: expect.any(String), status: 'sold' })]) },
  'leads.get': { args: (c) => ({ id: c.leadId }), check: (v) => expect(v.trail.map((e: { type: string }) => e.type)).toContain('received') },
  'leads.evidence': {
    args: (c) => ({ id: c.leadId }),
    check: (v, c) => {
      expect(v).toMatchObject({ leadId: c.leadId, fileName: path.basename(v.path) });
      expect(path.dirname(v.path)).toBe(path.join(c.h.dir, 'exports'));
      // Whether a checkpoint covers the lead yet depends on the minute: either way the bundle is consistent.
      expect(['verified', 'unsigned']).toContain(verifyBundle(fs.readFileSync(v.path)).status);
    },
  },
  'campaigns.list': { args: () => ({}), check: (v) => expect(v.map((x: { id: string }) => x.id)).toEqual(['auto-insurance']) },
  'campaigns.save': { args: () => ({ campaign: autoCampaign([], { id: 'home', name: 'Home' }) }), check: (v) => expect(v.id).toBe('home') },
  'tiers.set': {
    args: () => ({ campaignId: 'auto-insurance', tiers: [{ name: 'Only tier', floor: 20, buyers: ['acme'] }] }),
    check: (v) => expect(v.tiers).toEqual([{ name: 'Only tier', floor: 20, buyers: ['acme'] }]),
  },
  'tiers.setFloor': { args: () => ({ campaignId: 'auto-insurance', tierIndex: 0, floor: 22.5 }), check: (v) => expect(v.tiers[0].floor).toBe(22.5) },
  'changes.list': {
    args: range,
    check: (v) => expect(v.changes.map((x: { summary: string }) => x.summary)).toContain('Only tier floor $20.00 → $22.50'),
  },
  'changes.impact': {
    args: () => ({ ...range(), windowMs: 300_000 }),
    check: (v) => expect(v).toEqual([expect.objectContaining({ change: expect.objectContaining({ summary: 'Only tier floor $20.00 → $22.50' }), campaignId: 'auto-insurance' })]),
  },
  'tiers.setDynamicFloor': {
    args: () => ({ campaignId: 'auto-insurance', tierIndex: 0, dynamicFloor: dynamicFloorOff }),
    check: (v) => expect(v.tiers[0]).toMatchObject({ floor: 22.5, dynamicFloor: dynamicFloorOff }),
  },
  // Two sales in the tier, twenty needed: the next recomputation would leave the floor alone.
  'floors.dynamic': {
    args: () => ({ campaignId: 'auto-insurance' }),
    check: (v) => expect(v).toEqual([expect.objectContaining({ tier: 'Only tier', floor: 22.5, next: { kind: 'too_few_samples', samples: 2, needed: 20 }, lastChange: null })]),
  },
  'floors.changes': { args: () => ({ ...range(), campaignId: 'auto-insurance' }), check: (v) => expect(v).toEqual([]) },
  'audit.configChanges': {
    args: () => ({ limit: 2 }),
    check: (v) => expect(v).toEqual([
      expect.objectContaining({ actor: 'console:test', data: expect.objectContaining({ kind: 'tiers', action: 'dynamicFloor', tier: 'Only tier' }) }),
      expect.objectContaining({ data: expect.objectContaining({ action: 'floor', before: 20, after: 22.5 }) }),
    ]),
  },
  // The model had no history when these leads arrived: no estimate, said so.
  'leadValue.get': { args: (c) => ({ leadId: c.leadId }), check: (v, c) => expect(v).toEqual({ leadId: c.leadId, estimate: null }) },
  'leadValue.error': { args: range, check: (v) => expect(v.all).toEqual({ leads: 0, meanPredicted: 0, meanActual: 0, mae: 0, bias: 0 }) },
  'ab.start': {
    args: () => ({ campaignId: 'auto-insurance', name: 'floors', splitPercent: 50, tiers: [{ name: 'Only tier', floor: 25, buyers: ['acme'] }] }),
    check: (v) => expect(v.abTest).toMatchObject({ name: 'floors', splitPercent: 50, variantB: { tiers: [{ name: 'Only tier', floor: 25, buyers: ['acme'] }] } }),
  },
  'ab.report': {
    args: () => ({ campaignId: 'auto-insurance' }),
    check: (v) => expect(v).toMatchObject({ test: { name: 'floors', running: true, splitPercent: 50 }, verdict: 'too_few_leads', variants: [{ variant: 'A' }, { variant: 'B' }] }),
  },
  'ab.promote': {
    args: () => ({ campaignId: 'auto-insurance', variant: 'B' }),
    check: (v) => {
      expect(v.campaign.tiers).toEqual([{ name: 'Only tier', floor: 25, buyers: ['acme'] }]);
      expect(v.campaign.abTest).toBeUndefined();
    },
  },
  'ab.stop': {
    // A test to stop; a read-only engine refuses the call before it looks for one.
    args: async (c) => {
      if (c.h.engine.intakeUrl) await c.h.call('ab.start', { campaignId: 'auto-insurance', name: 'second' });
      return { campaignId: 'auto-insurance' };
    },
    check: async (v, c) => {
      expect(v.test).toMatchObject({ name: 'second', running: true });
      expect((await c.h.call<Array<{ abTest?: unknown }>>('campaigns.list'))[0].abTest).toBeUndefined();
    },
  },
  'sources.list': { args: () => ({}), check: (v) => expect(v.map((s: { spec: { id: string } }) => s.spec.id)).toEqual(['pub-1']) },
  'sources.save': {
    args: () => ({ source: { id: 'pub-2', name: 'Second site', campaigns: ['home'], apiKey: 'src_second_key_1' } }),
    check: (v) => expect(v).toMatchObject({ spec: { id: 'pub-2' }, keys: [expect.objectContaining({ prefix: 'src_seco' })] }),
  },
  'sources.createKey': {
    args: () => ({ sourceId: 'pub-1' }),
    check: async (v, c) => {
      expect(v.key).toMatch(/^src_/);
      c.sourceKeyId = v.id;
      // The new key authenticates a source at once.
      expect((await c.h.sendLead(leadBody(), v.key)).status).toBe(200);
    },
  },
  'sources.revokeKey': { args: (c) => ({ keyId: c.sourceKeyId }), check: (v) => expect(v).toEqual({ revoked: true }) },
  'config.check': {
    args: () => ({ kind: 'buyer', spec: { id: 'bad id', name: '', post: { url: 'ftp://x' } } }),
    // Every problem in one answer, each in plain words: the id, the name, the post URL and the missing price.
    check: (v) =>
      expect(v.problems).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'id' }),
          { field: 'name', message: 'Enter a name' },
          expect.objectContaining({ field: 'post.url', message: expect.stringMatching(/^Enter a full web address/) }),
          { field: 'fixedPrice', message: 'A buyer without a ping URL needs a fixed price' },
        ]),
      ),
  },
  'buyers.list': { args: () => ({}), check: (v) => expect(v).toEqual([expect.objectContaining({ circuit: 'closed', paused: false, usage: expect.objectContaining({ hourly: 3 }) })]) },
  'buyers.save': { args: () => ({ buyer: { id: 'extra', name: 'Extra', post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 12 } }), check: (v) => expect(v.spec.id).toBe('extra') },
  'buyers.setPaused': { args: () => ({ id: 'extra', paused: true }), check: (v) => expect(v.paused).toBe(true) },
  'buyers.setCaps': { args: () => ({ id: 'acme', caps: { hourly: 10, dailyBudget: 250.5 } }), check: (v) => expect(v.spec.caps).toEqual({ hourly: 10, dailyBudget: 250.5 }) },
  'buyers.createKey': {
    args: () => ({ buyerId: 'acme' }),
    check: (v, c) => {
      expect(v.key).toMatch(/^buy_/);
      c.buyerKeyId = v.id;
    },
  },
  'buyers.revokeKey': { args: (c) => ({ keyId: c.buyerKeyId }), check: (v) => expect(v).toEqual({ revoked: true }) },
  'buyers.testPing': {
    args: () => ({ id: 'acme', campaignId: 'auto-insurance' }),
    check: (v) => {
      expect(v).toMatchObject({ outcome: 'BID', bid: 30, response: { status: 200 } });
      expect(Object.keys(JSON.parse(v.request.body).fields).sort()).toEqual(['age', 'state', 'vehicle_year', 'zip']);
      expect(JSON.parse(v.request.body).test).toBe(true);
    },
  },
  'suppression.add': { args: () => ({ values: ['+15127770001', 'someone@example.com', 'nonsense'] }), check: (v) => expect(v).toMatchObject({ added: 2, refused: [{ value: 'nonsense' }] }) },
  'suppression.revoke': {
    args: () => ({ phone: '(512) 777-0009', email: 'Revoked@Example.com', reason: 'Ana Diaz called, stop' }),
    check: (v) => expect(v).toMatchObject({ status: 'suppressed', suppressed: ['phone', 'email'], added: 2, reasonCode: 'other' }),
  },
  'suppression.importCsv': { args: () => ({ csv: 'phone\n+15127770002\n+15127770001\n', jobId: 'import-1' }), check: (v) => expect(v).toMatchObject({ added: 1, duplicates: 1 }) },
  'suppression.list': {
    args: () => ({}),
    check: (v, c) => {
      expect(v.total).toBe(5);
      c.suppressionHash = v.rows.find((r: { kind: string; source: string }) => r.kind === 'email' && r.source === 'console:test').hash;
    },
  },
  'suppression.remove': { args: (c) => ({ kind: 'email', hash: c.suppressionHash }), check: (v) => expect(v).toEqual({ removed: true }) },
  'audit.verify': {
    args: () => ({ jobId: 'verify-1' }),
    check: (v, c) => {
      expect(v).toMatchObject({ ok: true, leads: { intact: 3 } });
      expect(c.events.some((e) => e.name === 'job.progress' && (e.payload as { jobId: string }).jobId === 'verify-1')).toBe(true);
    },
  },
  'audit.signing': {
    args: () => ({}),
    check: (v) => expect(v).toMatchObject({ keyId: expect.stringMatching(/^[0-9a-f]{32}$/), unsignedAfter: expect.any(Number) }),
  },
  'audit.publicKey': {
    args: () => ({}),
    check: (v) => {
      expect(v.pem).toContain('-----BEGIN PUBLIC KEY-----');
      expect(v.fileName).toBe(`pingdesk-audit-key-${v.keyId.slice(0, 12)}.pem`);
    },
  },
  'export.csv': {
    args: () => ({ kind: 'leads' }),
    check: (v) => {
      expect(v).toMatchObject({ kind: 'leads', rows: 3 });
      expect(fs.readFileSync(v.path, 'utf8').trim().split('\n')).toHaveLength(4);
    },
  },
  'exports.list': {
    args: () => ({}),
    // The export just written is listed, newest first, with its real size.
    check: (v) => {
      const csv = v.files.find((f: { fileName: string }) => f.fileName.startsWith('leads-'));
      expect(csv).toBeDefined();
      expect(csv.bytes).toBe(fs.statSync(path.join(v.dir, csv.fileName)).size);
      expect(v.files.map((f: { modifiedAt: number }) => f.modifiedAt)).toEqual([...v.files.map((f: { modifiedAt: number }) => f.modifiedAt)].sort((a: number, b: number) => b - a));
    },
  },
  'returns.list': { args: () => ({}), check: (v) => expect(v).toEqual([]) },
  'returns.request': {
    args: (c) => ({ leadId: c.leadId, reason: 'entered by the operator' }),
    // acme has no returns policy: the request waits for the operator.
    check: (v, c) => expect(v).toMatchObject({ leadId: c.leadId, buyerId: 'acme', status: 'pending', reason: 'entered by the operator' }),
  },
  'returns.decide': {
    args: (c) => ({ leadIds: [c.leadId], decision: 'refused', reason: 'not returned' }),
    check: (v, c) => expect(v).toEqual({ decided: [expect.objectContaining({ leadId: c.leadId, status: 'refused', decisionNote: 'not returned', decidedBy: 'console:test' })], failed: [] }),
  },
  'ledger.entries': {
    args: range,
    check: (v) => {
      const kinds = v.map((e: { kind: string }) => e.kind);
      booked = kinds.filter((k: string) => k === 'sale').length;
      expect(booked).toBeGreaterThanOrEqual(2);
      expect(kinds.filter((k: string) => k === 'payout')).toHaveLength(booked);
    },
  },
  'ledger.balances': {
    args: range,
    check: (v) =>
      expect(v).toEqual([
        expect.objectContaining({ partyKind: 'buyer', partyId: 'acme', balance: 30 * booked }),
        expect.objectContaining({ partyKind: 'source', partyId: 'pub-1', balance: 21 * booked }),
      ]),
  },
  'ledger.statement': {
    args: () => ({ ...range(), partyKind: 'buyer', partyId: 'acme' }),
    check: (v) => {
      expect(v).toMatchObject({ partyKind: 'buyer', partyId: 'acme', total: 30 * booked });
      expect(v.csv.split('\n')[0]).toBe('at,kind,amount,balance_effect,lead_id,auction_id,note');
    },
  },
  'ledger.summary': { args: range, check: (v) => expect(v).toMatchObject({ grossRevenue: 30 * booked, returns: 0, netRevenue: 30 * booked, payouts: 21 * booked, margin: 9 * booked }) },
  'whatif.run': {
    args: () => ({ ...range(), campaignId: 'auto-insurance', changes: [{ kind: 'tierFloor', campaignId: 'auto-insurance', tierIndex: 0, floor: 35 }] }),
    // Acme bids $30: above today's floor, below $35.
    check: (v) => {
      expect(v.before.sold).toBeGreaterThan(0);
      expect(v.before.revenue).toBe(30 * v.before.sold);
      expect(v.after).toMatchObject({ sold: 0, revenue: 0 });
    },
  },
  'whatif.apply': {
    args: () => ({ ...range(), campaignId: 'auto-insurance', changes: [{ kind: 'tierFloor', campaignId: 'auto-insurance', tierIndex: 0, floor: 25 }] }),
    check: (v) => {
      expect(v.campaign.tiers[0].floor).toBe(25);
      expect(v.whatif.after.sold).toBe(v.whatif.before.sold);
    },
  },
  'reports.priceRejects': {
    args: () => ({ ...range(), campaignId: 'auto-insurance' }),
    check: (v) => expect(v.rows).toEqual([expect.objectContaining({ buyerId: 'acme', belowFloor: 0, turnedAway: 0 })]),
  },
  'ledger.adjust': {
    args: () => ({ partyKind: 'source', partyId: 'pub-1', amount: -2.5, note: 'late fee' }),
    check: (v) => expect(v).toMatchObject({ kind: 'adjustment', amount: -2.5, partyKind: 'source', partyId: 'pub-1', note: 'late fee' }),
  },
  'leads.erase': {
    args: (c) => ({ id: c.leadId }),
    check: async (v, c) => {
      expect(v).toMatchObject({ erased: true, leads: 1, suppressed: 0 });
      const after = (await c.h.call<{ lead: { phone: string | null; erased: boolean } }>('leads.get', { id: c.leadId })).lead;
      expect(after).toMatchObject({ phone: null, erased: true });
    },
  },
  'leads.settle': {
    // Read-only engines have no intake: there the existing lead stands in (the call is refused anyway).
    args: async (c) => ({ leadId: c.h.engine.intakeUrl ? await unconfirmedLead(c.h) : c.leadId, outcome: 'released' }),
    check: async (v, c) => {
      expect(v).toMatchObject({ status: 'unsold', buyerId: 'acme', price: 30, payout: null });
      expect((await c.h.call<{ lead: { status: string } }>('leads.get', { id: v.leadId })).lead.status).toBe('unsold');
    },
  },
  'placement.proposals': {
    args: async (c) => ({ campaignId: await withPlacementPolicy(c.h) }),
    check: (v) => expect(v.proposals).toEqual([expect.objectContaining({ buyerId: 'acme', mode: 'suggest', action: 'demote', fromTier: 0, toTier: 1, change: { kind: 'buyerMove', campaignId: 'auto-insurance', buyerId: 'acme', toTier: 1 } })]),
  },
  'placement.apply': {
    args: () => ({ campaignId: 'auto-insurance', buyerId: 'acme' }),
    check: async (v, c) => {
      expect(v).toMatchObject({ campaignId: 'auto-insurance', buyerId: 'acme', action: 'demote', fromTier: 0, toTier: 1, appliedBy: 'console:test' });
      expect((await c.h.call<{ moves: unknown[] }>('placement.proposals', {})).moves).toHaveLength(1);
    },
  },
  'buyers.delete': { args: () => ({ id: 'extra' }), check: (v) => expect(v).toEqual({ deleted: true }) },
  'sources.delete': { args: () => ({ id: 'pub-2' }), check: (v) => expect(v).toEqual({ deleted: true }) },
  'campaigns.delete': { args: () => ({ id: 'home' }), check: (v) => expect(v).toEqual({ deleted: true }) },
} satisfies Record<MethodName, Case>;

/** Turns on suggested tier placement for auto-insurance with thresholds acme's two unconverted sales fall under. */
async function withPlacementPolicy(h: TestEngine): Promise<string> {
  const auto = (await h.call<CampaignSpec[]>('campaigns.list')).find((x) => x.id === 'auto-insurance') as CampaignSpec;
  const tiers = [{ name: 'Tier 1', floor: 20, buyers: ['acme'] }, { name: 'Tier 2', floor: 5, buyers: [] }, { name: 'Tier 3', floor: 5, buyers: [] }];
  const tierPlacement = { mode: 'suggest', minSamples: 1, promoteConversionPercent: 50, demoteConversionPercent: 50, cooldownMs: 0 };
  await h.call('campaigns.save', { campaign: { ...auto, tiers, tierPlacement } });
  return auto.id;
}

/** A lead whose post acme answers with a 500: an unknown outcome, so it ends unconfirmed. */
const UNSURE = 'Unsure';
async function unconfirmedLead(h: TestEngine): Promise<string> {
  const res = await h.sendLead(leadBody({ fields: { first_name: UNSURE } }));
  expect(res.body).toMatchObject({ status: 'unsold', reason: 'unconfirmed' });
  return res.body.lead_id as string;
}

let acme: TestBuyer;
const workspace = () => workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]), [buyerFor(acme, 'acme', { apiKey: 'buy_acme_key_1' })]);

/** An engine with acme ($30 bids) and two sold leads; returns the phone of the last one. */
async function seededEngine(opts: { dir?: string } = {}): Promise<{ h: TestEngine; phone: string }> {
  const h = await startTestEngine({ workspace: workspace(), ...opts });
  let phone = '';
  for (let i = 0; i < 2; i++) {
    const body = leadBody();
    phone = body.fields.phone;
    expect((await h.sendLead(body)).body.status).toBe('sold');
  }
  return { h, phone };
}

const open: TestEngine[] = [];
const dirs: string[] = [];
beforeAll(async () => {
  acme = await startBuyer((req) => ({ bid: 30, postStatus: req.body?.lead?.first_name === UNSURE ? 500 : 200 }));
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
afterAll(() => acme.close());

describe('console contract through the console host', () => {
  it('has a case for every method of the contract', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(consoleMethods).sort());
  });

  it('answers every method with valid arguments', async () => {
    const { h, phone } = await seededEngine();
    open.push(h);
    const ctx = { h, phone, events: [] as Ctx['events'] } as Ctx;
    h.engine.consoleHost.subscribe((name, payload) => ctx.events.push({ name, payload }));
    for (const [method, c] of Object.entries(cases) as Array<[MethodName, Case]>) {
      const reply = await h.callReply(method, await c.args(ctx), 'console:test');
      expect(reply, method).toMatchObject({ ok: true });
      if (reply.ok) await c.check(reply.value, ctx);
    }
  });

  it('refuses every mutating method in read-only mode and answers the queries', async () => {
    const dir = makeDataDir();
    dirs.push(dir);
    const { h } = await seededEngine({ dir });
    await h.call('suppression.add', { values: ['+15127770003'] });
    await h.close();
    const copy = makeDataDir('pingdesk-copy-');
    dirs.push(copy);
    fs.cpSync(dir, copy, { recursive: true });
    const dbFile = path.join(copy, 'pingdesk.db');
    const before = fs.readFileSync(dbFile);

    const ro = await startTestEngine({ dir: copy, readOnly: true });
    open.push(ro);
    expect(ro.engine.intakeUrl).toBeNull();
    const auctions = await ro.call<{ rows: Array<{ id: string; leadId: string }> }>('auctions.list', {});
    const keys = await ro.call<Array<{ keys: Array<{ id: string }> }>>('sources.list');
    const suppressed = await ro.call<{ rows: Array<{ hash: string }> }>('suppression.list', {});
    const ctx = {
      h: ro,
      phone: '+15127770003',
      leadId: auctions.rows[0].leadId,
      auctionId: auctions.rows[0].id,
      exported: await ro.call<Workspace>('workspace.export'),
      sourceKeyId: keys[0].keys[0].id,
      buyerKeyId: keys[0].keys[0].id,
      suppressionHash: suppressed.rows[0].hash,
      events: [],
    } as Ctx;

    const mutating = (Object.keys(consoleMethods) as MethodName[]).filter((m) => consoleMethods[m].mutates);
    expect(mutating.length).toBeGreaterThan(15);
    for (const method of mutating) {
      const reply = await ro.callReply(method, await cases[method].args(ctx), 'console:reviewer');
      expect(reply, method).toMatchObject({ ok: false, error: { code: 'read_only' } });
    }
    for (const method of ['session.info', 'overview.get', 'auctions.get', 'leads.get', 'leads.search', 'audit.verify', 'audit.signing', 'audit.publicKey', 'workspace.export', 'buyers.list'] as const) {
      const reply = await ro.callReply(method, cases[method].args(ctx), 'console:reviewer');
      expect(reply, method).toMatchObject({ ok: true });
    }
    expect(await ro.call('session.info')).toMatchObject({ readOnly: true });
    await ro.close();
    expect(fs.readFileSync(dbFile).equals(before)).toBe(true);
  });

  it('answers invalid arguments with validation_failed naming each bad field', async () => {
    const { h } = await seededEngine();
    open.push(h);
    const bad: Array<[string, unknown, string[]]> = [
      ['overview.get', { from: 'yesterday' }, ['from', 'to']],
      ['leads.get', {}, ['id']],
      ['tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: -1, floor: -5 }, ['floor', 'tierIndex']],
      ['buyers.setCaps', { id: 'acme', caps: { hourly: 1.5 } }, ['caps.hourly']],
      ['suppression.remove', { kind: 'fax', hash: 'abc' }, ['hash', 'kind']],
      ['export.csv', { kind: 'everything' }, ['kind']],
    ];
    for (const [method, args, fields] of bad) {
      const reply = await h.callReply(method, args);
      expect(reply, method).toMatchObject({ ok: false, error: { code: 'validation_failed', message: expect.any(String) } });
      if (!reply.ok) expect((reply.error.details ?? []).map((d) => d.field).sort(), method).toEqual(fields);
    }
    // Arguments the contract lets through are still held to the workspace rules (dollars have two decimals).
    expect(await h.callReply('buyers.setCaps', { id: 'acme', caps: { dailyBudget: 10.005 } })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: [{ field: 'caps.dailyBudget' }] },
    });
    expect(await h.callReply('tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: 0, floor: 20.001 })).toMatchObject({
      ok: false,
      error: { code: 'validation_failed', details: [{ field: 'tiers[0].floor' }] },
    });
    expect(await h.callReply('no.such.method', {})).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Nothing was changed by the refused calls.
    expect((await h.call<Array<{ tiers: Array<{ floor: number }> }>>('campaigns.list'))[0].tiers[0].floor).toBe(20);
    expect((await h.call<Array<{ spec: { caps?: unknown } }>>('buyers.list'))[0].spec.caps).toBeUndefined();
  });
});

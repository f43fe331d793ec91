import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
}));
vi.mock('electron', () => electron);

import type { ConsoleServer } from '../../src/engine/console/http-transport.js';
import { startConsoleServer } from '../../src/engine/console/http-transport.js';
import { verifyBundle } from '../../src/engine/evidence/verify-bundle.js';
import { registerConsoleIpc } from '../../src/main/ipc.js';
import { consoleMethods, type MethodName, type Reply } from '../../src/shared/console-api.js';
import type { CampaignSpec, Workspace } from '../../src/shared/domain.js';
import { IPC_CALL_CHANNEL, TOKEN_HEADER } from '../../src/shared/transport.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { auditRows, autoCampaign, buyerFor, leadBody, startTestEngine, workspaceOf, type TestEngine, writesCommitted } from './fixtures/engine-harness.js';

/**
 * Every ConsoleApi method through both transports against one real engine: the Electron IPC handler
 * (electron mocked, called the way `ipcRenderer.invoke` delivers a call) and the HTTP transport on
 * loopback (called the way the browser client calls it). A console must not behave differently
 * depending on how it was opened, so each pair of Replies has to be identical.
 */

type Via = 'ipc' | 'http';
const VIAS: readonly Via[] = ['ipc', 'http'];
type IpcHandler = (event: unknown, name: unknown, args: unknown) => Promise<Reply<unknown>>;

// Replies are read field by field per method; typing each result here would restate the contract.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Value = any;

interface Ctx {
  h: TestEngine;
  range: { from: number; to: number };
  phone: string;
  leadId: string;
  auctionId: string;
  eraseLead: Record<Via, string>;
  exported: Workspace;
  sourceKey: Record<Via, string>;
  buyerKey: Record<Via, string>;
}

interface Case {
  /**
   * `same`: both transports get the same arguments (queries, and commands that land on the same state
   * when repeated). `own`: a command that cannot repeat gets one target per transport.
   */
  kind: 'same' | 'own';
  args: (c: Ctx, via: Via) => unknown;
  /** What is compared, read right after each call (a file the next call may overwrite, a key's shape). */
  project?: (v: Value) => unknown;
  /** Meaningful content, so two equally empty answers cannot pass. */
  check?: (v: Value, c: Ctx, via: Via) => void;
}

const same = (args: (c: Ctx) => unknown, opts: Omit<Case, 'kind' | 'args'> = {}): Case => ({ kind: 'same', args, ...opts });
const own = (args: (c: Ctx, via: Via) => unknown, opts: Omit<Case, 'kind' | 'args'> = {}): Case => ({ kind: 'own', args, ...opts });

const ACTOR: Record<Via, string> = { ipc: 'console:electron', http: 'console:browser' };
const OWN_PHONE: Record<Via, [string, string]> = { ipc: ['+15127770101', '+15127770102'], http: ['+15127770201', '+15127770202'] };
const keyShape = (v: Value) => ({ fields: Object.keys(v).sort(), id: typeof v.id, prefixed: typeof v.key === 'string' && v.key.startsWith(v.prefix) });
const spare = (kind: string, via: Via) => `spare-${kind}-${via}`;

/** In call order: later cases use what earlier ones made (ids, keys, exported workspace). */
const cases = {
  'session.info': same(() => ({}), { check: (v, c) => expect(v).toMatchObject({ readOnly: false, dataDir: c.h.dir }) }),
  'workspace.export': same(() => ({}), { check: (v: Workspace, c) => void (c.exported = v) }),
  'workspace.import': same((c) => ({ workspace: c.exported }), { check: (v) => expect(v).toEqual({ campaigns: 3, sources: 3, buyers: 3 }) }),
  'overview.get': same((c) => c.range, { check: (v) => expect(v).toMatchObject({ leads: 4, sold: 4 }) }),
  'timeseries.get': same((c) => ({ ...c.range, bucketMs: 60_000 }), { check: (v) => expect(v.reduce((n: number, p: { leads: number }) => n + p.leads, 0)).toBe(4) }),
  'stats.buyers': same((c) => c.range, { check: (v) => expect(v).toEqual([expect.objectContaining({ buyerId: 'acme', wins: 4 })]) }),
  'stats.sources': same((c) => c.range, { check: (v) => expect(v).toEqual([expect.objectContaining({ sourceId: 'pub-1', leads: 4 })]) }),
  'signals.buyers': same(() => ({}), { check: (v) => expect(v).toEqual([expect.objectContaining({ buyerId: 'acme', campaignId: 'auto-insurance', figures: expect.objectContaining({ wins: 4 }) })]) }),
  'signals.sources': same(() => ({ campaignId: 'auto-insurance' }), { check: (v) => expect(v).toContainEqual(expect.objectContaining({ sourceId: 'pub-1', leads: 4, sold: 4 })) }),
  'placement.proposals': same(() => ({}), { check: (v) => expect(v).toEqual({ proposals: [], moves: [] }) }),
  'auctions.list': same(() => ({}), { check: (v) => expect(v.rows).toHaveLength(4) }),
  'pings.inbound': same(() => ({}), { check: (v) => expect(v).toEqual([]) }),
  'auctions.get': same((c) => ({ id: c.auctionId }), { check: (v) => expect(v.pings).toHaveLength(1) }),
  'leads.search': same((c) => ({ query: c.phone }), { check: (v, c) => expect(v).toEqual([expect.objectContaining({ id: c.leadId })]) }),
  'leads.get': same((c) => ({ id: c.leadId }), { check: (v) => expect(v.trail.length).toBeGreaterThan(2) }),
  'leads.evidence': same((c) => ({ id: c.leadId }), {
    // Each bundle gets its own file and creation time: compare what it proves.
    project: (v) => ({ leadId: v.leadId, events: v.events, dir: path.dirname(v.path), status: verifyBundle(fs.readFileSync(v.path)).status === 'failed' ? 'failed' : 'consistent' }),
    check: (v) => expect(path.basename(v.path)).toBe(v.fileName),
  }),
  'returns.list': same(() => ({}), { check: (v) => expect(v).toEqual([]) }),
  'returns.decide': same((c) => ({ leadIds: [c.leadId], decision: 'approved' }), { check: (v) => expect(v.failed).toHaveLength(1) }),
  // Asked twice for one lead: the second transport gets the first request's answer.
  'returns.request': same((c) => ({ leadId: c.leadId }), { check: (v) => expect(v).toMatchObject({ status: 'pending' }) }),
  'ledger.entries': same((c) => c.range, { check: (v) => expect(v).toHaveLength(8) }),
  'ledger.balances': same((c) => c.range, { check: (v) => expect(v).toEqual([expect.objectContaining({ partyId: 'acme', balance: 120 }), expect.objectContaining({ partyId: 'pub-1' })]) }),
  'ledger.statement': same((c) => ({ ...c.range, partyKind: 'buyer', partyId: 'acme' }), { check: (v) => expect(v.total).toBe(120) }),
  'ledger.summary': same((c) => c.range, { check: (v) => expect(v.grossRevenue).toBe(120) }),
  'whatif.run': same((c) => ({ ...c.range, campaignId: 'auto-insurance', changes: [{ kind: 'tierFloor', campaignId: 'auto-insurance', tierIndex: 0, floor: 35 }] }), {
    check: (v) => expect(v).toMatchObject({ before: { sold: 4, revenue: 120 }, after: { sold: 0, revenue: 0 } }),
  }),
  // Repeated, the same floor lands on the same state (the second is priced from $25, the first from $20).
  'whatif.apply': same((c) => ({ ...c.range, campaignId: 'auto-insurance', changes: [{ kind: 'tierFloor', campaignId: 'auto-insurance', tierIndex: 0, floor: 25 }] }), {
    project: (v) => ({ campaign: v.campaign, after: v.whatif.after }),
    check: (v) => expect(v).toMatchObject({ campaign: { tiers: [{ floor: 25 }] }, whatif: { after: { sold: 4, revenue: 120 } } }),
  }),
  'reports.priceRejects': same((c) => ({ ...c.range, campaignId: 'auto-insurance' }), { check: (v) => expect(v.rows).toEqual([expect.objectContaining({ buyerId: 'acme', bids: 4 })]) }),
  'ledger.adjust': own(() => ({ partyKind: 'buyer', partyId: 'acme', amount: 5, note: 'goodwill credit' }), {
    project: (v) => ({ kind: v.kind, amount: v.amount, partyId: v.partyId }),
    check: (v) => expect(v).toMatchObject({ kind: 'adjustment', amount: 5 }),
  }),
  'campaigns.list': same(() => ({}), { check: (v) => expect(v).toHaveLength(3) }),
  'campaigns.save': same(() => ({ campaign: autoCampaign([], { id: 'home', name: 'Home' }) }), { check: (v) => expect(v.id).toBe('home') }),
  'tiers.set': same(() => ({ campaignId: 'auto-insurance', tiers: [{ name: 'Only tier', floor: 20, buyers: ['acme'] }] }), { check: (v) => expect(v.tiers).toHaveLength(1) }),
  'tiers.setFloor': same(() => ({ campaignId: 'auto-insurance', tierIndex: 0, floor: 22.5 }), { check: (v) => expect(v.tiers[0].floor).toBe(22.5) }),
  'changes.list': same(() => ({ from: Date.now() - 3_600_000, to: Date.now() + 60_000, campaignId: 'auto-insurance' }), {
    check: (v) => expect(v.changes.at(-1)?.summary).toBe('Only tier floor $22.50 → $22.50'),
  }),
  'changes.impact': same(() => ({ from: Date.now() - 3_600_000, to: Date.now() + 60_000, windowMs: 300_000 }), {
    check: (v) => expect(v[0]?.campaignId).toBe('auto-insurance'),
  }),
  'tiers.setDynamicFloor': same(() => ({ campaignId: 'auto-insurance', tierIndex: 0, dynamicFloor: { enabled: false, basis: 'winningBids', percentile: 25, windowMs: 3_600_000, min: 10, max: 40, maxStep: 2, intervalMs: 60_000 } }), {
    check: (v) => expect(v.tiers[0].dynamicFloor).toMatchObject({ enabled: false, percentile: 25 }),
  }),
  'floors.dynamic': same(() => ({ campaignId: 'auto-insurance' }), { check: (v) => expect(v[0].next).toMatchObject({ kind: 'too_few_samples', needed: 20 }) }),
  'floors.changes': same((c) => ({ ...c.range, campaignId: 'auto-insurance' }), { check: (v) => expect(v).toEqual([]) }),
  'audit.configChanges': same(() => ({ limit: 1 }), { check: (v) => expect(v).toHaveLength(1) }),
  'leadValue.get': same((c) => ({ leadId: c.leadId }), { check: (v, c) => expect(v.leadId).toBe(c.leadId) }),
  'leadValue.error': same((c) => c.range, { check: (v) => expect(v.all).toMatchObject({ leads: 0, mae: 0 }) }),
  'ab.report': same(() => ({ campaignId: 'auto-insurance' }), { check: (v) => expect(v).toMatchObject({ test: null, verdict: 'too_few_leads', variants: [{ leads: 0 }, { leads: 0 }] }) }),
  // Each transport runs its tests on its own spare campaign.
  'ab.start': own((_c, via) => ({ campaignId: spare('campaign', via), name: 'floors', splitPercent: 30 }), {
    project: (v) => v.abTest && { name: v.abTest.name, splitPercent: v.abTest.splitPercent, variantB: v.abTest.variantB },
    check: (v) => expect(v.abTest).toMatchObject({ name: 'floors', splitPercent: 30 }),
  }),
  'ab.stop': own((_c, via) => ({ campaignId: spare('campaign', via) }), {
    project: (v) => ({ test: v.test, verdict: v.verdict, variants: v.variants }),
    check: (v) => expect(v.test).toMatchObject({ name: 'floors', running: true }),
  }),
  'ab.promote': own(
    async (c, via) => {
      await c.h.call('ab.start', { campaignId: spare('campaign', via), name: 'promoted', tiers: [{ name: 'B tier', floor: 9, buyers: [] }] });
      return { campaignId: spare('campaign', via), variant: 'B' };
    },
    { project: (v) => ({ tiers: v.campaign.tiers, abTest: v.campaign.abTest ?? null }), check: (v) => expect(v.campaign.tiers).toEqual([{ name: 'B tier', floor: 9, buyers: [] }]) },
  ),
  'sources.list': same(() => ({}), { check: (v) => expect(v).toHaveLength(3) }),
  'sources.save': same(() => ({ source: { id: 'pub-2', name: 'Second site', campaigns: ['home'], apiKey: 'src_second_key_1' } }), { check: (v) => expect(v.keys).toHaveLength(1) }),
  'sources.createKey': own(() => ({ sourceId: 'pub-1' }), {
    project: keyShape,
    check: (v, c, via) => {
      expect(v.key).toMatch(/^src_/);
      c.sourceKey[via] = v.id;
    },
  }),
  'sources.revokeKey': own((c, via) => ({ keyId: c.sourceKey[via] })),
  'config.check': same(() => ({ kind: 'source', spec: { id: 'pub-x', name: 'X', campaigns: ['nowhere'] } }), { check: (v) => expect(v.problems).toEqual([{ field: 'campaigns[0]', message: 'There is no campaign "nowhere"' }]) }),
  'buyers.list': same(() => ({}), { check: (v) => expect(v.find((b: { spec: { id: string } }) => b.spec.id === 'acme').usage.hourly).toBe(4) }),
  'buyers.save': same(() => ({ buyer: { id: 'extra', name: 'Extra', post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 12, apiKey: 'buy_extra_key_1' } }), { check: (v) => expect(v.keys).toHaveLength(1) }),
  'buyers.setPaused': same(() => ({ id: 'extra', paused: true }), { check: (v) => expect(v.paused).toBe(true) }),
  'buyers.setCaps': same(() => ({ id: 'acme', caps: { hourly: 10, dailyBudget: 250.5 } }), { check: (v) => expect(v.spec.caps).toEqual({ hourly: 10, dailyBudget: 250.5 }) }),
  'buyers.createKey': own(() => ({ buyerId: 'acme' }), {
    project: keyShape,
    check: (v, c, via) => {
      expect(v.key).toMatch(/^buy_/);
      c.buyerKey[via] = v.id;
    },
  }),
  'buyers.revokeKey': own((c, via) => ({ keyId: c.buyerKey[via] })),
  'buyers.testPing': same(() => ({ id: 'acme', campaignId: 'auto-insurance' }), { check: (v) => expect(v).toMatchObject({ outcome: 'BID', bid: 30 }) }),
  'suppression.add': own((_c, via) => ({ values: [OWN_PHONE[via][0], 'nonsense'] }), { check: (v) => expect(v).toMatchObject({ added: 1, refused: [{ value: 'nonsense' }] }) }),
  'suppression.importCsv': own((_c, via) => ({ csv: `phone\n${OWN_PHONE[via][1]}\n${OWN_PHONE[via][0]}\n`, jobId: `import-${via}` }), {
    check: (v) => expect(v).toMatchObject({ added: 1, duplicates: 1 }),
  }),
  'suppression.list': same(() => ({}), { check: (v) => expect(v.total).toBe(4) }),
  'suppression.remove': own(async (c, via) => {
    const found = await c.h.call<{ rows: Array<{ kind: string; hash: string; source: string }> }>('suppression.list', { query: OWN_PHONE[via][0] });
    expect(found.rows).toEqual([expect.objectContaining({ kind: 'phone', source: ACTOR[via] })]);
    return { kind: 'phone', hash: found.rows[0].hash };
  }),
  'suppression.revoke': own((_c, via) => ({ phone: via === 'ipc' ? '+15127770301' : '+15127770302', reason: 'consumer_request' }), {
    project: (v) => ({ status: v.status, suppressed: v.suppressed, added: v.added, reasonCode: v.reasonCode }),
    check: (v) => expect(v).toMatchObject({ status: 'suppressed', suppressed: ['phone'], added: 1, reasonCode: 'consumer_request' }),
  }),
  'audit.verify': same(() => ({ jobId: 'verify' }), { check: (v) => expect(v).toMatchObject({ ok: true }) }),
  'audit.signing': same(() => ({}), { project: (v) => ({ keyId: v.keyId }), check: (v) => expect(v.keyId).toMatch(/^[0-9a-f]{32}$/) }),
  'audit.publicKey': same(() => ({}), { check: (v) => expect(v.pem).toContain('-----BEGIN PUBLIC KEY-----') }),
  'exports.list': same(() => ({}), { project: (v) => ({ dir: v.dir }), check: (v) => expect(Array.isArray(v.files)).toBe(true) }),
  'export.csv': same(() => ({ kind: 'leads' }), {
    // Each export gets its own file (the name carries a random part): compare what is in it.
    project: (v) => ({ kind: v.kind, rows: v.rows, dir: path.dirname(v.path), content: fs.readFileSync(v.path, 'utf8') }),
    check: (v) => {
      expect(v.rows).toBe(4);
      expect(path.basename(v.path)).toBe(v.fileName);
    },
  }),
  'leads.erase': own((c, via) => ({ id: c.eraseLead[via] }), {
    // The first erasure deletes the exports that mention its lead (both transports' files), the second finds none left.
    project: (v) => ({ erased: v.erased, leads: v.leads, suppressed: v.suppressed }),
    check: (v) => expect(v).toMatchObject({ erased: true, leads: 1 }),
  }),
  // Each transport settles its own unconfirmed lead (the buyer answered its post with a 500).
  'leads.settle': own(async (c) => ({ leadId: await unconfirmedLead(c.h), outcome: 'released' }), {
    project: (v) => ({ status: v.status, buyerId: v.buyerId, price: v.price, payout: v.payout }),
    check: (v) => expect(v).toMatchObject({ status: 'unsold', buyerId: 'acme', price: 30 }),
  }),
  // Each call first puts acme back in tier 1 under a policy its unconverted sales fall under: both transports move it to tier 2.
  'placement.apply': same(async (c) => ({ campaignId: await withPlacementPolicy(c.h), buyerId: 'acme' }), {
    project: (v) => ({ ...v, at: typeof v.at, appliedBy: typeof v.appliedBy }),
    check: (v) => expect(v).toMatchObject({ action: 'demote', fromTier: 0, toTier: 1 }),
  }),
  'buyers.delete': own((_c, via) => ({ id: spare('buyer', via) })),
  'sources.delete': own((_c, via) => ({ id: spare('source', via) })),
  'campaigns.delete': own((_c, via) => ({ id: spare('campaign', via) })),
} satisfies Record<MethodName, Case>;

/** Suggested tier placement for auto-insurance, acme in tier 1, with thresholds its unconverted sales fall under. */
async function withPlacementPolicy(engine: TestEngine): Promise<string> {
  const auto = (await engine.call<CampaignSpec[]>('campaigns.list')).find((x) => x.id === 'auto-insurance') as CampaignSpec;
  const tiers = [{ name: 'Tier 1', floor: 20, buyers: ['acme'] }, { name: 'Tier 2', floor: 5, buyers: [] }];
  const tierPlacement = { mode: 'suggest', minSamples: 1, promoteConversionPercent: 50, demoteConversionPercent: 50, cooldownMs: 0 };
  await engine.call('campaigns.save', { campaign: { ...auto, tiers, tierPlacement } });
  return auto.id;
}

/** A lead whose post the buyer answers with a 500: an unknown outcome, so it ends unconfirmed. */
const UNSURE = 'Unsure';
async function unconfirmedLead(engine: TestEngine): Promise<string> {
  const res = await engine.sendLead(leadBody({ fields: { first_name: UNSURE } }));
  expect(res.body).toMatchObject({ status: 'unsold', reason: 'unconfirmed' });
  return res.body.lead_id as string;
}

let buyer: TestBuyer;
let h: TestEngine;
let server: ConsoleServer;
let ipc: IpcHandler;
/** The engine's clock: held still during each pair, so nothing time-windowed moves between the two calls. */
let frozenAt: number | null = null;
const ctx = { sourceKey: {}, buyerKey: {}, eraseLead: {} } as Ctx;

/** As `ipcRenderer.invoke` delivers it: structured clones both ways, from the app's own top frame. */
async function viaIpc(name: string, args: unknown): Promise<Reply<unknown>> {
  const event = { senderFrame: { url: 'pingdesk://app/index.html', parent: null } };
  return structuredClone(await ipc(event, String(name), structuredClone(args)));
}

/** As the browser client sends it (src/renderer/api/client.ts): JSON body, absent arguments as `{}`. */
async function viaHttp(name: string, args: unknown): Promise<Reply<unknown>> {
  const res = await fetch(`http://127.0.0.1:${server.port}/api/call/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [TOKEN_HEADER]: server.token },
    body: JSON.stringify(args ?? {}),
  });
  // Every contract outcome, failures included, is a 200 carrying the Reply.
  expect(res.status, name).toBe(200);
  return (await res.json()) as Reply<unknown>;
}

const call = (via: Via, name: string, args: unknown) => (via === 'ipc' ? viaIpc(name, args) : viaHttp(name, args));

/** Every write queued so far is committed before the next method is compared. */
const settle = () => writesCommitted(h);

async function seed(): Promise<void> {
  const sold: Array<{ leadId: string; phone: string }> = [];
  for (let i = 0; i < 4; i++) {
    const body = leadBody();
    const res = await h.sendLead(body);
    expect(res.body.status).toBe('sold');
    sold.push({ leadId: res.body.lead_id, phone: body.fields.phone });
  }
  const auctions = await h.call<{ rows: Array<{ id: string; leadId: string }> }>('auctions.list', {});
  Object.assign(ctx, {
    h,
    range: { from: Date.now() - 3_600_000, to: Date.now() + 3_600_000 },
    phone: sold[0].phone,
    leadId: sold[0].leadId,
    auctionId: auctions.rows.find((a) => a.leadId === sold[0].leadId)?.id,
    eraseLead: { ipc: sold[2].leadId, http: sold[3].leadId },
  });
  for (const via of VIAS) {
    await h.call('campaigns.save', { campaign: autoCampaign([], { id: spare('campaign', via), name: `Spare ${via}` }) });
    await h.call('sources.save', { source: { id: spare('source', via), name: `Spare ${via}`, campaigns: ['auto-insurance'] } });
    await h.call('buyers.save', { buyer: { id: spare('buyer', via), name: `Spare ${via}`, post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 5 } });
  }
}

beforeAll(async () => {
  buyer = await startBuyer((req) => ({ bid: 30, postStatus: req.body?.lead?.first_name === UNSURE ? 500 : 200 }));
  const workspace = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]), [buyerFor(buyer, 'acme', { apiKey: 'buy_acme_key_1' })]);
  // No audit checkpoint is signed on a timer here: one signed between the two calls of a pair would
  // change what `audit.verify` (and a lead's covering checkpoint) answers to the second call.
  h = await startTestEngine({ workspace, now: () => frozenAt ?? Date.now(), auditCheckpoints: { tickMs: 3_600_000 } });
  server = await startConsoleServer({ host: h.engine.consoleHost, port: 0 });
  registerConsoleIpc(h.engine.consoleHost);
  expect(electron.ipcMain.handle).toHaveBeenCalledTimes(1);
  const [channel, handler] = electron.ipcMain.handle.mock.calls[0] as [string, IpcHandler];
  expect(channel).toBe(IPC_CALL_CHANNEL);
  ipc = handler;
  await seed();
});

afterAll(async () => {
  await server?.close();
  await h?.close();
  await buyer?.close();
});

describe('console transport parity (Electron IPC and HTTP over one real engine)', () => {
  it('has a case for every method of the contract, and every query compares the same call', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(consoleMethods).sort());
    for (const [method, c] of Object.entries(cases) as Array<[MethodName, Case]>) {
      if (!consoleMethods[method].mutates) expect(c.kind, method).toBe('same');
    }
  });

  it('answers every method identically through IPC and HTTP', async () => {
    for (const [method, c] of Object.entries(cases) as Array<[MethodName, Case]>) {
      await settle();
      frozenAt = Date.now();
      const seen = {} as Record<Via, unknown>;
      for (const via of VIAS) {
        const reply = await call(via, method, await c.args(ctx, via));
        expect(reply, `${method} via ${via}`).toMatchObject({ ok: true });
        if (!reply.ok) continue;
        c.check?.(reply.value, ctx, via);
        seen[via] = c.project ? c.project(reply.value) : reply.value;
      }
      frozenAt = null;
      expect(seen.http, method).toStrictEqual(seen.ipc);
    }
    // Both transports reached the engine under their own name.
    const actors = new Set(auditRows(h.db(), 'config').map((r) => r.actor));
    expect([...actors]).toEqual(expect.arrayContaining(Object.values(ACTOR)));
  });

  it('answers invalid arguments and unknown methods with the same error through IPC and HTTP', async () => {
    const bad: Array<[string, unknown]> = [
      ['leads.get', {}],
      // Missing arguments: the preload passes them on as they are, the browser client sends {}.
      ['leads.get', undefined],
      ['leads.get', null],
      ['tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: -1, floor: -5 }],
      ['suppression.remove', { kind: 'fax', hash: 'abc' }],
      ['no.such.method', {}],
    ];
    for (const [method, args] of bad) {
      const [fromIpc, fromHttp] = [await viaIpc(method, args), await viaHttp(method, args)];
      expect(fromIpc, method).toMatchObject({ ok: false, error: { code: method === 'no.such.method' ? 'not_found' : 'validation_failed' } });
      expect(fromHttp, method).toStrictEqual(fromIpc);
    }
  });
});

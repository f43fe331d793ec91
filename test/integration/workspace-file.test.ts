import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuyerSpec, CampaignSpec, Workspace } from '../../src/shared/domain.js';
import { leadBody, startTestEngine, type TestEngine } from './fixtures/engine-harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE_FILE = path.join(root, 'docs/examples/workspace.json');

/** The workspace block of DESIGN.md §4, exactly as printed there. */
const DESIGN_BLOCK = `{ "version": 1,
  "campaigns": [{
    "id": "auto-insurance", "name": "Auto insurance", "vertical": "auto-insurance",
    "fields": {
      "first_name": {"type": "string", "required": true, "contact": true},
      "last_name":  {"type": "string", "required": true, "contact": true},
      "phone":      {"type": "phone",  "required": true, "contact": true},
      "email":      {"type": "email",  "required": true, "contact": true},
      "state":      {"type": "state",  "required": true},
      "zip":        {"type": "zip",    "required": true},
      "age":        {"type": "integer", "min": 18, "max": 120},
      "vehicle_year": {"type": "integer"} },
    "pingFields": ["state", "zip", "age", "vehicle_year"],
    "minPrice": 5, "payout": {"type": "percent", "value": 70}, "margin": {"type": "fixed", "value": 1},
    "requireNamedSeller": true, "duplicateWindowDays": 30,
    "pingTimeoutMs": 300, "postTimeoutMs": 2000,
    "tiers": [ {"name": "Tier 1", "floor": 20, "buyers": ["acme", "bolt"]},
               {"name": "Tier 2", "floor": 5,  "buyers": ["cheap"]} ] }],
  "sources": [{"id": "pub-1", "name": "Quotes Site", "apiKey": "src_test_key_1", "campaigns": ["auto-insurance"]}],
  "buyers": [{
    "id": "acme", "name": "Acme Insurance", "consentName": "Acme Insurance", "apiKey": "buy_acme_key",
    "ping": {"url": "http://127.0.0.1:9101/ping", "timeoutMs": 250},
    "post": {"url": "http://127.0.0.1:9101/post", "timeoutMs": 1500},
    "filters": {"states": ["TX", "CA"]},
    "caps": {"hourly": 50, "daily": 200, "dailyBudget": 5000},
    "schedule": {"timezone": "America/Chicago", "days": ["mon","tue","wed","thu","fri"], "from": "08:00", "to": "20:00"} }] }`;

/** DESIGN.md §4: "`bolt` and `cheap` are defined like `acme`". */
function withBoltAndCheap(ws: Workspace): Workspace {
  const acme = ws.buyers[0];
  const like = (id: string, name: string, port: number, key: string): BuyerSpec => ({
    ...structuredClone(acme),
    id,
    name,
    consentName: name,
    apiKey: key,
    ping: { url: `http://127.0.0.1:${port}/ping`, timeoutMs: 250 },
    post: { url: `http://127.0.0.1:${port}/post`, timeoutMs: 1500 },
  });
  return { ...ws, buyers: [acme, like('bolt', 'Bolt Auto', 9102, 'buy_bolt_key'), like('cheap', 'Cheap Quotes', 9103, 'buy_cheap_key')] };
}

const designWorkspace = (): Workspace => withBoltAndCheap(JSON.parse(DESIGN_BLOCK) as Workspace);
const exampleWorkspace = (): Workspace => JSON.parse(fs.readFileSync(EXAMPLE_FILE, 'utf8')) as Workspace;

let harness: TestEngine | null = null;
const extra: TestEngine[] = [];
afterEach(async () => {
  await harness?.close();
  harness = null;
  await Promise.all(extra.splice(0).map((h) => h.close()));
});

type Details = Array<{ field: string; message: string }>;

async function importFailure(h: TestEngine, workspace: unknown): Promise<{ code: string; details: Details }> {
  const reply = await h.callReply('workspace.import', { workspace });
  if (reply.ok) throw new Error('the workspace was accepted');
  return { code: reply.error.code, details: reply.error.details ?? [] };
}

describe('workspace file', () => {
  it('imports docs/examples/workspace.json as it stands, at start and from the console', async () => {
    harness = await startTestEngine({ workspaceFile: EXAMPLE_FILE });
    const campaigns = await harness.call<CampaignSpec[]>('campaigns.list');
    expect(campaigns.map((c) => c.id)).toEqual(['auto-insurance']);
    expect(campaigns[0].tiers).toEqual([
      { name: 'Tier 1', floor: 20, buyers: ['acme', 'bolt'] },
      { name: 'Tier 2', floor: 5, buyers: ['cheap'] },
    ]);
    expect(await harness.call('workspace.import', { workspace: exampleWorkspace() })).toEqual({ campaigns: 1, sources: 1, buyers: 3 });
  });

  it('the example is the DESIGN.md block with bolt and cheap added, and that block imports too', async () => {
    expect(exampleWorkspace()).toEqual(designWorkspace());
    harness = await startTestEngine();
    expect(await harness.call('workspace.import', { workspace: designWorkspace() })).toEqual({ campaigns: 1, sources: 1, buyers: 3 });
    const buyers = await harness.call<Array<{ spec: BuyerSpec }>>('buyers.list');
    expect(buyers.map((b) => b.spec.id)).toEqual(['acme', 'bolt', 'cheap']);
    // Plain keys are never kept in the specs.
    expect(JSON.stringify(buyers)).not.toContain('buy_acme_key');
  });

  it('lists every problem of an invalid file by path and changes nothing', async () => {
    harness = await startTestEngine({ workspaceFile: EXAMPLE_FILE });
    const h = harness;
    const before = await h.call('workspace.export');

    // The printed block alone names buyers it does not define.
    expect(await importFailure(h, JSON.parse(DESIGN_BLOCK))).toEqual({
      code: 'invalid_workspace',
      details: [
        { field: 'campaigns[0].tiers[0].buyers[1]', message: 'no buyer "bolt"' },
        { field: 'campaigns[0].tiers[1].buyers[0]', message: 'no buyer "cheap"' },
      ],
    });

    const shape = exampleWorkspace() as unknown as { campaigns: Array<Record<string, unknown>>; sources: Array<Record<string, unknown>>; buyers: Array<Record<string, unknown>> };
    shape.campaigns[0].minPrice = -1;
    (shape.campaigns[0].tiers as Array<Record<string, unknown>>)[0].floor = 'twenty';
    shape.sources[0].apiKey = 'short';
    (shape.buyers[1].ping as Record<string, unknown>).url = 'not a url';
    shape.buyers[2].surprise = true;
    const shapeProblems = await importFailure(h, shape);
    expect(shapeProblems.code).toBe('invalid_workspace');
    expect(shapeProblems.details.map((d) => d.field).sort()).toEqual(
      ['buyers[1].ping.url', 'buyers[2]', 'campaigns[0].minPrice', 'campaigns[0].tiers[0].floor', 'sources[0].apiKey'].sort(),
    );
    for (const d of shapeProblems.details) expect(d.message.length).toBeGreaterThan(0);

    const refs = exampleWorkspace();
    refs.campaigns[0].tiers[1].buyers = ['cheap', 'acme', 'nobody'];
    refs.sources[0].campaigns = ['auto-insurance', 'home'];
    delete refs.buyers[2].ping;
    refs.buyers[1].apiKey = 'buy_acme_key';
    refs.buyers.push({ ...refs.buyers[0], apiKey: undefined });
    const refProblems = await importFailure(h, refs);
    expect(refProblems.code).toBe('invalid_workspace');
    expect(refProblems.details.map((d) => d.field).sort()).toEqual(
      [
        'buyers[3].id',
        'buyers[2].fixedPrice',
        'campaigns[0].tiers[1].buyers[1]',
        'campaigns[0].tiers[1].buyers[2]',
        'sources[0].campaigns[1]',
        'buyers[1].apiKey',
      ].sort(),
    );

    expect(await h.call('workspace.export')).toEqual(before);
  });

  it('refuses a contact field in the ping list, whatever way it is configured', async () => {
    harness = await startTestEngine();
    const h = harness;
    const ws = exampleWorkspace();
    ws.campaigns[0].fields.nickname = { type: 'string', contact: true };
    ws.campaigns[0].fields.ip = { type: 'string' };
    ws.campaigns[0].pingFields = ['state', 'phone', 'zip', 'nickname', 'ip', 'email'];
    const failure = await importFailure(h, ws);
    expect(failure.code).toBe('invalid_workspace');
    expect(failure.details.map((d) => d.field)).toEqual([
      'campaigns[0].pingFields[1]',
      'campaigns[0].pingFields[3]',
      'campaigns[0].pingFields[4]',
      'campaigns[0].pingFields[5]',
    ]);
    for (const d of failure.details) expect(d.message).toContain('contact field');

    await h.call('workspace.import', { workspace: exampleWorkspace() });
    const campaign = { ...exampleWorkspace().campaigns[0], pingFields: ['state', 'email'] };
    const saved = await h.callReply('campaigns.save', { campaign });
    expect(saved).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ field: 'pingFields[1]' }] } });
    expect((await h.call<CampaignSpec[]>('campaigns.list'))[0].pingFields).toEqual(['state', 'zip', 'age', 'vehicle_year']);
  });

  it('round-trips through export and import, with keys only as hashes that still authenticate', async () => {
    harness = await startTestEngine({ workspaceFile: EXAMPLE_FILE });
    const exported = await harness.call<Workspace>('workspace.export');
    const text = JSON.stringify(exported);
    for (const key of ['src_test_key_1', 'buy_acme_key', 'buy_bolt_key', 'buy_cheap_key']) expect(text).not.toContain(key);
    expect(exported.sources[0]).not.toHaveProperty('apiKey');
    expect(exported.sources[0].apiKeyHashes).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    for (const b of exported.buyers) expect(b.apiKeyHashes).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);

    const other = await startTestEngine();
    extra.push(other);
    expect(await other.call('workspace.import', { workspace: JSON.parse(text) })).toEqual({ campaigns: 1, sources: 1, buyers: 3 });
    expect(await other.call('workspace.export')).toEqual(exported);

    // The source's key authenticates in the new data folder (the lead names no seller, so it goes unsold).
    const lead = await other.sendLead(leadBody());
    expect(lead.status).toBe(200);
    expect(lead.body.status).toBe('unsold');
    expect((await other.sendLead(leadBody(), 'src_wrong_key_1')).status).toBe(401);
    // So does a buyer's: feedback on a lead it never bought is 404, not 401.
    const feedback = await other.post('/v1/feedback', { lead_id: lead.body.lead_id, event: 'converted' }, { key: 'buy_bolt_key' });
    expect(feedback.status).toBe(404);
    expect((await other.post('/v1/feedback', { lead_id: lead.body.lead_id, event: 'converted' }, { key: 'buy_wrong_key' })).status).toBe(401);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { LeadDetail } from '../../src/shared/console-api.js';
import type { ScreeningRuleSpec, Workspace } from '../../src/shared/domain.js';
import { auditRows, autoCampaign, buyerFor, leadBody, makeDataDir, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';
import { startVendor, vendorAnswers, type TestVendor, type VendorAnswer } from '../support/screen-vendor.js';

const rig = useTestRig();
let vendors: TestVendor[] = [];
afterEach(async () => {
  await rig.closeEngines();
  await Promise.all(vendors.map((v) => v.close()));
  vendors = [];
});

const TF_KEY = 'tf-secret-key-0001';
const TRESTLE_KEY = 'trestle-secret-key-0002';
const IPQS_KEY = 'ipqs-secret-key-0003';
const CERT_ID = '8189d5a77937b27a3d85ca181fc34f2b46a60908';

async function vendor(answer: VendorAnswer): Promise<TestVendor> {
  const v = await startVendor(answer);
  vendors.push(v);
  return v;
}

async function setUp(rules: (urls: { tf: string; trestle: string; ipqs: string }) => ScreeningRuleSpec[], answers: { tf?: VendorAnswer; trestle?: VendorAnswer; ipqs?: VendorAnswer } = {}) {
  const tf = await vendor(answers.tf ?? vendorAnswers.trustedformRetained);
  const trestle = await vendor(answers.trestle ?? vendorAnswers.trestle(88));
  const ipqs = await vendor(answers.ipqs ?? vendorAnswers.ipqs(10));
  const buyer = await rig.buyer({ bid: 20 });
  const campaign = autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { screening: rules({ tf: tf.url, trestle: trestle.url, ipqs: ipqs.url }) });
  const workspace: Workspace = workspaceOf(campaign, [buyerFor(buyer, 'acme')]);
  const dir = makeDataDir();
  const engine = await rig.engine({ workspace, dir });
  return { tf, trestle, ipqs, buyer, engine, dir, workspace };
}

const allThree = (urls: { tf: string; trestle: string; ipqs: string }, over: Partial<Record<'tf' | 'trestle' | 'ipqs', Partial<ScreeningRuleSpec>>> = {}): ScreeningRuleSpec[] => [
  { type: 'trustedform', url: urls.tf, apiKey: TF_KEY, action: 'reject', timeoutMs: 2000, ...over.tf },
  { type: 'trestle', url: urls.trestle, apiKey: TRESTLE_KEY, action: 'reject', timeoutMs: 2000, minActivityScore: 40, ...over.trestle },
  { type: 'ipqs', url: urls.ipqs, apiKey: IPQS_KEY, action: 'reject', timeoutMs: 2000, maxFraudScore: 80, ...over.ipqs },
];

function lead(extra: Record<string, unknown> = {}) {
  return leadBody({ consent: { trustedform_cert_url: `https://cert.trustedform.com/${CERT_ID}`, ...extra } });
}

async function detail(engine: TestEngine, leadId: string): Promise<LeadDetail> {
  return engine.call<LeadDetail>('leads.get', { id: leadId });
}

function screenedEvent(engine: TestEngine, leadId: string): { verdict: string; results: Array<Record<string, unknown>> } {
  const row = auditRows(engine.db(), 'screened').find((r) => r.lead_id === leadId);
  if (!row) throw new Error('no screened event');
  return JSON.parse(row.data) as { verdict: string; results: Array<Record<string, unknown>> };
}

describe('pre-ping screening against vendors on loopback', () => {
  it('a lead that passes all three vendors is sold, and each vendor got its documented request', async () => {
    const { tf, trestle, ipqs, buyer, engine } = await setUp((u) => allThree(u));
    const body = lead();
    const reply = await engine.sendLead(body);
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('sold');
    const leadId = reply.body.lead_id as string;

    expect(tf.requests).toHaveLength(1);
    expect(tf.requests[0]).toMatchObject({ method: 'POST', path: `/${CERT_ID}` });
    expect(tf.requests[0].headers.authorization).toBe(`Basic ${Buffer.from(`API:${TF_KEY}`).toString('base64')}`);
    expect(tf.requests[0].headers['api-version']).toBe('4.0');
    expect(JSON.parse(tf.requests[0].raw)).toEqual({ retain: { reference: leadId } });
    expect(trestle.requests[0]).toMatchObject({ method: 'GET', path: `/3.0/phone_intel?phone=${encodeURIComponent(body.fields.phone)}` });
    expect(trestle.requests[0].headers['x-api-key']).toBe(TRESTLE_KEY);
    expect(ipqs.requests[0]).toMatchObject({ method: 'GET', path: `/api/json/ip/${IPQS_KEY}/203.0.113.7?strictness=1` });
    expect(buyer.pings()).toHaveLength(1);

    const d = await detail(engine, leadId);
    expect(d.screening?.map((s) => [s.vendor, s.outcome, s.code, s.score, s.verdict])).toEqual([
      ['trustedform', 'PASS', 'OK', null, 'pass'],
      ['trestle', 'PASS', 'OK', 88, 'pass'],
      ['ipqs', 'PASS', 'OK', 10, 'pass'],
    ]);
    expect(screenedEvent(engine, leadId).verdict).toBe('pass');
    // The trail orders the stage: received, validated, screened, then the auction.
    const types = d.trail.map((e) => e.type);
    expect(types.indexOf('screened')).toBeGreaterThan(types.indexOf('validated'));
    expect(types.indexOf('screened')).toBeLessThan(types.indexOf('eligible') === -1 ? types.indexOf('ping') : types.indexOf('eligible'));
  });

  it('a failed check with action flag lets the lead through, flagged with the code and the score', async () => {
    const { buyer, engine } = await setUp((u) => allThree(u, { trestle: { action: 'flag' } }), { trestle: vendorAnswers.trestle(12) });
    const reply = await engine.sendLead(lead());
    expect(reply.body.status).toBe('sold');
    const d = await detail(engine, reply.body.lead_id as string);
    expect(d.screening?.find((s) => s.vendor === 'trestle')).toMatchObject({ outcome: 'FAIL', code: 'LOW_ACTIVITY', score: 12, verdict: 'flag', httpStatus: 200 });
    expect(screenedEvent(engine, d.lead.id).verdict).toBe('flag');
    expect(buyer.posts()).toHaveLength(1);
  });

  it('a rejected lead is answered 422 screened_out, stored with its trail, and no buyer hears of it (also after a restart)', async () => {
    const vendorText = 'High risk: Ana Diaz ana.trail@example.com +15125550199 via proxy';
    const { buyer, engine, dir, workspace } = await setUp((u) => allThree(u), { ipqs: vendorAnswers.ipqs(97, { message: vendorText, proxy: true }) });
    const reply = await engine.sendLead(lead());
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ error: 'screened_out', details: [{ field: 'consent.ip', message: 'ipqs: HIGH_FRAUD_SCORE_PROXY' }] });
    expect(typeof reply.body.message).toBe('string');
    const leadId = reply.body.lead_id as string;
    expect(buyer.requests).toHaveLength(0);

    const all = auditRows(engine.db()).map((r) => r.data).join('\n');
    for (const fragment of ['High risk', 'ana.trail', '5550199', 'Example ISP', 'Austin', 'proxy"', IPQS_KEY, TF_KEY, TRESTLE_KEY]) expect(all).not.toContain(fragment);
    const rows = engine.db().prepare('SELECT * FROM lead_screenings WHERE lead_id = ?').all(leadId);
    expect(JSON.stringify(rows)).not.toContain('High risk');

    await rig.closeEngines();
    const again = await rig.engine({ dir });
    const d = await detail(again, leadId);
    expect(d.lead.status).toBe('screened_out');
    expect(d.trail.map((e) => e.type)).toEqual(['received', 'validated', 'screened']);
    expect(d.screening?.find((s) => s.vendor === 'ipqs')).toMatchObject({ outcome: 'FAIL', code: 'HIGH_FRAUD_SCORE_PROXY', score: 97, verdict: 'reject' });
    expect(d.auctions).toEqual([]);
    expect(workspace.campaigns[0].screening).toHaveLength(3);
  });

  it('a hanging vendor costs its time budget and no more; the lead proceeds as onError says (default flag)', async () => {
    const { buyer, engine } = await setUp((u) => allThree(u, { trestle: { timeoutMs: 300 } }), { trestle: { hang: true } });
    const started = Date.now();
    const reply = await engine.sendLead(lead());
    expect(reply.body.status).toBe('sold');
    const d = await detail(engine, reply.body.lead_id as string);
    const r = d.screening?.find((s) => s.vendor === 'trestle');
    expect(r).toMatchObject({ outcome: 'TIMEOUT', code: 'TIMEOUT', verdict: 'flag', httpStatus: null });
    expect(r?.latencyMs).toBeGreaterThanOrEqual(290);
    expect(r?.latencyMs).toBeLessThan(1500);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(buyer.pings()).toHaveLength(1);
  });

  it('a hanging vendor with onError reject refuses the lead at its budget', async () => {
    const { buyer, engine } = await setUp((u) => allThree(u, { tf: { timeoutMs: 250, onError: 'reject' } }), { tf: { hang: true } });
    const reply = await engine.sendLead(lead());
    expect(reply.status).toBe(422);
    expect(reply.body.details).toEqual([{ field: 'consent.trustedform_cert_url', message: 'trustedform: TIMEOUT' }]);
    expect(buyer.requests).toHaveLength(0);
  });

  it('a vendor answering 500 is an ERROR (HTTP_500) and the lead proceeds flagged', async () => {
    const { engine } = await setUp((u) => allThree(u), { tf: { status: 500, body: { error: 'internal failure for ana@example.com' } } });
    const reply = await engine.sendLead(lead());
    expect(reply.body.status).toBe('sold');
    const d = await detail(engine, reply.body.lead_id as string);
    expect(d.screening?.find((s) => s.vendor === 'trustedform')).toMatchObject({ outcome: 'ERROR', code: 'HTTP_500', httpStatus: 500, verdict: 'flag' });
    expect(auditRows(engine.db()).map((r) => r.data).join('\n')).not.toContain('internal failure');
  });

  it('a malformed vendor answer is UNREADABLE, and a failed claim with action reject refuses', async () => {
    const { engine } = await setUp((u) => allThree(u), { ipqs: { status: 200, body: '<html>fraud_score: 3' } });
    const reply = await engine.sendLead(lead());
    expect(reply.body.status).toBe('sold');
    const d = await detail(engine, reply.body.lead_id as string);
    expect(d.screening?.find((s) => s.vendor === 'ipqs')).toMatchObject({ outcome: 'ERROR', code: 'UNREADABLE', verdict: 'flag' });

    const tf = vendors[0];
    tf.answer(vendorAnswers.trustedformNotRetained);
    const refused = await engine.sendLead(lead());
    expect(refused.status).toBe(422);
    expect(refused.body.details).toEqual([{ field: 'consent.trustedform_cert_url', message: 'trustedform: CERT_NOT_RETAINED' }]);
    expect(auditRows(engine.db()).map((r) => r.data).join('\n')).not.toContain('Certificate was not found');
  });

  it('a certificate URL off cert.trustedform.com is never claimed: the credentials stay home', async () => {
    const { tf, engine } = await setUp((u) => allThree(u));
    const reply = await engine.sendLead(leadBody({ consent: { trustedform_cert_url: `https://cert.trustedform.com.evil.example/${CERT_ID}` } }));
    expect(reply.status).toBe(422);
    expect(reply.body.details).toEqual([{ field: 'consent.trustedform_cert_url', message: 'trustedform: CERT_FOREIGN' }]);
    expect(tf.requests).toHaveLength(0);
  });

  it('vendor API keys never leave in an export or a listing, and an exported workspace re-imports with them kept', async () => {
    const { tf, engine } = await setUp((u) => allThree(u));
    const exported = await engine.call<Workspace>('workspace.export', {});
    const listed = await engine.call<unknown>('campaigns.list', {});
    for (const text of [JSON.stringify(exported), JSON.stringify(listed)]) {
      for (const key of [TF_KEY, TRESTLE_KEY, IPQS_KEY]) expect(text).not.toContain(key);
    }
    expect(exported.campaigns[0].screening?.map((r) => r.type)).toEqual(['trustedform', 'trestle', 'ipqs']);
    await engine.call('workspace.import', { workspace: exported });
    const reply = await engine.sendLead(lead());
    expect(reply.body.status).toBe('sold');
    expect(tf.requests.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from(`API:${TF_KEY}`).toString('base64')}`);
  });
});

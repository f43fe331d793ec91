import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Workspace } from '../../src/shared/domain.js';
import { startBuyer, type TestBuyer } from '../support/buyer-server.js';
import { SOURCE_KEY, auditRows, autoCampaign, buyerFor, journeyCounts, leadBody, startTestEngine, type IntakeReply, type TestEngine, writesCommitted } from './fixtures/engine-harness.js';

let harness: TestEngine | null = null;
let buyers: TestBuyer[] = [];

afterEach(async () => {
  await harness?.close();
  harness = null;
  await Promise.all(buyers.map((b) => b.close()));
  buyers = [];
});

/** Acme bids $30 and accepts; a second campaign exists that pub-1 may not send to. */
async function setup(opts: { rateLimitPerMinute?: number; postDelayMs?: number; metricsKey?: string } = {}) {
  const acme = await startBuyer({ bid: 30, postDelayMs: opts.postDelayMs });
  buyers.push(acme);
  const auto = autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]);
  const workspace: Workspace = {
    version: 1,
    campaigns: [auto, { ...autoCampaign([]), id: 'home-services', name: 'Home services', vertical: 'home' }],
    sources: [{ id: 'pub-1', name: 'Quotes Site', apiKey: SOURCE_KEY, campaigns: ['auto-insurance'], rateLimitPerMinute: opts.rateLimitPerMinute }],
    buyers: [buyerFor(acme, 'acme', { name: 'Acme Insurance', apiKey: 'buy_acme_key_123' })],
  };
  harness = await startTestEngine({ workspace, metricsKey: opts.metricsKey });
  return { h: harness, acme };
}


/** Asserts a refusal's status and body shape, and that it wrote nothing but (possibly) a `refused` audit event. */
async function expectRefusal(h: TestEngine, send: () => Promise<IntakeReply>, status: number, error: string) {
  await writesCommitted(h);
  const before = journeyCounts(h.db());
  const reply = await send();
  expect(reply.status).toBe(status);
  expect(reply.body.error).toBe(error);
  expect(typeof reply.body.message).toBe('string');
  expect((reply.body.message as string).length).toBeGreaterThan(0);
  await writesCommitted(h);
  expect(journeyCounts(h.db())).toEqual(before);
  return reply;
}

describe('lead intake over HTTP', () => {
  it('answers a sold lead with the source payout (70% of a $30 bid is $21)', async () => {
    const { h, acme } = await setup();
    const reply = await h.sendLead(leadBody());
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ lead_id: expect.any(String), status: 'sold', price: 21 });
    expect(acme.posts()).toHaveLength(1);
    const lead = h.db().prepare('SELECT status, price_cents, payout_cents, buyer_id FROM leads WHERE id = ?').get(reply.body.lead_id);
    expect(lead).toEqual({ status: 'sold', price_cents: 3000, payout_cents: 2100, buyer_id: 'acme' });
  });

  it('answers an unsold lead without a price', async () => {
    const { h, acme } = await setup();
    acme.setBehaviour({ decline: true });
    const reply = await h.sendLead(leadBody());
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ lead_id: expect.any(String), status: 'unsold' });
    expect(acme.posts()).toHaveLength(0);
  });

  it('refuses a lead without a key, with a wrong key, or with a buyer key (401)', async () => {
    const { h } = await setup();
    await expectRefusal(h, () => h.sendLead(leadBody(), null), 401, 'unauthorized');
    await expectRefusal(h, () => h.sendLead(leadBody(), 'src_not_a_real_key'), 401, 'unauthorized');
    await expectRefusal(h, () => h.sendLead(leadBody(), 'buy_acme_key_123'), 401, 'unauthorized');
  });

  it('refuses a campaign the source may not send to (403)', async () => {
    const { h } = await setup();
    await expectRefusal(h, () => h.sendLead(leadBody({ campaign: 'home-services' })), 403, 'forbidden');
  });

  it('refuses a body that is not JSON (415), too large (413) or malformed (400)', async () => {
    const { h } = await setup();
    await expectRefusal(h, () => h.post('/v1/leads', null, { contentType: 'text/plain', raw: JSON.stringify(leadBody()) }), 415, 'unsupported_media_type');
    const big = leadBody({ fields: { first_name: 'x'.repeat(70 * 1024) } });
    await expectRefusal(h, () => h.sendLead(big), 413, 'payload_too_large');
    await expectRefusal(h, () => h.post('/v1/leads', null, { raw: '{"campaign": "auto-insurance", "fields": {' }), 400, 'invalid_json');
  });

  it('lists every invalid field in one 422 answer', async () => {
    const { h } = await setup();
    const body = leadBody({ fields: { phone: '12', email: 'not-an-email', state: 'ZZ', age: 12 }, consent: { text: undefined } });
    const reply = await expectRefusal(h, () => h.sendLead(body), 422, 'validation_failed');
    const details = reply.body.details as Array<{ field: string; message: string }>;
    expect(details.map((d) => d.field).sort()).toEqual(['consent.text', 'fields.age', 'fields.email', 'fields.phone', 'fields.state']);
    for (const d of details) expect(d.message.length).toBeGreaterThan(0);
  });

  it('refuses the same phone again within the window (409), but a test lead is never a duplicate', async () => {
    const { h } = await setup();
    const first = leadBody();
    expect((await h.sendLead(first)).status).toBe(200);
    const samePhone = leadBody({ fields: { phone: first.fields.phone } });
    await expectRefusal(h, () => h.sendLead(samePhone), 409, 'duplicate');

    const asTest = await h.sendLead({ ...samePhone, test: true });
    expect(asTest.status).toBe(200);
    // A test lead leaves no fingerprint: a real lead with its phone is not a duplicate of it.
    const testOnly = leadBody({ test: true });
    expect((await h.sendLead(testOnly)).status).toBe(200);
    expect((await h.sendLead({ ...testOnly, test: false })).status).toBe(200);

    await vi.waitFor(() => expect(auditRows(h.db(), 'refused').map((r) => JSON.parse(r.data).code)).toEqual(['duplicate']));
  });

  it('accepts only one of two identical leads sent at the same moment', async () => {
    const { h, acme } = await setup();
    const body = leadBody();
    const replies = await Promise.all([h.sendLead(body), h.sendLead(body)]);
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(acme.pings()).toHaveLength(1);
    expect(journeyCounts(h.db()).leads).toBe(1);
  });

  it('refuses a suppressed phone (409) and audits the refusal without the phone itself', async () => {
    const { h, acme } = await setup();
    const body = leadBody();
    await h.call('suppression.add', { values: [body.fields.phone] });
    await expectRefusal(h, () => h.sendLead(body), 409, 'suppressed');
    expect(acme.requests).toHaveLength(0);
    await vi.waitFor(() => expect(auditRows(h.db(), 'refused')).toHaveLength(1));
    const [event] = auditRows(h.db(), 'refused');
    expect(JSON.parse(event.data).code).toBe('suppressed');
    expect(event.data).not.toContain(body.fields.phone);
    expect(event.data).not.toContain(body.fields.phone.slice(2));
  });

  it('answers 429 with Retry-After once a source is over its leads a minute', async () => {
    const { h } = await setup({ rateLimitPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await h.sendLead(leadBody())).status).toBe(200);
    const reply = await expectRefusal(h, () => h.sendLead(leadBody()), 429, 'rate_limited');
    expect(Number(reply.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('refuses new leads with 503 while closing, and still answers the auction in flight', async () => {
    const { h, acme } = await setup({ postDelayMs: 700 });
    const inFlight = h.sendLead(leadBody());
    await vi.waitFor(() => expect(acme.posts()).toHaveLength(1), { timeout: 5000, interval: 5 });
    const closing = h.engine.close();

    const late = await h.sendLead(leadBody());
    expect(late.status).toBe(503);
    expect(late.body.error).toBe('shutting_down');
    expect(typeof late.body.message).toBe('string');
    expect(Number(late.headers['retry-after'])).toBeGreaterThan(0);
    expect((await h.get('/healthz')).status).toBe(503);

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'sold', price: 21 });
    await closing;

    const db = h.db();
    expect(journeyCounts(db).leads).toBe(1);
    expect(db.prepare('SELECT status FROM leads').all()).toEqual([{ status: 'sold' }]);
    expect(db.prepare('SELECT status FROM auctions').all()).toEqual([{ status: 'sold' }]);
  });

  it('takes feedback only from the buyer that bought the lead', async () => {
    const { h } = await setup();
    const sold = await h.sendLead(leadBody());
    const report = { lead_id: sold.body.lead_id, event: 'converted' };
    expect((await h.post('/v1/feedback', report, { key: 'buy_acme_key_123' })).body).toEqual({ lead_id: sold.body.lead_id, event: 'converted', recorded: true });
    expect((await h.post('/v1/feedback', report, { key: SOURCE_KEY })).status).toBe(401);
    expect((await h.post('/v1/feedback', { ...report, event: 'loved' }, { key: 'buy_acme_key_123' })).body).toMatchObject({ error: 'validation_failed', details: [{ field: 'event' }] });
    const trail = (await h.call<{ trail: Array<{ type: string; actor: string }> }>('leads.get', { id: sold.body.lead_id })).trail;
    expect(trail.at(-1)).toMatchObject({ type: 'feedback', actor: 'buyer:acme' });
  });

  it('serves /healthz, and Prometheus counters on /metrics only to the metrics key', async () => {
    const { h } = await setup({ metricsKey: 'metrics-key-1' });
    const health = await h.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok' });

    await h.sendLead(leadBody());
    await h.sendLead(leadBody(), null);
    // Refusals made before any handler runs are counted too.
    await h.post('/v1/leads', null, { contentType: 'text/plain', raw: 'hello' });
    await h.post('/v1/leads', null, { raw: '{' });
    await h.sendLead(leadBody({ fields: { first_name: 'x'.repeat(70 * 1024) } }));
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-key-1' }, { authorization: `Bearer ${SOURCE_KEY}` }];
    for (const headers of attempts) {
      const refused = await h.get('/metrics', headers);
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ error: 'unauthorized', message: expect.any(String) });
    }
    const metrics = await h.get('/metrics', { authorization: 'Bearer metrics-key-1' });
    expect(metrics.status).toBe(200);
    expect(String(metrics.headers['content-type'])).toContain('text/plain');
    const text = metrics.body as string;
    expect(text).toMatch(/^pingdesk_leads_total\{campaign="auto-insurance",status="sold",test="false"\} 1$/m);
    expect(text).toMatch(/^pingdesk_intake_refused_total\{code="unauthorized"\} 1$/m);
    expect(text).toMatch(/^pingdesk_buyer_outcomes_total\{buyer="acme",kind="ping",outcome="BID"\} 1$/m);
    for (const code of ['unsupported_media_type', 'invalid_json', 'payload_too_large']) {
      expect(text).toMatch(new RegExp(`^pingdesk_intake_refused_total\\{code="${code}"\\} 1$`, 'm'));
    }
  });
});

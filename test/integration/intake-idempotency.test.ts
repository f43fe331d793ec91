import fs from 'node:fs';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { autoCampaign, buyerFor, journeyCounts, leadBody, makeDataDir, SOURCE_KEY, useTestRig, workspaceOf, type IntakeReply, type TestEngine } from './fixtures/engine-harness.js';

const rig = useTestRig();

/** `POST /v1/leads` with an Idempotency-Key (and the source key); `raw` sends a body text as is. */
async function sendWithKey(h: TestEngine, key: string, body: unknown, raw?: string): Promise<IntakeReply> {
  const agent = new Agent({ connections: 8 });
  try {
    const res = await request(`${h.intakeUrl}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SOURCE_KEY}`, 'idempotency-key': key },
      body: raw ?? JSON.stringify(body),
      dispatcher: agent,
    });
    return { status: res.statusCode, headers: res.headers, body: await res.body.json() };
  } finally {
    await agent.close();
  }
}

async function exchange(opts: { postDelayMs?: number; dir?: string } = {}) {
  const acme = await rig.buyer({ bid: 30, postDelayMs: opts.postDelayMs });
  const workspace = workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }]), [buyerFor(acme, 'acme')]);
  const h = await rig.engine({ workspace, dir: opts.dir });
  return { h, acme };
}

describe('Idempotency-Key on POST /v1/leads', () => {
  it('answers a retry with the same key and body with the first answer, and sells the lead once', async () => {
    const { h, acme } = await exchange();
    const body = leadBody();
    const first = await sendWithKey(h, 'order-1', body);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ lead_id: expect.any(String), status: 'sold', price: 21 });
    expect(first.headers['idempotent-replayed']).toBeUndefined();

    // The same JSON with its keys in another order and other spacing is the same request.
    const reordered = JSON.stringify({ consent: body.consent, fields: { ...body.fields }, campaign: body.campaign }, null, 2);
    for (const again of [await sendWithKey(h, 'order-1', body), await sendWithKey(h, 'order-1', null, reordered)]) {
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers['idempotent-replayed']).toBe('true');
    }
    expect(acme.posts()).toHaveLength(1);
    expect(journeyCounts(h.db())).toMatchObject({ leads: 1, auctions: 1, posts: 1 });
    const row = h.db().prepare('SELECT source_id, key, route, lead_id, status, answer_json, answered_at FROM idempotency_keys').get();
    expect(row).toEqual({ source_id: 'pub-1', key: 'order-1', route: 'leads', lead_id: first.body.lead_id, status: 200, answer_json: JSON.stringify(first.body), answered_at: expect.any(Number) });
  });

  it('refuses the same key with another body as a conflict, writing nothing', async () => {
    const { h, acme } = await exchange();
    await sendWithKey(h, 'order-2', leadBody());
    const before = journeyCounts(h.db());
    const other = await sendWithKey(h, 'order-2', leadBody());
    expect(other.status).toBe(409);
    expect(other.body).toEqual({ error: 'idempotency_conflict', message: expect.stringContaining('order-2') });
    expect(journeyCounts(h.db())).toEqual(before);
    expect(acme.posts()).toHaveLength(1);
  });

  it('refuses a key over 200 characters as a validation failure of the header', async () => {
    const { h, acme } = await exchange();
    const reply = await sendWithKey(h, 'k'.repeat(201), leadBody());
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ error: 'validation_failed', message: expect.any(String), details: [{ field: 'Idempotency-Key', message: expect.any(String) }] });
    expect(acme.pings()).toHaveLength(0);
    expect((await sendWithKey(h, 'k'.repeat(200), leadBody())).body.status).toBe('sold');
  });

  it('a retry sent while the first request is still in its auction waits for it and gets the same answer', async () => {
    const { h, acme } = await exchange({ postDelayMs: 600 });
    const body = leadBody();
    const first = sendWithKey(h, 'order-3', body);
    await new Promise((resolve) => setTimeout(resolve, 150));
    const retries = await Promise.all([sendWithKey(h, 'order-3', body), sendWithKey(h, 'order-3', body)]);
    const answered = await first;
    expect(answered.body).toMatchObject({ status: 'sold', price: 21 });
    for (const r of retries) expect(r.body).toEqual(answered.body);
    // A different body under a key in flight is a conflict at once, not a wait.
    const started = Date.now();
    const slowFirst = sendWithKey(h, 'order-4', leadBody());
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await sendWithKey(h, 'order-4', leadBody())).status).toBe(409);
    expect(Date.now() - started).toBeLessThan(600);
    await slowFirst;
    expect(acme.posts()).toHaveLength(2);
  });

  it('remembers nothing for a refused request, so the corrected lead may reuse its key', async () => {
    const { h } = await exchange();
    const bad = leadBody({ fields: { phone: 'not a phone' } });
    expect((await sendWithKey(h, 'order-5', bad)).status).toBe(422);
    expect(h.db().prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get()).toEqual({ n: 0 });
    expect((await sendWithKey(h, 'order-5', leadBody())).body.status).toBe('sold');
  });

  it('replays the stored answer after a restart on the same data folder', async () => {
    const dir = makeDataDir('pingdesk-idem-');
    try {
      const { h, acme } = await exchange({ dir });
      const body = leadBody();
      const first = await sendWithKey(h, 'order-6', body);
      await rig.closeEngines();
      const again = await rig.engine({ dir });
      const replay = await sendWithKey(again, 'order-6', body);
      expect(replay.status).toBe(200);
      expect(replay.body).toEqual(first.body);
      expect(acme.posts()).toHaveLength(1);
      // Without the key the same consumer is a duplicate, as before.
      expect((await again.sendLead(body)).status).toBe(409);
    } finally {
      await rig.closeEngines();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

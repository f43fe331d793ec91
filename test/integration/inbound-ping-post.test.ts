import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { SOURCE_KEY, auditRows, autoCampaign, buyerFor, leadBody, makeDataDir, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

const rig = useTestRig();
const PING_FIELDS = { state: 'TX', zip: '78701', age: 41, vehicle_year: 2019 };
const MONEY = { payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 1 } } as const;

function postBody(pingId: string, overrides: { fields?: Record<string, unknown> } = {}) {
  const lead = leadBody(overrides);
  return { ping_id: pingId, fields: lead.fields, consent: lead.consent };
}

async function ping(h: TestEngine, fields: Record<string, unknown> = PING_FIELDS, key: string | null = SOURCE_KEY) {
  return h.post('/v1/ping', { campaign: 'auto-insurance', fields }, { key });
}

describe('inbound ping/post over HTTP', () => {
  it('promises the payout on the best bid and sells at exactly that price, each buyer pinged once and posted with its own ping id and token', async () => {
    const acme = await rig.buyer({ bid: 30, token: 'acme-lock', postAccept: false });
    const bolt = await rig.buyer({ bid: 29, token: 'bolt-lock' });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme', 'bolt'] }], MONEY), [buyerFor(acme, 'acme'), buyerFor(bolt, 'bolt')]) });

    const pinged = await ping(h);
    expect(pinged.status).toBe(200);
    expect(pinged.body).toEqual({ ping_id: expect.stringMatching(/^pp_[0-9a-f]{24}_[0-9a-f]{32}$/), status: 'bid', price: 21, expires_at: expect.any(String) });
    const expires = Date.parse(pinged.body.expires_at) - Date.now();
    expect(expires).toBeGreaterThan(50_000);
    expect(expires).toBeLessThanOrEqual(60_000);
    expect(acme.pings()[0].body).toMatchObject({ ping_id: `${pinged.body.ping_id}.acme`, fields: PING_FIELDS });
    expect(acme.pings()[0].body.fields.phone).toBeUndefined();

    const sold = await h.post('/v1/post', postBody(pinged.body.ping_id));
    expect(sold.status).toBe(200);
    // acme rejects; bolt (29 − 21 ≥ 1) still pays the promise: the source gets exactly 21.
    expect(sold.body).toEqual({ lead_id: expect.any(String), status: 'sold', price: 21 });
    expect(acme.pings()).toHaveLength(1);
    expect(bolt.pings()).toHaveLength(1);
    expect(acme.posts().map((p) => [p.body.ping_id, p.body.token])).toEqual([[`${pinged.body.ping_id}.acme`, 'acme-lock']]);
    expect(bolt.posts().map((p) => [p.body.ping_id, p.body.token, p.body.price])).toEqual([[`${pinged.body.ping_id}.bolt`, 'bolt-lock', 29]]);
    const row = h.db().prepare('SELECT price_cents, payout_cents, margin_cents FROM auctions WHERE lead_id = ?').get(sold.body.lead_id);
    expect(row).toEqual({ price_cents: 2900, payout_cents: 2100, margin_cents: 800 });
    // The trail keeps the ping (no contact data) and the auction page shows the promise.
    const audit = auditRows(h.db(), 'inbound_ping');
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('+1512');
    const auctionId = (h.db().prepare('SELECT id FROM auctions WHERE lead_id = ?').get(sold.body.lead_id) as { id: string }).id;
    const page = await h.call<{ promise: unknown }>('auctions.get', { id: auctionId });
    expect(page.promise).toEqual({ pingId: pinged.body.ping_id, price: 21 });
    expect(await h.call('pings.inbound')).toEqual([expect.objectContaining({ pingId: pinged.body.ping_id, sourceId: 'pub-1', promised: 21, bestBid: 30, status: 'posted' })]);

    // The same ping again: used.
    const again = await h.post('/v1/post', postBody(pinged.body.ping_id));
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('ping_used');
  });

  it('stops the fallback where the next bid no longer pays the promise plus the margin', async () => {
    const acme = await rig.buyer({ bid: 30, postAccept: false });
    const cheap = await rig.buyer({ bid: 21.5 });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme', 'cheap'] }], MONEY), [buyerFor(acme, 'acme'), buyerFor(cheap, 'cheap')]) });
    const pinged = await ping(h);
    expect(pinged.body.price).toBe(21);
    const answer = await h.post('/v1/post', postBody(pinged.body.ping_id));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ lead_id: expect.any(String), status: 'unsold', reason: 'BELOW_PROMISE' });
    expect(acme.posts()).toHaveLength(1);
    expect(cheap.posts()).toHaveLength(0);
    expect(cheap.pings()).toHaveLength(1);
  });

  it('answers no_bid, refuses contact fields, forged, foreign, mismatched and expired pings', async () => {
    const acme = await rig.buyer((req) => ({ bid: req.body.fields?.state === 'CA' ? null : 25 }));
    const h = await rig.engine({
      workspace: {
        ...workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { ...MONEY, pingTtlSeconds: 1, pingConsentNames: true }), [buyerFor(acme, 'acme')]),
        sources: [
          { id: 'pub-1', name: 'Quotes Site', apiKey: SOURCE_KEY, campaigns: ['auto-insurance'] },
          { id: 'pub-2', name: 'Other Site', apiKey: 'src_test_key_2', campaigns: ['auto-insurance'] },
        ],
      },
    });
    expect((await ping(h, { ...PING_FIELDS, state: 'CA' })).body).toEqual({ status: 'no_bid' });
    const contact = await ping(h, { ...PING_FIELDS, phone: '+15125550142' });
    expect(contact.status).toBe(422);
    expect(contact.body.details).toEqual([{ field: 'fields.phone', message: expect.any(String) }]);
    expect(acme.pings()).toHaveLength(1);

    const pinged = await ping(h);
    expect(await h.call('pings.inbound')).toEqual([expect.objectContaining({ pingId: pinged.body.ping_id, status: 'promised' })]);
    expect(pinged.body).toMatchObject({ status: 'bid', price: 17.5, sellers: [expect.any(String)] });
    const id: string = pinged.body.ping_id;
    const forged = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
    expect((await h.post('/v1/post', postBody(forged))).status).toBe(404);
    expect((await h.post('/v1/post', postBody(forged))).body.error).toBe('unknown_ping');
    expect((await h.post('/v1/post', postBody(id), { key: 'src_test_key_2' })).status).toBe(403);
    const mismatch = await h.post('/v1/post', postBody(id, { fields: { zip: '78702' } }));
    expect(mismatch.status).toBe(422);
    expect(mismatch.body).toMatchObject({ error: 'ping_mismatch', details: [{ field: 'fields.zip', message: expect.any(String) }] });
    // Refusals give the ping back; past its TTL it is expired.
    await new Promise((r) => setTimeout(r, 1100));
    const expired = await h.post('/v1/post', postBody(id));
    expect(expired.status).toBe(410);
    expect(expired.body.error).toBe('ping_expired');
    expect(await h.call('pings.inbound')).toEqual([expect.objectContaining({ pingId: id, status: 'expired' })]);
    expect(acme.posts()).toHaveLength(0);
  });

  it('sells a ping once when it is posted twice at once', async () => {
    const acme = await rig.buyer({ bid: 25, postDelayMs: 100 });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], MONEY), [buyerFor(acme, 'acme')]) });
    const pinged = await ping(h);
    const [a, b] = await Promise.all([h.post('/v1/post', postBody(pinged.body.ping_id)), h.post('/v1/post', postBody(pinged.body.ping_id))]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect([a.body.status ?? a.body.error, b.body.status ?? b.body.error].sort()).toEqual(['ping_used', 'sold']);
    expect(acme.posts()).toHaveLength(1);
    expect(acme.pings()).toHaveLength(1);
  });

  it('keeps the sold post and the ping in the store across a restart, and forgets held pings', async () => {
    const acme = await rig.buyer({ bid: 25 });
    const dir = makeDataDir();
    try {
      const first = await rig.engine({ dir, workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], MONEY), [buyerFor(acme, 'acme')]) });
      const sold = await first.post('/v1/post', postBody((await ping(first)).body.ping_id));
      expect(sold.body).toMatchObject({ status: 'sold', price: 17.5 });
      const held = (await ping(first)).body.ping_id as string;
      await rig.closeEngines();

      const second = await rig.engine({ dir });
      const row = second.db().prepare('SELECT status, price_cents, payout_cents FROM auctions WHERE lead_id = ?').get(sold.body.lead_id);
      expect(row).toEqual({ status: 'sold', price_cents: 2500, payout_cents: 1750 });
      expect(auditRows(second.db(), 'inbound_ping').length).toBe(3);
      // The held bids and the signing secret lived in the first process: the old id is unknown now.
      const after = await second.post('/v1/post', postBody(held));
      expect(after.status).toBe(404);
      expect(after.body.error).toBe('unknown_ping');
      expect(acme.posts()).toHaveLength(1);
      await rig.closeEngines();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays a post retried with the same Idempotency-Key and keeps duplicates refused', async () => {
    const acme = await rig.buyer({ bid: 25 });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], MONEY), [buyerFor(acme, 'acme')]) });
    const pinged = await ping(h);
    const body = postBody(pinged.body.ping_id);
    const send = async () => {
      const res = await fetch(`${h.intakeUrl}/v1/post`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${SOURCE_KEY}`, 'idempotency-key': 'k-1' }, body: JSON.stringify(body) });
      return { status: res.status, replayed: res.headers.get('idempotent-replayed'), body: (await res.json()) as Record<string, unknown> };
    };
    const first = await send();
    expect(first.body).toMatchObject({ status: 'sold', price: 17.5 });
    const retry = await send();
    expect(retry).toEqual({ status: 200, replayed: 'true', body: first.body });
    const second = await ping(h);
    const dup = await h.post('/v1/post', { ...body, ping_id: second.body.ping_id });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toBe('duplicate');
    expect(acme.posts()).toHaveLength(1);
  });

  it('holds a small cap when 50 posts of pings arrive at once', async () => {
    const capped = await rig.buyer({ bid: 25 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['capped'] }], MONEY), [buyerFor(capped, 'capped', { caps: { hourly: 5 } })], { rateLimitPerMinute: 1000 }),
    });
    const pings = await Promise.all(Array.from({ length: 50 }, () => ping(h)));
    expect(pings.every((p) => p.body.status === 'bid')).toBe(true);
    const posts = await Promise.all(pings.map((p) => h.post('/v1/post', postBody(p.body.ping_id))));
    expect(posts.every((p) => p.status === 200)).toBe(true);
    expect(posts.filter((p) => p.body.status === 'sold')).toHaveLength(5);
    expect(posts.filter((p) => p.body.status === 'unsold').every((p) => p.body.reason === 'NO_VALID_BID')).toBe(true);
    expect(capped.posts()).toHaveLength(5);
    expect(capped.pings()).toHaveLength(50);
  });
});

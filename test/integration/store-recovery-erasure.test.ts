import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { makeAuction, makeLead, makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string;
let store: Store;

beforeEach(() => {
  dir = makeTempDir();
  store = Store.open({ dataDir: dir, now: () => T0 + 5000 });
});
afterEach(() => {
  store.close();
  removeDir(dir);
});

describe('recovery after a kill', () => {
  it('closes open auctions and leads in limbo with a reason and an audit event each', async () => {
    store.insertLead(makeLead('in-auction', { status: 'auctioning' }));
    store.insertAuction(makeAuction('auc-1', 'in-auction'));
    store.insertLead(makeLead('just-received'));
    store.insertLead(makeLead('sold', { status: 'sold' }));
    store.insertAuction(makeAuction('auc-2', 'sold', { status: 'sold' }));
    await store.flush();
    store.close();

    store = Store.open({ dataDir: dir, now: () => T0 + 5000 });
    const closed = store.closeInterruptedAuctions(T0 + 9000);
    expect(closed).toEqual([
      { auctionId: 'auc-1', leadId: 'in-auction', outcome: 'released' },
      { auctionId: null, leadId: 'just-received', outcome: 'released' },
    ]);
    // Committed before returning: another connection sees it at once.
    const raw = new Database(databasePath(dir), { readonly: true });
    expect(raw.prepare("SELECT status, reason, ended_at FROM auctions WHERE id = 'auc-1'").get()).toEqual({ status: 'interrupted', reason: 'INTERRUPTED', ended_at: T0 + 9000 });
    expect(raw.prepare("SELECT status FROM auctions WHERE id = 'auc-2'").get()).toEqual({ status: 'sold' });
    raw.close();
    expect(store.getLead('in-auction')?.status).toBe('interrupted');
    expect(store.getLead('just-received')?.status).toBe('interrupted');
    expect(store.getLead('sold')?.status).toBe('sold');
    const events = store.auditForLead('in-auction');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'interrupted', actor: 'system', at: T0 + 9000, data: { auctionId: 'auc-1', reason: 'INTERRUPTED', outcome: 'released' } });
    expect(store.verifyAudit()).toMatchObject({ ok: true, count: 2 });
    expect(store.closeInterruptedAuctions(T0 + 10_000)).toEqual([]);
  });
});

describe('recovery of leads a kill cut short, by what their buyers may have seen', () => {
  it('releases a lead no buyer saw, marks one with a committed winner event unconfirmed, and answers cut-off keys', async () => {
    const hashesOf = (n: string) => ({ phone: store.hashContact(`+1512555${n}`), email: store.hashContact(`lead${n}@example.com`) });
    const pinged = hashesOf('0001');
    const posting = hashesOf('0002');
    store.insertLead(makeLead('pinged', { status: 'auctioning', phoneHash: pinged.phone, emailHash: pinged.email }));
    store.insertFingerprints('auto-insurance', 'pinged', T0, pinged);
    store.insertIdempotencyKey({ sourceId: 'pub-1', key: 'k-pinged', route: 'leads', bodyHash: 'h1', leadId: 'pinged', createdAt: T0 });
    store.insertAuction(makeAuction('auc-pinged', 'pinged'));
    store.appendAudit({ leadId: 'pinged', type: 'ping', actor: 'engine', data: { auctionId: 'auc-pinged', tier: 0, sentHash: 'f'.repeat(64), pings: [{ buyerId: 'acme', outcome: 'BID', bid: 30, latencyMs: 12, reason: null }] } });

    store.insertLead(makeLead('posting', { status: 'auctioning', phoneHash: posting.phone, emailHash: posting.email }));
    store.insertFingerprints('auto-insurance', 'posting', T0, posting);
    store.insertIdempotencyKey({ sourceId: 'pub-1', key: 'k-posting', route: 'leads', bodyHash: 'h2', leadId: 'posting', createdAt: T0 });
    store.insertAuction(makeAuction('auc-posting', 'posting'));
    store.appendAudit({ leadId: 'posting', type: 'winner', actor: 'engine', data: { auctionId: 'auc-posting', buyerId: 'bolt', attempt: 1 } });

    // Sold and committed, but killed before its answer was stored.
    store.insertLead(makeLead('sold', { status: 'sold', priceCents: 3000, payoutCents: 2100, buyerId: 'acme' }));
    store.insertIdempotencyKey({ sourceId: 'pub-1', key: 'k-sold', route: 'leads', bodyHash: 'h3', leadId: 'sold', createdAt: T0 });
    await store.flush();
    store.close();

    store = Store.open({ dataDir: dir, now: () => T0 + 5000 });
    expect(store.closeInterruptedAuctions(T0 + 9000)).toEqual([
      { auctionId: 'auc-pinged', leadId: 'pinged', outcome: 'released' },
      { auctionId: 'auc-posting', leadId: 'posting', outcome: 'unconfirmed' },
    ]);
    const raw = new Database(databasePath(dir), { readonly: true });
    const auction = raw.prepare('SELECT status, reason FROM auctions WHERE id = ?');
    expect(auction.get('auc-pinged')).toEqual({ status: 'interrupted', reason: 'INTERRUPTED' });
    expect(auction.get('auc-posting')).toEqual({ status: 'unconfirmed', reason: 'INTERRUPTED_AFTER_POST' });
    expect(raw.prepare('SELECT lead_id, COUNT(*) AS n FROM fingerprints GROUP BY lead_id').all()).toEqual([{ lead_id: 'posting', n: 2 }]);
    raw.close();
    expect(store.getLead('pinged')?.status).toBe('interrupted');
    expect(store.getLead('posting')?.status).toBe('unconfirmed');
    expect(store.auditForLead('pinged').at(-1)).toMatchObject({ type: 'interrupted', data: { auctionId: 'auc-pinged', reason: 'INTERRUPTED', outcome: 'released' } });
    expect(store.auditForLead('posting').at(-1)).toMatchObject({ type: 'interrupted', data: { auctionId: 'auc-posting', reason: 'INTERRUPTED_AFTER_POST', outcome: 'unconfirmed', buyerId: 'bolt' } });

    // The released lead is no duplicate of its retry; the unconfirmed one still is.
    expect(store.findDuplicate('auto-insurance', pinged, 0)).toBeNull();
    expect(store.findDuplicate('auto-insurance', posting, 0)).toBe('posting');
    expect(store.findIdempotencyKey('pub-1', 'k-pinged', 0)).toBeNull();
    expect(store.findIdempotencyKey('pub-1', 'k-posting', 0)?.answer).toEqual({ status: 200, body: { lead_id: 'posting', status: 'unsold', reason: 'unconfirmed' } });
    expect(store.findIdempotencyKey('pub-1', 'k-sold', 0)?.answer).toEqual({ status: 200, body: { lead_id: 'sold', status: 'sold', price: 21 } });
    expect(store.verifyAudit()).toMatchObject({ ok: true });
    expect(store.closeInterruptedAuctions(T0 + 10_000)).toEqual([]);
  });

  it('forgets idempotency keys past their time to live', async () => {
    store.insertIdempotencyKey({ sourceId: 'pub-1', key: 'old', route: 'leads', bodyHash: 'h', leadId: 'l1', createdAt: T0 - 31 * 86_400_000 });
    store.insertIdempotencyKey({ sourceId: 'pub-1', key: 'new', route: 'leads', bodyHash: 'h', leadId: 'l2', createdAt: T0 });
    await store.flush();
    const since = T0 - 30 * 86_400_000;
    expect(store.findIdempotencyKey('pub-1', 'old', since)).toBeNull();
    expect(store.findIdempotencyKey('pub-1', 'new', since)?.leadId).toBe('l2');
    expect(store.findIdempotencyKey('pub-2', 'new', since)).toBeNull();
    expect(store.pruneIdempotencyKeys(since)).toBe(1);
    expect(store.findIdempotencyKey('pub-1', 'old', 0)).toBeNull();
  });
});

describe('erasure', () => {
  it('blanks contact data, drops its fingerprints and keeps the chain valid', async () => {
    const phoneHash = store.hashContact('+15125550142');
    const emailHash = store.hashContact('ana@example.com');
    store.insertLead(makeLead('lead-1', { phoneHash, emailHash, status: 'sold', priceCents: 2500, buyerId: 'acme' }));
    store.insertFingerprints('auto-insurance', 'lead-1', T0, { phone: phoneHash, email: emailHash });
    store.appendAudit({ leadId: 'lead-1', type: 'received', actor: 'intake', data: { phoneHash } });
    store.appendAudit({ leadId: 'lead-1', type: 'sold', actor: 'engine', data: { buyerId: 'acme' } });

    const result = store.eraseLeads(['lead-1'], { actor: 'compliance@broker', by: 'lead' });
    expect(result).toEqual({
      erasedAt: T0 + 5000,
      leads: [{ leadId: 'lead-1', fields: ['email', 'first_name', 'last_name', 'phone'], consent: ['ip', 'trustedform_cert_url'] }],
      suppressed: 0,
      checkpointed: true,
    });

    const lead = store.getLead('lead-1');
    expect(lead?.fields).toMatchObject({ first_name: null, last_name: null, phone: null, email: null, state: 'TX', age: 41 });
    expect(lead?.consent.ip).toBeUndefined();
    expect(lead?.consent.text).toContain('Acme Insurance');
    expect(lead).toMatchObject({ phoneHash: null, emailHash: null, erasedAt: T0 + 5000, priceCents: 2500, buyerId: 'acme' });
    expect(store.findLeads({ phoneHash, limit: 10 })).toEqual([]);
    expect(store.findDuplicate('auto-insurance', { phone: phoneHash, email: emailHash }, 0)).toBeNull();

    const raw = new Database(databasePath(dir), { readonly: true });
    const row = raw.prepare("SELECT fields_json, consent_json FROM leads WHERE id = 'lead-1'").get() as { fields_json: string; consent_json: string };
    raw.close();
    expect(row.fields_json).not.toContain('5550142');
    expect(row.fields_json).not.toContain('Diaz');
    expect(row.consent_json).not.toContain('203.0.113.7');

    expect(store.auditForLead('lead-1').map((e) => e.type)).toEqual(['received', 'sold', 'erased']);
    expect(store.auditForLead('lead-1')[2]).toMatchObject({ actor: 'compliance@broker', data: { fields: ['email', 'first_name', 'last_name', 'phone'], keyDestroyed: true, by: 'lead', leads: 1 } });
    expect(store.verifyAudit()).toEqual({ ok: true, count: 3, lastSeq: 3 });
  });

  it('refuses an unknown lead', () => {
    expect(() => store.eraseLeads(['nope'], { actor: 'x', by: 'lead' })).toThrow(/No lead/);
  });
});

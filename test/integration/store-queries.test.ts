import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { makeAuction, makeLead, makePing, makePost, makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string;
let store: Store;
const MIN = 60_000;

beforeEach(() => {
  dir = makeTempDir();
  store = Store.open({ dataDir: dir, now: () => T0 });
});
afterEach(() => {
  store.close();
  removeDir(dir);
});

/** Three leads: sold to acme (bolt also bid), unsold (acme timed out), a sold test lead. */
async function seed(): Promise<void> {
  const phoneHash = store.hashContact('+15125550142');
  store.insertLead(makeLead('l1', { receivedAt: T0, status: 'sold', priceCents: 3000, payoutCents: 2100, buyerId: 'acme', phoneHash }));
  store.insertAuction(makeAuction('a1', 'l1', { startedAt: T0, status: 'sold', winnerBuyerId: 'acme', priceCents: 3000, latencyMs: 100 }));
  store.insertPing(makePing('a1', 'l1', 'acme', { bidCents: 3000, latencyMs: 50 }));
  store.insertPing(makePing('a1', 'l1', 'bolt', { bidCents: 2000, latencyMs: 70 }));
  store.insertPost(makePost('a1', 'l1', 'acme', { priceCents: 3000 }));

  store.insertLead(makeLead('l2', { receivedAt: T0 + MIN, sourceId: 'pub-2', status: 'unsold' }));
  store.insertAuction(makeAuction('a2', 'l2', { startedAt: T0 + MIN, sourceId: 'pub-2', status: 'unsold', latencyMs: 300 }));
  store.insertPing(makePing('a2', 'l2', 'acme', { sentAt: T0 + MIN, outcome: 'TIMEOUT', bidCents: null, latencyMs: 300 }));
  store.insertPing(makePing('a2', 'l2', 'bolt', { sentAt: T0 + MIN, outcome: 'UNREACHABLE', bidCents: null, latencyMs: 5 }));

  store.insertLead(makeLead('l3', { receivedAt: T0 + 2 * MIN, test: true, status: 'sold', priceCents: 500, payoutCents: 100 }));
  store.insertAuction(makeAuction('a3', 'l3', { startedAt: T0 + 2 * MIN, test: true, status: 'sold', winnerBuyerId: 'cheap', latencyMs: 10 }));
  store.insertFeedback({ leadId: 'l1', buyerId: 'acme', event: 'converted', reason: null, at: T0 + 10 * MIN });
  store.insertFeedback({ leadId: 'l1', buyerId: 'acme', event: 'converted', reason: null, at: T0 + 11 * MIN });
  store.appendAudit({ leadId: 'l1', type: 'received', actor: 'intake', data: {} });
  store.appendAudit({ leadId: 'l2', type: 'received', actor: 'intake', data: {} });
  store.appendAudit({ leadId: 'l1', type: 'sold', actor: 'engine', data: {} });
  store.updateLead('l2', { status: 'unsold' });
  await store.flush();
}

describe('store queries', () => {
  it('finds leads by id, phone or email hash, and their audit events', async () => {
    await seed();
    expect(store.getLead('l1')?.priceCents).toBe(3000);
    expect(store.getLead('nope')).toBeNull();
    expect(store.findLeads({ phoneHash: store.hashContact('+15125550142'), limit: 10 }).map((l) => l.id)).toEqual(['l1']);
    expect(store.findLeads({ leadId: 'l2', emailHash: 'none', limit: 10 }).map((l) => l.id)).toEqual(['l2']);
    expect(store.findLeads({ limit: 10 })).toEqual([]);
    expect(store.auditForLead('l1').map((e) => e.type)).toEqual(['received', 'sold']);
    expect(store.listAudit({ limit: 2 }).map((e) => e.seq)).toEqual([1, 2]);
    expect(store.listAudit({ fromSeq: 3, limit: 2, order: 'desc' }).map((e) => e.seq)).toEqual([3, 2]);
    expect(store.listAudit({ limit: 10, type: 'sold' }).map((e) => e.leadId)).toEqual(['l1']);
  });

  it('lists auctions newest first with filters and a keyset cursor', async () => {
    await seed();
    const first = store.listAuctions({ limit: 2 });
    expect(first.rows.map((a) => a.id)).toEqual(['a3', 'a2']);
    expect(first.nextCursor).not.toBeNull();
    const second = store.listAuctions({ limit: 2, before: first.nextCursor ?? undefined });
    expect(second.rows.map((a) => a.id)).toEqual(['a1']);
    expect(second.nextCursor).toBeNull();
    expect(store.listAuctions({ limit: 10, buyerId: 'bolt' }).rows.map((a) => a.id)).toEqual(['a2', 'a1']);
    expect(store.listAuctions({ limit: 10, buyerId: 'cheap' }).rows.map((a) => a.id)).toEqual(['a3']);
    expect(store.listAuctions({ limit: 10, status: 'sold', from: T0, to: T0 + 2 * MIN }).rows.map((a) => a.id)).toEqual(['a1']);
    expect(() => store.listAuctions({ limit: 1, before: 'garbage' })).toThrow(/cursor/);
  });

  it('returns an auction with its pings and posts', async () => {
    await seed();
    const detail = store.getAuction('a1');
    expect(detail?.auction).toMatchObject({ id: 'a1', winnerBuyerId: 'acme', test: false });
    expect(detail?.pings.map((p) => [p.buyerId, p.bidCents])).toEqual([['acme', 3000], ['bolt', 2000]]);
    expect(detail?.posts).toEqual([makePost('a1', 'l1', 'acme', { priceCents: 3000 })]);
    expect(store.getAuction('none')).toBeNull();
    expect(store.auctionsForLead('l2').map((a) => a.id)).toEqual(['a2']);
  });

  it('summarises a period, leaving test leads out unless asked', async () => {
    await seed();
    expect(store.overview({ from: T0, to: T0 + 60 * MIN })).toEqual({
      leads: 2, sold: 1, unsold: 1, interrupted: 0, revenueCents: 3000, payoutCents: 2100, marginCents: 900, p50LatencyMs: 100, p99LatencyMs: 300,
    });
    expect(store.overview({ from: T0, to: T0 + 60 * MIN, includeTest: true })).toMatchObject({ leads: 3, sold: 2, revenueCents: 3500, p50LatencyMs: 100 });
    expect(store.overview({ from: 0, to: 1 })).toMatchObject({ leads: 0, revenueCents: 0, p50LatencyMs: null });
  });

  it('reports per buyer and per source', async () => {
    await seed();
    const buyers = store.buyerStats({ from: T0, to: T0 + 60 * MIN });
    expect(buyers.map((b) => b.buyerId)).toEqual(['acme', 'bolt', 'cheap']);
    expect(buyers[0]).toEqual({
      buyerId: 'acme', pings: 2, bids: 1, wins: 1, posts: 1, accepted: 1, timeouts: 1, errors: 0, avgBidCents: 3000, avgLatencyMs: 175, revenueCents: 3000,
    });
    expect(buyers[1]).toMatchObject({ pings: 2, bids: 1, errors: 1, wins: 0, posts: 0 });
    expect(store.buyerStats({ from: T0 + 5 * MIN, to: T0 + 6 * MIN })).toEqual([]);
    expect(store.sourceStats({ from: T0, to: T0 + 60 * MIN })).toEqual([
      { sourceId: 'pub-1', leads: 1, sold: 1, revenueCents: 3000, payoutCents: 2100 },
      { sourceId: 'pub-2', leads: 1, sold: 0, revenueCents: 0, payoutCents: 0 },
    ]);
  });

  it('buckets a timeseries, empty buckets included, with a bounded bucket count', async () => {
    await seed();
    const points = store.timeseries({ from: T0, to: T0 + 3 * MIN, bucketMs: MIN });
    expect(points).toEqual([
      { t: T0, leads: 1, sold: 1, revenueCents: 3000, marginCents: 900, p50LatencyMs: 100, p99LatencyMs: 100 },
      { t: T0 + MIN, leads: 1, sold: 0, revenueCents: 0, marginCents: 0, p50LatencyMs: 300, p99LatencyMs: 300 },
      { t: T0 + 2 * MIN, leads: 0, sold: 0, revenueCents: 0, marginCents: 0, p50LatencyMs: null, p99LatencyMs: null },
    ]);
    expect(store.timeseries({ from: T0, to: T0 + 7 * 86_400_000, bucketMs: 1000 }).length).toBeLessThanOrEqual(500);
  });

  it('reports buyer feedback and conversion rates', async () => {
    await seed();
    expect(store.recentFeedback('acme', T0).map((f) => f.at)).toEqual([T0 + 11 * MIN, T0 + 10 * MIN]);
    expect(store.feedbackStats(undefined, T0)).toEqual([
      { buyerId: 'acme', delivered: 1, converted: 1, returned: 0, contacted: 0, conversionRate: 1, returnRate: 0 },
    ]);
    expect(store.feedbackStats('bolt', T0)).toEqual([]);
  });

  it('updates only the patched columns of an auction and a lead', async () => {
    await seed();
    store.updateAuction('a2', { status: 'sold', winnerBuyerId: 'bolt', priceCents: 1500, reason: null });
    store.updateLead('l2', { status: 'sold', buyerId: 'bolt', priceCents: 1500, payoutCents: undefined });
    await store.flush();
    expect(store.getAuction('a2')?.auction).toMatchObject({ status: 'sold', winnerBuyerId: 'bolt', priceCents: 1500, latencyMs: 300, sourceId: 'pub-2' });
    expect(store.getLead('l2')).toMatchObject({ status: 'sold', buyerId: 'bolt', priceCents: 1500, payoutCents: null, sourceId: 'pub-2' });
  });

  it('keeps cap usage as absolute totals per window', async () => {
    store.upsertCapUsage({ buyerId: 'acme', window: 'hour', windowStart: T0, count: 1, spendCents: 2500 });
    store.upsertCapUsage({ buyerId: 'acme', window: 'hour', windowStart: T0, count: 2, spendCents: 5000 });
    store.upsertCapUsage({ buyerId: 'acme', window: 'day', windowStart: T0 - 86_400_000, count: 9, spendCents: 100 });
    await store.flush();
    expect(store.loadCapUsage(T0)).toEqual([{ buyerId: 'acme', window: 'hour', windowStart: T0, count: 2, spendCents: 5000 }]);
  });
});

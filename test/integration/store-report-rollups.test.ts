import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { databasePath, Store } from '../../src/engine/store/index.js';
import { coverRange, ReportRepo, splitRange, type BuyerStats } from '../../src/engine/store/report-repo.js';
import { CATCH_UP_MAX_ROWS, catchUpRollups, rollupTailRows } from '../../src/engine/store/rollup-catch-up.js';
import { allRows, getRow, type ReadSteps } from '../../src/engine/store/read-steps.js';
import { ReadThread } from '../../src/engine/store/read-thread.js';
import type { WalCheckpointer } from '../../src/engine/store/wal-checkpointer.js';
import { autoCampaign, buyerFor, leadBody, makeDataDir, startTestEngine, useTestRig, workspaceOf } from './fixtures/engine-harness.js';
import { mainThreadStatements } from './fixtures/statement-spy.js';
import { makeAuction, makeLead, makePing, makePost, makeTempDir, removeDir } from './fixtures/store-records.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** An hour boundary, so ranges can be cut on and off the rollups' grain. */
const H0 = Date.UTC(2026, 10, 20, 0, 0, 0);

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => removeDir(d)));

/** Average latencies are sums over a different grouping: equal up to float rounding. */
function expectSameBuyers(rolled: BuyerStats[], scanned: BuyerStats[]): void {
  const exact = (rows: BuyerStats[]) => rows.map((b) => ({ ...b, avgLatencyMs: b.avgLatencyMs === null ? null : 'n' }));
  expect(exact(rolled)).toEqual(exact(scanned));
  rolled.forEach((b, i) => {
    if (b.avgLatencyMs !== null) expect(b.avgLatencyMs).toBeCloseTo(scanned[i].avgLatencyMs as number, 6);
  });
}

/** Every report, read from the rollups and scanned from the rows, for one range. */
function expectRollupsEqualScan(db: Database.Database, from: number, to: number): void {
  const rolled = new ReportRepo(db);
  const scanned = new ReportRepo(db, { rollups: false });
  for (const includeTest of [false, true]) {
    expect(rolled.overview({ from, to, includeTest }), `overview ${from}..${to}`).toEqual(scanned.overview({ from, to, includeTest }));
    expect(rolled.sourceStats({ from, to, includeTest })).toEqual(scanned.sourceStats({ from, to, includeTest }));
    for (const bucketMs of [HOUR, 2 * HOUR, 6 * HOUR, 15 * MIN]) {
      expect(rolled.timeseries({ from, to, bucketMs, includeTest }), `series ${bucketMs}`).toEqual(scanned.timeseries({ from, to, bucketMs, includeTest }));
    }
  }
  expectSameBuyers(rolled.buyerStats({ from, to }), scanned.buyerStats({ from, to }));
}

const RANGES: Array<[number, number]> = [
  [H0, H0 + 6 * HOUR], // whole hours only
  [H0 - 17 * MIN, H0 + 5 * HOUR + 23 * MIN], // ragged at both ends
  [H0 + 2 * HOUR + 5 * MIN, H0 + 2 * HOUR + 50 * MIN], // inside one hour
  [H0 + HOUR, H0 + 3 * HOUR + 1], // whole hours and one millisecond
  [0, H0 + 30 * 24 * HOUR],
  [H0 - 6 * HOUR, H0 + 12 * HOUR + 7 * MIN], // six-hour grains, hours and an end
];

const BUYERS = ['acme', 'bolt', 'cheap'];
const OUTCOMES = ['BID', 'BID', 'NO_BID', 'TIMEOUT', 'UNREACHABLE', 'HTTP_ERROR', 'BELOW_FLOOR'] as const;

/** Leads every 7 minutes over 6 hours: sold, unsold, interrupted, test, two sources, varied pings and posts. */
async function writeJourneys(store: Store, prefix: string, start: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const at = start + i * 7 * MIN + (i % 5) * 1000;
    const id = `${prefix}${i}`;
    const test = i % 11 === 0;
    const sourceId = i % 3 === 0 ? 'pub-2' : 'pub-1';
    store.insertLead(makeLead(id, { receivedAt: at, sourceId, test }));
    store.insertAuction(makeAuction(`a-${id}`, id, { startedAt: at, sourceId, test }));
    store.updateLead(id, { status: 'auctioning' });
    BUYERS.forEach((buyerId, k) => {
      const outcome = OUTCOMES[(i + k) % OUTCOMES.length];
      const bid = outcome === 'BID' || outcome === 'BELOW_FLOOR';
      store.insertPing(makePing(`a-${id}`, id, buyerId, {
        sentAt: at + 2, outcome, bidCents: bid ? 1000 + ((i * 37 + k * 11) % 4000) : null, latencyMs: outcome === 'UNREACHABLE' ? null : 0.37 * ((i * 13 + k) % 300),
        reason: outcome === 'BID' ? null : `${outcome.toLowerCase()} for ${id}`,
      }));
    });
    const latencyMs = [0.42, 3.17, 57.35, 99.96, 100.4, 640.5, 1234.5][i % 7];
    if (i % 4 === 3) {
      store.updateAuction(`a-${id}`, { status: 'unsold', latencyMs, endedAt: at + 5 });
      store.updateLead(id, { status: 'unsold' });
    } else if (i % 9 === 4) {
      // Left in limbo: recovery closes it later.
    } else {
      const buyerId = BUYERS[i % 3];
      const priceCents = 2000 + (i % 17) * 100;
      const outcome = i % 13 === 5 ? 'SETTLED_SOLD' : i % 13 === 6 ? 'LATE_ACCEPTED' : 'ACCEPTED';
      store.insertPost(makePost(`a-${id}`, id, buyerId, { sentAt: at + 3, priceCents, outcome }));
      store.updateAuction(`a-${id}`, { status: 'sold', winnerBuyerId: buyerId, priceCents, latencyMs, endedAt: at + 5 });
      store.updateLead(id, { status: 'sold', priceCents, payoutCents: priceCents - 700, buyerId });
    }
  }
  await store.flush();
}

describe('report rollups', () => {
  it('cuts a range into whole hours and ragged ends', () => {
    expect(splitRange(H0, H0 + 2 * HOUR)).toEqual({ hours: { lo: H0, hi: H0 + 2 * HOUR }, ends: [] });
    expect(splitRange(H0 - MIN, H0 + HOUR + MIN)).toEqual({ hours: { lo: H0, hi: H0 + HOUR }, ends: [{ lo: H0 - MIN, hi: H0 }, { lo: H0 + HOUR, hi: H0 + HOUR + MIN }] });
    expect(splitRange(H0 + MIN, H0 + 2 * MIN)).toEqual({ hours: null, ends: [{ lo: H0 + MIN, hi: H0 + 2 * MIN }] });
    expect(splitRange(H0, H0)).toEqual({ hours: null, ends: [] });
  });

  it('cover a range with the coarsest whole grains', () => {
    const SIX = 6 * HOUR;
    expect(coverRange(H0 - MIN, H0 + SIX + HOUR + MIN, [SIX, HOUR])).toEqual([
      { grain: null, lo: H0 - MIN, hi: H0 }, { grain: SIX, lo: H0, hi: H0 + SIX }, { grain: HOUR, lo: H0 + SIX, hi: H0 + SIX + HOUR }, { grain: null, lo: H0 + SIX + HOUR, hi: H0 + SIX + HOUR + MIN },
    ]);
    expect(coverRange(H0 + MIN, H0 + 2 * MIN, [SIX, HOUR])).toEqual([{ grain: null, lo: H0 + MIN, hi: H0 + 2 * MIN }]);
  });

  it('give the same figures as scanning the rows, after updates, recovery and a restart', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    let store = Store.open({ dataDir: dir, now: () => H0 });
    await writeJourneys(store, 'l', H0 - 30 * MIN, 55);
    const check = () => {
      const db = new Database(databasePath(dir), { readonly: true });
      try {
        for (const [from, to] of RANGES) expectRollupsEqualScan(db, from, to);
        // Not a vacuous comparison: the rollups hold what was written.
        const o = new ReportRepo(db).overview({ from: 0, to: H0 + 30 * 24 * HOUR, includeTest: true });
        return o;
      } finally {
        db.close();
      }
    };
    const first = check();
    // No catch-up has run: every ping and post is past the watermark, and the reports read them there.
    const db = new Database(databasePath(dir), { readonly: true });
    expect(rollupTailRows(db)).toEqual({ pings: 55 * 3, posts: expect.any(Number) });
    expect(rollupTailRows(db).posts).toBeGreaterThan(20);
    db.close();
    expect(first.leads).toBe(55);
    expect(first.sold).toBeGreaterThan(10);
    // 1234.5 ms falls in the 100 ms bin of 1200 ms.
    expect(first.p99LatencyMs).toBe(1200);
    store.close();

    // A restart: recovery closes the leads left in limbo, and more leads arrive.
    store = Store.open({ dataDir: dir, now: () => H0 + 7 * HOUR });
    await writeJourneys(store, 'm', H0 + 2 * HOUR + 11 * MIN, 30);
    store.close();
    const second = check();
    expect(second.leads).toBe(85);
    expect(second.interrupted + second.unsold + second.sold).toBeGreaterThan(first.sold + first.unsold + first.interrupted);
  });

  it('roll up the rows a store already holds when the migration runs', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = Store.open({ dataDir: dir, now: () => H0 });
    await writeJourneys(store, 'l', H0, 20);
    store.close();
    // Empty the rollups and run the migration's backfill again, as on a store written before it.
    const db = new Database(databasePath(dir));
    const before = new ReportRepo(db).overview({ from: H0, to: H0 + 3 * HOUR, includeTest: true });
    const { reportRollups } = await import('../../src/engine/store/migrations/0160-report-rollups.js');
    const { rollupWatermarks } = await import('../../src/engine/store/migrations/0180-rollup-watermarks.js');
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rollup%'").pluck().all() as string[];
    // Migration 0180 dropped the ping and post insert triggers.
    expect(triggers.length).toBe(18);
    db.exec('DROP TABLE rollup_latency_6h');
    for (const t of triggers) db.exec(`DROP TRIGGER ${t}`);
    db.exec(`DROP TABLE rollup_leads; DROP TABLE rollup_latency; DROP TABLE rollup_wins; DROP TABLE rollup_pings; DROP TABLE rollup_posts; DROP TABLE rollup_marks;`);
    reportRollups.up(db, { now: () => H0 });
    rollupWatermarks.up(db, { now: () => H0 });
    expect(rollupTailRows(db)).toEqual({ pings: 0, posts: 0 });
    expect(new ReportRepo(db).overview({ from: H0, to: H0 + 3 * HOUR, includeTest: true })).toEqual(before);
    for (const [from, to] of RANGES) expectRollupsEqualScan(db, from, to);
    db.close();
  });
});

function equalEverywhere(db: Database.Database): void {
  for (const [from, to] of RANGES) expectRollupsEqualScan(db, from, to);
}

const pingsRolledUp = (db: Database.Database) => db.prepare('SELECT TOTAL(pings) FROM rollup_pings').pluck().get() as number;

describe('report rollups past the watermark', () => {
  it('give the scanned figures after partial catch-ups and across a restart', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    let store = Store.open({ dataDir: dir, now: () => H0 });
    await writeJourneys(store, 'l', H0 - 30 * MIN, 40);
    store.close();

    let db = new Database(databasePath(dir));
    const tail = rollupTailRows(db);
    expect(tail.pings).toBe(120);
    // Ranges smaller than the tail: each catch-up folds part of it and the figures never move.
    const folded: number[] = [];
    for (let n = catchUpRollups(db, 25); n > 0; n = catchUpRollups(db, 25)) {
      folded.push(n);
      equalEverywhere(db);
      if (folded.length === 2) break;
    }
    // 25 pings and 25 posts first, then 25 pings and what posts were left.
    expect(folded[0]).toBe(50);
    expect(folded[1]).toBeGreaterThan(25);
    const left = rollupTailRows(db);
    expect(left.pings).toBe(70);
    expect(pingsRolledUp(db)).toBe(50);
    db.close();

    // A restart with a half-folded tail; more rows arrive on top of it.
    store = Store.open({ dataDir: dir, now: () => H0 + 7 * HOUR });
    await writeJourneys(store, 'm', H0 + 2 * HOUR + 11 * MIN, 20);
    store.close();
    db = new Database(databasePath(dir));
    expect(rollupTailRows(db).pings).toBe(70 + 60);
    equalEverywhere(db);
    while (catchUpRollups(db, 1000) > 0) equalEverywhere(db);
    expect(rollupTailRows(db)).toEqual({ pings: 0, posts: 0 });
    expect(pingsRolledUp(db)).toBe(180);
    equalEverywhere(db);
    expect(new ReportRepo(db).buyerStats({ from: 0, to: H0 + 30 * 24 * HOUR }).reduce((n, b) => n + b.pings, 0)).toBe(180);
    db.close();
  });

  it('stay exact through updates, deletions and an erasure on both sides of the watermark, and a reused rowid', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    let store = Store.open({ dataDir: dir, now: () => H0 });
    await writeJourneys(store, 'l', H0 - 30 * MIN, 30);
    store.close();
    let db = new Database(databasePath(dir));
    catchUpRollups(db, Infinity);
    const mark = (t: string) => db.prepare('SELECT upto FROM rollup_marks WHERE name = ?').pluck().get(t) as number;
    const counted = mark('pings');
    expect(counted).toBe(90);
    db.close();

    store = Store.open({ dataDir: dir, now: () => H0 + 7 * HOUR });
    await writeJourneys(store, 'm', H0 + HOUR, 10);
    // An erasure blanks the reasons of a lead's pings and posts (not a reported column).
    store.eraseLeads(['l2', 'm2'], { actor: 'test', by: 'lead' });
    await store.flush();
    store.close();
    db = new Database(databasePath(dir));
    expect(db.prepare("SELECT COUNT(*) FROM pings WHERE lead_id IN ('l2', 'm2') AND reason IS NULL").pluck().get()).toBe(6);
    expect(rollupTailRows(db).pings).toBe(30);
    // Changes to counted rows and to rows past the watermark, and deletions of both (as an archive
    // tool or a repair could), moving rows across hours and buyers.
    db.prepare("UPDATE pings SET outcome = 'TIMEOUT', bid_cents = NULL, latency_ms = 250 WHERE id IN (3, 95)").run();
    db.prepare('UPDATE pings SET sent_at = sent_at + 2 * 3600000, buyer_id = ? WHERE id IN (7, 101)').run('zed');
    db.prepare("UPDATE posts SET outcome = 'REJECTED', price_cents = 0 WHERE id IN (SELECT id FROM posts ORDER BY id LIMIT 2)").run();
    db.prepare('DELETE FROM pings WHERE id IN (10, 11, 12, 97, 98)').run();
    db.prepare('DELETE FROM posts WHERE id = (SELECT MAX(id) FROM posts)').run();
    equalEverywhere(db);
    catchUpRollups(db, 4);
    equalEverywhere(db);
    catchUpRollups(db, Infinity);
    expect(rollupTailRows(db)).toEqual({ pings: 0, posts: 0 });
    equalEverywhere(db);

    // The last counted rows are deleted: the watermark comes down with them, so the rowids SQLite
    // hands out again are past it and counted once, by the catch-up.
    db.prepare('DELETE FROM pings WHERE id > 110').run();
    expect(mark('pings')).toBe(110);
    db.close();
    store = Store.open({ dataDir: dir, now: () => H0 + 8 * HOUR });
    await writeJourneys(store, 'n', H0 + 3 * HOUR, 4);
    store.close();
    db = new Database(databasePath(dir));
    expect(db.prepare('SELECT MIN(id) FROM pings WHERE lead_id LIKE ?').pluck().get('n%')).toBe(111);
    expect(rollupTailRows(db).pings).toBe(12);
    equalEverywhere(db);
    catchUpRollups(db, Infinity);
    equalEverywhere(db);
    db.close();
  });
});

/** Who folds the tails in: the store's writer thread (the default), or the WAL checkpointer's worker when batches commit on the main thread. */
const FOLDERS = [
  { who: 'the writer thread', writerThread: true, stats: (store: Store) => store.writerThreadForTest()?.rollupStats, other: (_: Store, worker: WalCheckpointer) => worker.rollupStats },
  { who: "the WAL checkpointer's worker", writerThread: false, stats: (_: Store, worker: WalCheckpointer) => worker.rollupStats, other: () => undefined },
] as const;

async function until(check: () => boolean, what: string, end: number): Promise<void> {
  while (!check()) {
    expect(Date.now(), what).toBeLessThan(end);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.each(FOLDERS)('the rollup catch-up in $who', ({ writerThread, stats, other }) => {
  it('folds the tails of a running store in within seconds, and goes on folding', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = Store.open({ dataDir: dir, now: () => H0, writerThread });
    const worker = store.startWalCheckpoints(50);
    await writeJourneys(store, 'l', H0 - 30 * MIN, 40);
    const db = new Database(databasePath(dir), { readonly: true });
    try {
      const end = Date.now() + 10_000;
      await until(() => rollupTailRows(db).pings + rollupTailRows(db).posts === 0, 'the tail is never folded in', end);
      expect(pingsRolledUp(db)).toBe(120);
      equalEverywhere(db);
      // Rows written while it runs keep being folded in.
      await writeJourneys(store, 'm', H0 + 2 * HOUR, 10);
      await until(() => rollupTailRows(db).pings === 0, 'the second tail is never folded in', end);
      expect(pingsRolledUp(db)).toBe(150);
      // It reports what it folded just after its commit; the other one folded nothing.
      await until(() => (stats(store, worker)?.rows ?? 0) >= 150, 'the catch-ups are never reported', end);
      expect(stats(store, worker)?.maxMs).toBeGreaterThan(0);
      expect(stats(store, worker)?.lastError).toBeNull();
      expect(other(store, worker)?.rows ?? 0).toBe(0);
      expect(worker.stats.lastError).toBeNull();
      equalEverywhere(db);
    } finally {
      db.close();
      store.close();
    }
  });

  it('folds a tail longer than one range in several short transactions, without waiting a tick for each', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = Store.open({ dataDir: dir, now: () => H0, writerThread });
    const rows = 3 * CATCH_UP_MAX_ROWS + 500;
    for (let i = 0; i < rows; i++) store.insertPing(makePing(`a${i % 700}`, `l${i % 700}`, BUYERS[i % 3], { sentAt: H0 + i * 1000, latencyMs: i % 50, bidCents: 900 + (i % 40) }));
    await store.flush();
    const worker = store.startWalCheckpoints(1500);
    const db = new Database(databasePath(dir), { readonly: true });
    try {
      const end = Date.now() + 15_000;
      await until(() => rollupTailRows(db).pings === 0, 'the tail is never folded in', end);
      // Four ranges, one after the other, within the first tick or two (one per tick would take four).
      expect(worker.stats.checkpoints).toBeLessThanOrEqual(2);
      expect(db.prepare('SELECT TOTAL(pings) FROM rollup_pings').pluck().get()).toBe(rows);
      for (const [from, to] of RANGES) expectRollupsEqualScan(db, from, to);
      await until(() => (stats(store, worker)?.rows ?? 0) >= rows, 'the catch-ups are never reported', end);
      expect(stats(store, worker)?.catchUps).toBe(4);
    } finally {
      db.close();
      store.close();
    }
  });

  it('skips a catch-up while another connection holds the write lock, and folds the rows in once it is free', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = Store.open({ dataDir: dir, now: () => H0, writerThread });
    await writeJourneys(store, 'l', H0, 10);
    const writer = new Database(databasePath(dir));
    writer.exec('BEGIN IMMEDIATE');
    const worker = store.startWalCheckpoints(40);
    const reader = new Database(databasePath(dir), { readonly: true });
    try {
      const end = Date.now() + 10_000;
      await until(() => (stats(store, worker)?.busy ?? 0) >= 2, 'the catch-up never meets the lock', end);
      expect(rollupTailRows(reader).pings).toBe(30);
      // The checkpoints went on meanwhile; nothing was folded in.
      expect(worker.stats.checkpoints).toBeGreaterThanOrEqual(2);
      expect(stats(store, worker)?.rows).toBe(0);
      writer.exec('COMMIT');
      await until(() => rollupTailRows(reader).pings === 0, 'the tail is never folded in after the lock is released', end);
      for (const [from, to] of RANGES) expectRollupsEqualScan(reader, from, to);
      expect(worker.stats.lastError).toBeNull();
      expect(stats(store, worker)?.lastError).toBeNull();
    } finally {
      if (writer.inTransaction) writer.exec('ROLLBACK');
      writer.close();
      reader.close();
      store.close();
    }
  });
});

describe('the rollup catch-up when the writer thread stops', () => {
  it("is taken over by the WAL checkpointer's worker", async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = Store.open({ dataDir: dir, now: () => H0 });
    const worker = store.startWalCheckpoints(50);
    const thread = store.writerThreadForTest();
    expect(thread).not.toBeNull();
    const db = new Database(databasePath(dir), { readonly: true });
    try {
      const end = Date.now() + 10_000;
      await writeJourneys(store, 'l', H0, 10);
      await until(() => rollupTailRows(db).pings === 0, 'the writer thread never folds the tail in', end);
      expect(worker.rollupStats.rows).toBe(0);
      await thread?.crashForTest('now');
      // Batches commit on the main thread now; the checkpointer's worker folds what they write.
      await writeJourneys(store, 'm', H0 + HOUR, 10);
      expect(store.writerThreadForTest()).toBeNull();
      await until(() => rollupTailRows(db).pings === 0, 'nothing folds the tail in once the writer thread is gone', end);
      // The worker reports what it folded just after its commit: the report may come a moment after the rows.
      await until(() => worker.rollupStats.rows > 0, 'the checkpointer never reports its catch-ups', end);
      expect(worker.rollupStats.rows).toBeGreaterThanOrEqual(30);
      expect(pingsRolledUp(db)).toBe(60);
      equalEverywhere(db);
    } finally {
      db.close();
      store.close();
    }
  });
});

describe('report rollups in a running engine', () => {
  const rig = useTestRig();

  it('match the scanned figures after real auctions, returns and a restart', async () => {
    const acme = await rig.buyer(() => ({ bid: 30 }));
    const bolt = await rig.buyer(() => ({ bid: 25 }));
    const workspace = workspaceOf(
      autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme', 'bolt'] }]),
      [buyerFor(acme, 'acme', { apiKey: 'buy_acme_key_123', returns: { windowDays: 30, maxRatePercent: 100 } }), buyerFor(bolt, 'bolt')],
    );
    const dir = makeDataDir();
    dirs.push(dir);
    let h = await startTestEngine({ workspace, dir });
    const sold: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await h.sendLead(leadBody({ test: i === 5 }));
      expect(res.body).toMatchObject({ status: 'sold' });
      sold.push(res.body.lead_id as string);
    }
    const returned = await h.post('/v1/feedback', { lead_id: sold[0], event: 'returned' }, { key: 'buy_acme_key_123' });
    expect(returned.body).toMatchObject({ status: 'approved' });
    const now = Date.now();
    const ranges: Array<[number, number]> = [[now - 3 * HOUR, now + HOUR], [Math.floor(now / HOUR) * HOUR - HOUR, Math.floor(now / HOUR) * HOUR + HOUR], [now - 10 * MIN, now + MIN]];
    for (const [from, to] of ranges) expectRollupsEqualScan(h.db(), from, to);
    const overview = await h.call<{ leads: number; sold: number }>('overview.get', { from: now - 3 * HOUR, to: now + HOUR, includeTest: true });
    expect(overview).toMatchObject({ leads: 6, sold: 6 });
    await h.close();

    h = await startTestEngine({ dir });
    for (const [from, to] of ranges) expectRollupsEqualScan(h.db(), from, to);
    const res = await h.sendLead(leadBody());
    expect(res.body).toMatchObject({ status: 'sold' });
    for (const [from, to] of ranges) expectRollupsEqualScan(h.db(), from, to);
    // The engine's worker folds the pings and posts past the watermark in, about once a second.
    const end = Date.now() + 10_000;
    while (rollupTailRows(h.db()).pings + rollupTailRows(h.db()).posts > 0) {
      expect(Date.now(), 'the engine never folds its pings and posts in').toBeLessThan(end);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(h.db().prepare('SELECT TOTAL(pings) FROM rollup_pings').pluck().get()).toBe(14);
    for (const [from, to] of ranges) expectRollupsEqualScan(h.db(), from, to);
    expect(await h.call('overview.get', { from: now - 3 * HOUR, to: Date.now() + HOUR, includeTest: true })).toMatchObject({ leads: 7, sold: 7 });
    await h.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('reports in the read thread', () => {
  it('answer exactly as on the store’s own connection, and the main thread runs none of their reads', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const store = Store.open({ dataDir: dir, now: () => H0 });
    await writeJourneys(store, 'r', H0 - 30 * MIN, 40);
    const db = new Database(databasePath(dir), { readonly: true });
    for (const [from, to] of RANGES) {
      for (const includeTest of [false, true]) {
        const calls = mainThreadStatements(db);
        try {
          const [overview, sources, series, buyers, campaign] = await Promise.all([
            store.overviewAsync({ from, to, includeTest }),
            store.sourceStatsAsync({ from, to, includeTest }),
            store.timeseriesAsync({ from, to, bucketMs: HOUR, includeTest }),
            store.buyerStatsAsync({ from, to }),
            store.campaignBuyerStatsAsync({ from, to, campaignId: 'auto-insurance' }),
          ]);
          expect(calls.count(), 'reads on the main thread').toBe(0);
          // The count sees the main thread's reads: the same report run here makes some.
          store.overview({ from, to, includeTest });
          expect(calls.count()).toBeGreaterThan(0);
          calls.restore();
          expect(overview).toEqual(store.overview({ from, to, includeTest }));
          expect(sources).toEqual(store.sourceStats({ from, to, includeTest }));
          expect(series).toEqual(store.timeseries({ from, to, bucketMs: HOUR, includeTest }));
          expect(buyers).toEqual(store.buyerStats({ from, to }));
          expect(campaign).toEqual(store.campaignBuyerStats({ from, to, campaignId: 'auto-insurance' }));
        } finally {
          calls.restore();
        }
      }
    }
    // Not a vacuous comparison: the thread answered, with figures in them.
    expect(store.readThreadStats()?.queries).toBe(RANGES.length * 2 * 5);

    // The ledger's range reads (Reports → Statements) go the same way.
    const book = store.ledgerBook();
    book.book([
      { at: H0 + MIN, kind: 'sale', amountCents: 2500, partyKind: 'buyer', partyId: 'acme', leadId: 'r1', auctionId: 'a-r1', note: null, actor: 'engine' },
      { at: H0 + MIN, kind: 'payout', amountCents: 1800, partyKind: 'source', partyId: 'pub-1', leadId: 'r1', auctionId: 'a-r1', note: null, actor: 'engine' },
      { at: H0 + 2 * MIN, kind: 'adjustment', amountCents: -300, partyKind: 'buyer', partyId: 'acme', leadId: null, auctionId: null, note: 'credit', actor: 'operator' },
    ]);
    await store.flush();
    const [from, to] = [H0, H0 + HOUR];
    const calls = mainThreadStatements(db);
    const offLoop = await Promise.all([
      store.readOffLoop(() => book.entriesSteps(from, to)),
      store.readOffLoop(() => book.balancesSteps(from, to)),
      store.readOffLoop(() => book.totalsSteps(from, to)),
      store.readOffLoop(() => book.partyEntriesSteps('buyer', 'acme', from, to)),
    ]);
    expect(calls.count(), 'ledger reads on the main thread').toBe(0);
    calls.restore();
    expect(offLoop).toEqual([book.entries(from, to), book.balances(from, to), book.totals(from, to), book.partyEntries('buyer', 'acme', from, to)]);
    expect(offLoop[0]).toHaveLength(3);

    // And the change markers' reads: config events and the auction totals of a window.
    store.appendAudit({ leadId: null, type: 'config', actor: 'operator', at: H0 + 5 * MIN, data: { kind: 'tiers', id: 'auto-insurance', action: 'floor' } });
    await store.flush();
    const log = store.changeLog();
    const window = { from: H0 - HOUR, to: H0 + 3 * HOUR };
    const changeCalls = mainThreadStatements(db);
    const changes = await Promise.all([store.readOffLoop(() => log.configEventsSteps({ ...window, limit: 10 })), store.readOffLoop(() => log.windowTotalsSteps(window))]);
    expect(changeCalls.count(), 'change reads on the main thread').toBe(0);
    changeCalls.restore();
    expect(changes).toEqual([log.configEvents({ ...window, limit: 10 }), log.windowTotals(window)]);
    expect(changes[0]).toHaveLength(1);
    expect(changes[1].auctions).toBeGreaterThan(10);
    expect((await store.overviewAsync({ from: 0, to: H0 + 24 * HOUR, includeTest: true })).leads).toBe(40);
    expect((await store.campaignBuyerStatsAsync({ from: 0, to: H0 + 24 * HOUR, campaignId: 'auto-insurance' })).length).toBe(3);
    db.close();

    // Its connection closes with the store's, and the store's close is the last: no WAL is left.
    store.close();
    expect(fs.existsSync(`${databasePath(dir)}-wal`)).toBe(false);
  });

  it('a read thread that dies leaves the reports to the store’s own connection, with the same answers', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    const logged: string[] = [];
    const store = Store.open({ dataDir: dir, now: () => H0, log: (_level, msg) => logged.push(msg) });
    await writeJourneys(store, 'k', H0 - 30 * MIN, 20);
    const range = { from: H0 - HOUR, to: H0 + 3 * HOUR, includeTest: true };
    const before = await store.overviewAsync(range);
    expect(store.readThreadStats()?.queries).toBe(1);
    await store.readThreadForTest()?.killForTest();
    expect(await store.overviewAsync(range)).toEqual(before);
    expect(await store.buyerStatsAsync(range)).toEqual(store.buyerStats(range));
    expect(store.readThreadStats()).toBeNull();
    expect(logged.filter((m) => m.startsWith('report queries run on the main thread'))).toHaveLength(1);
    store.close();
  });

  it('hands a long answer over in parts, whole and in order, and reads one snapshot per report', async () => {
    const dir = makeTempDir();
    dirs.push(dir);
    Store.open({ dataDir: dir }).close();
    const db = new Database(databasePath(dir));
    const thread = new ReadThread(databasePath(dir));
    try {
      const count = db.prepare('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c');
      const rows = await thread.run(function* (): ReadSteps<unknown> {
        return yield allRows(count, 2_500);
      });
      expect(rows).toEqual(Array.from({ length: 2_500 }, (_, i) => ({ x: i + 1 })));

      // A write committed between two reads of one report is not seen by the second.
      const meta = db.prepare("SELECT value FROM meta WHERE key = 'snapshot_probe'");
      const write = db.prepare("INSERT INTO meta (key, value) VALUES ('snapshot_probe', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
      write.run('before');
      const seen = await thread.run(function* (): ReadSteps<unknown[]> {
        const first = yield getRow(meta);
        write.run('after');
        const second = yield getRow(meta);
        return [first, second];
      });
      expect(seen).toEqual([{ value: 'before' }, { value: 'before' }]);
      expect(await thread.run(function* (): ReadSteps<unknown> {
        return yield getRow(meta);
      })).toEqual({ value: 'after' });
      // Two parts of 1,000 rows, then the last 500 with the answer.
      expect(thread.stats).toEqual({ queries: 3, reads: 4, parts: 2 });
    } finally {
      thread.close();
      db.close();
    }
  });
});

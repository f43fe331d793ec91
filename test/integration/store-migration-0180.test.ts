import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, runMigrations } from '../../src/engine/store/migrations/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { ReportRepo } from '../../src/engine/store/report-repo.js';
import { catchUpRollups, rollupTailRows } from '../../src/engine/store/rollup-catch-up.js';
import { makePing, makePost, makeTempDir, removeDir } from './fixtures/store-records.js';

const HOUR = 3_600_000;
const H0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const BUYERS = ['acme', 'bolt', 'cheap', 'dune'];
const OUTCOMES = ['BID', 'NO_BID', 'TIMEOUT', 'UNREACHABLE', 'BID', 'BELOW_FLOOR'];

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

const rollupRows = (db: Database.Database) => ({
  pings: db.prepare('SELECT * FROM rollup_pings ORDER BY hour, buyer_id').all(),
  posts: db.prepare('SELECT * FROM rollup_posts ORDER BY hour, buyer_id').all(),
});
/** Whole hours (from the rollups and the tail) and ragged ends. */
const RANGE = { from: H0 - 20 * 60_000, to: H0 + 4 * HOUR };

describe('migration 0180: ping and post rollups by watermark', () => {
  it('starts the watermarks at the rows already counted, drops the insert triggers and leaves every figure as it was', async () => {
    const raw = new Database(databasePath(dir));
    raw.pragma('journal_mode = WAL');
    runMigrations(raw, { now: () => H0 }, MIGRATIONS.filter((m) => m.version < 180));
    const ping = raw.prepare(`INSERT INTO pings (auction_id, lead_id, buyer_id, tier_index, sent_at, latency_ms, outcome, bid_cents, floor_cents)
      VALUES (?, ?, ?, 0, ?, ?, ?, ?, 500)`);
    const post = raw.prepare(`INSERT INTO posts (auction_id, lead_id, buyer_id, attempt, sent_at, latency_ms, outcome, price_cents) VALUES (?, ?, ?, 1, ?, 3, ?, ?)`);
    raw.transaction(() => {
      for (let i = 0; i < 60; i++) {
        const at = H0 - 15 * 60_000 + i * 4 * 60_000;
        BUYERS.forEach((b, k) => {
          const outcome = OUTCOMES[(i + k) % OUTCOMES.length];
          ping.run(`a${i}`, `l${i}`, b, at, outcome === 'UNREACHABLE' ? null : 1 + ((i * 7 + k) % 90), outcome, outcome === 'BID' ? 600 + i * 3 + k : null);
        });
        if (i % 3 === 0) post.run(`a${i}`, `l${i}`, BUYERS[i % 4], at + 2, i % 9 === 0 ? 'REJECTED' : 'ACCEPTED', 700 + i);
      }
    })();
    const before = { rollups: rollupRows(raw), report: new ReportRepo(raw, { rollups: false }).buyerStats(RANGE) };
    expect(before.report.reduce((n, b) => n + b.pings, 0)).toBe(240);
    expect(before.rollups.pings.length).toBeGreaterThan(10);
    raw.close();

    Store.open({ dataDir: dir, now: () => H0 }).close();
    let db = new Database(databasePath(dir));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(db.prepare('SELECT name, upto FROM rollup_marks ORDER BY name').all()).toEqual([{ name: 'pings', upto: 240 }, { name: 'posts', upto: 20 }]);
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('pings', 'posts') ORDER BY name").pluck().all();
    expect(triggers).toEqual(['rollup_pings_delete', 'rollup_pings_update_new', 'rollup_pings_update_old', 'rollup_posts_delete', 'rollup_posts_update_new', 'rollup_posts_update_old']);
    expect(rollupRows(db)).toEqual(before.rollups);
    expect(rollupTailRows(db)).toEqual({ pings: 0, posts: 0 });
    expect(new ReportRepo(db).buyerStats(RANGE)).toEqual(before.report);
    db.close();

    // New rows leave the rollups alone until a catch-up; the reports count them all along.
    const store = Store.open({ dataDir: dir, now: () => H0 + 5 * HOUR });
    for (let i = 0; i < 5; i++) {
      store.insertPing(makePing(`n${i}`, `ln${i}`, 'acme', { sentAt: H0 + HOUR + i * 1000, outcome: 'BID', bidCents: 900, latencyMs: 12 }));
      store.insertPost(makePost(`n${i}`, `ln${i}`, 'acme', { sentAt: H0 + HOUR + i * 1000 + 5, priceCents: 900, outcome: 'ACCEPTED' }));
    }
    await store.flush();
    store.close();
    db = new Database(databasePath(dir));
    expect(rollupRows(db)).toEqual(before.rollups);
    expect(rollupTailRows(db)).toEqual({ pings: 5, posts: 5 });
    const acme = (r: ReportRepo) => r.buyerStats(RANGE).find((b) => b.buyerId === 'acme');
    const beforeAcme = before.report.find((b) => b.buyerId === 'acme');
    expect(acme(new ReportRepo(db))).toMatchObject({ pings: (beforeAcme?.pings ?? 0) + 5, posts: (beforeAcme?.posts ?? 0) + 5 });
    expect(acme(new ReportRepo(db))).toEqual(acme(new ReportRepo(db, { rollups: false })));
    expect(catchUpRollups(db)).toBe(10);
    expect(rollupTailRows(db)).toEqual({ pings: 0, posts: 0 });
    expect(acme(new ReportRepo(db))).toEqual(acme(new ReportRepo(db, { rollups: false })));
    db.close();
  });
});

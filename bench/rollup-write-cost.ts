/**
 * What the report rollups cost the write path: the Store API's hot-path writes of N sold auctions (a
 * lead, an auction, 10 pings, a post, the two updates), flushed every 50 leads as the engine's group
 * commits do, on three fresh stores, alternated five times (wall and process CPU time):
 * - `none`: every rollup trigger dropped (the floor);
 * - `0160`: the ping and post insert triggers of migration 0160 put back (every rollup kept in the commit);
 * - `watermark`: the schema as it is (migration 0180: pings and posts past the watermark, no insert trigger).
 * Then what the watermark's catch-up costs (in the worker thread, not on the loop), folding the
 * `watermark` store's tail in ranges of CATCH_UP_MAX_ROWS. `npx tsx bench/rollup-write-cost.ts`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { databasePath, Store } from '../src/engine/store/index.js';
import { MIGRATIONS, runMigrations } from '../src/engine/store/migrations/index.js';
import { CATCH_UP_MAX_ROWS, catchUpRollups } from '../src/engine/store/rollup-catch-up.js';

type Variant = 'none' | '0160' | 'watermark';

/** Migration 0160's ping and post insert triggers, as a store before 0180 has them. */
function insertTriggers0160(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'trig-'));
  const db = new Database(join(dir, 'old.db'));
  runMigrations(db, { now: Date.now }, MIGRATIONS.filter((m) => m.version < 180));
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ('rollup_pings_insert', 'rollup_posts_insert')").pluck().all() as string[];
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return sql;
}
const TRIGGERS_0160 = insertTriggers0160();

async function run(variant: Variant, n: number): Promise<{ ms: number; cpuMs: number; catchUpMs: number; longestMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'trig-'));
  Store.open({ dataDir: dir }).close();
  const setup = new Database(databasePath(dir));
  if (variant === 'none') {
    for (const t of setup.prepare("SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'rollup%'").pluck().all() as string[]) setup.exec(`DROP TRIGGER ${t}`);
  }
  // With the insert triggers back, every row is counted at once: the watermark moves past all of them.
  if (variant === '0160') for (const sql of TRIGGERS_0160) setup.exec(sql);
  setup.close();
  const store = Store.open({ dataDir: dir });
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const at = Date.now();
  for (let i = 0; i < n; i++) {
    const id = `L${i}`;
    store.insertLead({ id, campaignId: 'c', sourceId: 's', receivedAt: at + i, test: false, status: 'received', fields: {}, consent: { text: 't', captured_at: 'x', ip: '1', sellers: [] }, phoneHash: null, emailHash: null, state: 'TX', zip: '78701' } as never);
    store.insertAuction({ id: `A${i}`, leadId: id, campaignId: 'c', sourceId: 's', startedAt: at + i, test: false, status: 'open' });
    for (let k = 0; k < 10; k++) store.insertPing({ auctionId: `A${i}`, leadId: id, buyerId: `b${k}`, tierIndex: 0, sentAt: at + i, latencyMs: 1 + k, outcome: 'BID', bidCents: 500 + k, floorCents: 500, reason: null, httpStatus: 200 });
    store.insertPost({ auctionId: `A${i}`, leadId: id, buyerId: 'b9', attempt: 1, sentAt: at + i, latencyMs: 3, outcome: 'ACCEPTED', priceCents: 509, reason: null, buyerRef: 'r', httpStatus: 200 });
    store.updateAuction(`A${i}`, { status: 'sold', winnerBuyerId: 'b9', priceCents: 509, latencyMs: 12.3, endedAt: at + i + 5 });
    store.updateLead(id, { status: 'sold', priceCents: 509, payoutCents: 300, buyerId: 'b9' });
    if (i % 50 === 49) await store.flush();
  }
  await store.flush();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  store.close();
  let catchUpMs = 0;
  let longestMs = 0;
  if (variant === 'watermark') {
    const db = new Database(databasePath(dir));
    db.pragma('synchronous = NORMAL');
    for (;;) {
      const t1 = performance.now();
      const rows = catchUpRollups(db, CATCH_UP_MAX_ROWS);
      const took = performance.now() - t1;
      if (rows === 0) break;
      catchUpMs += took;
      longestMs = Math.max(longestMs, took);
    }
    db.close();
  }
  rmSync(dir, { recursive: true, force: true });
  return { ms, cpuMs, catchUpMs, longestMs };
}

const N = 10000;
const perLead = (ms: number) => ((ms * 1000) / N).toFixed(1);
for (let r = 0; r < 5; r++) {
  const none = await run('none', N);
  const old = await run('0160', N);
  const mark = await run('watermark', N);
  const both = (r: { ms: number; cpuMs: number }) => `${perLead(r.ms)} µs/lead (CPU ${perLead(r.cpuMs)})`;
  console.log(`no rollup triggers ${both(none)}, 0160 triggers ${both(old)}, watermark ${both(mark)}`
    + ` (+ catch-up in the worker ${perLead(mark.catchUpMs)} µs/lead, longest transaction ${mark.longestMs.toFixed(1)} ms)`);
}

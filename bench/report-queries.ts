import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { databasePath, Store } from '../src/engine/store/index.js';
import { ReportRepo } from '../src/engine/store/report-repo.js';
import { catchUpRollups } from '../src/engine/store/rollup-catch-up.js';
import { BENCH_DIR, scratchDir } from './lib/child.js';
import { machineInfo } from './lib/machine.js';
import { table } from './lib/report.js';
import { mulberry32 } from './lib/random.js';

/**
 * Reports over a large store: `npx tsx bench/report-queries.ts [--auctions 1000000] [--pings 10] [--keep]`.
 * Fills a fresh data folder (migrations and rollup triggers as the engine has them) with N sold or
 * unsold auctions over the last 30 days, each with its lead, P pings and a post, written in large
 * transactions (the triggers keep the rollups as they do on the hot path; ping and post rollups are
 * caught up after each transaction, as the engine's worker does). Then, on a new
 * connection, times the console's four report queries (overview, time series, per buyer, per source)
 * over the Reports screen's ranges, with the rollups and, once each, by scanning the rows as before
 * migration 0160; then what each query costs the event loop, on it and through the read thread.
 * Result file: bench/results/report-queries.json.
 */

const { values } = parseArgs({ options: { auctions: { type: 'string' }, pings: { type: 'string' }, keep: { type: 'boolean' }, out: { type: 'string' } } });
const AUCTIONS = Number(values.auctions ?? 1_000_000);
const PINGS = Number(values.pings ?? 10);
const log = (line: string) => process.stderr.write(`${line}\n`);
const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const BUYERS = Array.from({ length: Math.max(PINGS, 1) }, (_, i) => `b${String(i + 1).padStart(2, '0')}`);
const SOURCES = ['pub-1', 'pub-2', 'pub-3'];


function build(dataDir: string): { seconds: number; lastAt: number; dbBytes: number } {
  const lastAt = Date.now();
  const stepMs = (30 * DAY) / AUCTIONS;
  Store.open({ dataDir, now: () => lastAt }).close();
  const db = new Database(databasePath(dataDir));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const lead = db.prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, state, zip, price_cents, payout_cents, buyer_id)
    VALUES (?, 'bench-auto', ?, ?, 0, ?, '{}', '{}', 'TX', '78701', ?, ?, ?)`);
  const auction = db.prepare(`INSERT INTO auctions (id, lead_id, campaign_id, source_id, started_at, test, status, ended_at, tier_reached, winner_buyer_id, price_cents, payout_cents, margin_cents, floor_cents, latency_ms)
    VALUES (?, ?, 'bench-auto', ?, ?, 0, ?, ?, 0, ?, ?, ?, ?, 500, ?)`);
  const ping = db.prepare(`INSERT INTO pings (auction_id, lead_id, buyer_id, tier_index, sent_at, latency_ms, outcome, bid_cents, floor_cents, http_status) VALUES (?, ?, ?, 0, ?, ?, ?, ?, 500, 200)`);
  const post = db.prepare(`INSERT INTO posts (auction_id, lead_id, buyer_id, attempt, sent_at, latency_ms, outcome, price_cents, buyer_ref, http_status) VALUES (?, ?, ?, 1, ?, 3, 'ACCEPTED', ?, 'ref', 200)`);
  const rng = mulberry32(7);
  const t0 = performance.now();
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const at = Math.round(lastAt - 30 * DAY + i * stepMs);
      const leadId = `L${i}`;
      const auctionId = `A${i}`;
      const sourceId = SOURCES[i % SOURCES.length];
      let best: { buyerId: string; cents: number } | null = null;
      for (let k = 0; k < PINGS; k++) {
        const timeout = rng() < 0.03;
        const cents = timeout || rng() < 0.2 ? null : 500 + Math.floor(rng() * 4500);
        if (cents !== null && (!best || cents > best.cents)) best = { buyerId: BUYERS[k], cents };
        ping.run(auctionId, leadId, BUYERS[k], at, timeout ? 2000 : 0.5 + rng() * 40, timeout ? 'TIMEOUT' : cents === null ? 'NO_BID' : 'BID', cents);
      }
      const latency = 1 + rng() * 60;
      if (best) {
        const payout = Math.floor(best.cents * 0.7);
        lead.run(leadId, sourceId, at, 'sold', best.cents, payout, best.buyerId);
        auction.run(auctionId, leadId, sourceId, at, 'sold', at + 25, best.buyerId, best.cents, payout, best.cents - payout, latency);
        post.run(auctionId, leadId, best.buyerId, at + 20, best.cents);
      } else {
        lead.run(leadId, sourceId, at, 'unsold', null, null, null);
        auction.run(auctionId, leadId, sourceId, at, 'unsold', at + 25, null, null, null, null, latency);
      }
    }
  });
  for (let i = 0; i < AUCTIONS; i += 20_000) {
    batch(i, Math.min(AUCTIONS, i + 20_000));
    if ((i / 20_000) % 10 === 9) log(`  ${(i + 20_000).toLocaleString('en-US')} auctions, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
    // Pings and posts reach their rollups by the catch-up, as the engine's worker does every second.
    while (catchUpRollups(db, 200_000) > 0);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { seconds: (performance.now() - t0) / 1000, lastAt, dbBytes: statSync(databasePath(dataDir)).size };
}

interface Timing {
  query: string;
  range: string;
  rollupMs: { first: number; p50: number; max: number };
  scanMs: number | null;
}

/** The Reports screen's ranges, aligned as the console aligns them (to the bucket). */
const RANGES = [
  { label: '1h', span: HOUR, bucket: MINUTE },
  { label: '24h', span: DAY, bucket: 15 * MINUTE },
  { label: '7d', span: 7 * DAY, bucket: 2 * HOUR },
  { label: '30d', span: 30 * DAY, bucket: 6 * HOUR },
];

function timeQueries(dataDir: string, lastAt: number, repeats: number, scan: boolean): Timing[] {
  const db = new Database(databasePath(dataDir), { readonly: true });
  const rolled = new ReportRepo(db);
  const scanned = new ReportRepo(db, { rollups: false });
  const out: Timing[] = [];
  for (const r of RANGES) {
    const to = lastAt;
    const from = Math.floor((to - r.span) / r.bucket) * r.bucket;
    const queries: Array<[string, (repo: ReportRepo) => unknown]> = [
      ['overview', (repo) => repo.overview({ from, to })],
      ['timeseries', (repo) => repo.timeseries({ from, to, bucketMs: r.bucket })],
      ['buyer stats', (repo) => repo.buyerStats({ from, to })],
      ['source stats', (repo) => repo.sourceStats({ from, to })],
    ];
    for (const [name, run] of queries) {
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const t = performance.now();
        run(rolled);
        times.push(performance.now() - t);
      }
      let scanMs: number | null = null;
      if (scan) {
        const t = performance.now();
        const a = JSON.stringify(run(scanned));
        scanMs = performance.now() - t;
        // The bench doubles as a check on a large store: both paths give the same figures.
        if (name !== 'buyer stats' && a !== JSON.stringify(run(rolled))) throw new Error(`${name} over ${r.label}: rollups and scan differ`);
      }
      const sorted = [...times].sort((x, y) => x - y);
      const ms = (x: number) => Math.round(x * 100) / 100;
      out.push({ query: name, range: r.label, rollupMs: { first: ms(times[0]), p50: ms(sorted[Math.floor(sorted.length / 2)]), max: ms(sorted[sorted.length - 1]) }, scanMs: scanMs === null ? null : ms(scanMs) });
      log(`  ${name} ${r.label}: first ${ms(times[0])} ms, p50 ${ms(sorted[Math.floor(sorted.length / 2)])} ms${scanMs === null ? '' : `; scan ${ms(scanMs)} ms`}`);
    }
  }
  db.close();
  return out;
}

interface LoopTiming {
  query: string;
  range: string;
  /** The query on the event loop: the loop is blocked for all of it. */
  syncMs: number;
  /** The same query through the read thread: how long it took, and the loop's longest stall meanwhile. */
  asyncMs: number;
  loopMaxMs: number;
}

/**
 * What a report costs the event loop of a running engine: each query once on the store's own
 * connection (the loop waits for all of it) and once through the read thread (Store's `…Async`),
 * with the loop's longest delay measured meanwhile (1 ms resolution).
 */
async function loopDuringReports(dataDir: string, lastAt: number): Promise<LoopTiming[]> {
  const store = Store.open({ dataDir, now: () => lastAt, writerThread: false });
  const out: LoopTiming[] = [];
  const ms = (x: number) => Math.round(x * 100) / 100;
  try {
    await store.overviewAsync({ from: lastAt - HOUR, to: lastAt });
    for (const r of RANGES) {
      const to = lastAt;
      const from = Math.floor((to - r.span) / r.bucket) * r.bucket;
      const queries: Array<[string, () => unknown, () => Promise<unknown>]> = [
        ['overview', () => store.overview({ from, to }), () => store.overviewAsync({ from, to })],
        ['timeseries', () => store.timeseries({ from, to, bucketMs: r.bucket }), () => store.timeseriesAsync({ from, to, bucketMs: r.bucket })],
        ['buyer stats', () => store.buyerStats({ from, to }), () => store.buyerStatsAsync({ from, to })],
        ['source stats', () => store.sourceStats({ from, to }), () => store.sourceStatsAsync({ from, to })],
      ];
      for (const [name, sync, offLoop] of queries) {
        let t = performance.now();
        const a = JSON.stringify(sync());
        const syncMs = performance.now() - t;
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        t = performance.now();
        const b = JSON.stringify(await offLoop());
        const asyncMs = performance.now() - t;
        delay.disable();
        if (a !== b) throw new Error(`${name} over ${r.label}: the read thread's answer differs`);
        out.push({ query: name, range: r.label, syncMs: ms(syncMs), asyncMs: ms(asyncMs), loopMaxMs: ms(delay.max / 1e6) });
        log(`  ${name} ${r.label}: on the loop ${ms(syncMs)} ms; read thread ${ms(asyncMs)} ms, loop's longest stall ${ms(delay.max / 1e6)} ms`);
      }
    }
  } finally {
    store.close();
  }
  return out;
}

const machine = machineInfo();
log(`report queries: ${AUCTIONS.toLocaleString('en-US')} auctions × ${PINGS} pings over 30 days; ${machine.nproc} cores, load average ${machine.loadAvgAtStart.join(' / ')}`);
const scratch = scratchDir('pingdesk-bench-reports-', values.keep === true);
const dataDir = path.join(scratch.dir, 'data');
const built = build(dataDir);
log(`  built in ${built.seconds.toFixed(1)} s, ${(built.dbBytes / 2 ** 20).toFixed(0)} MiB`);
const timings = timeQueries(dataDir, built.lastAt, 9, true);
const worst = Math.max(...timings.map((t) => t.rollupMs.max));
log('  event loop during the reports (store on the engine\'s settings, read thread):');
const loop = await loopDuringReports(dataDir, built.lastAt);
process.stdout.write(`\n${table([
  ['query', 'range', 'first ms', 'p50 ms', 'max ms', 'scan ms (before 0160)'],
  ...timings.map((t) => [t.query, t.range, `${t.rollupMs.first}`, `${t.rollupMs.p50}`, `${t.rollupMs.max}`, `${t.scanMs ?? ''}`]),
])}\n\n${table([
  ['query', 'range', 'on the loop ms', 'read thread ms', 'loop stall ms'],
  ...loop.map((t) => [t.query, t.range, `${t.syncMs}`, `${t.asyncMs}`, `${t.loopMaxMs}`]),
])}\n\nworst report query over ${AUCTIONS.toLocaleString('en-US')} auctions: ${worst} ms (goal < 200 ms): ${worst < 200 ? 'MET' : 'MISSED'}\n`);
const resultsDir = path.join(BENCH_DIR, 'results');
mkdirSync(resultsDir, { recursive: true });
const out = values.out ? path.resolve(values.out) : path.join(resultsDir, 'report-queries.json');
writeFileSync(out, `${JSON.stringify({ machine, auctions: AUCTIONS, pingsPerAuction: PINGS, build: built, timings, worstMs: worst, loop }, null, 2)}\n`);
scratch.remove();

import type { Database } from 'better-sqlite3';
import { ROLLUP_GRAIN_MS } from './migrations/0160-report-rollups.js';

/**
 * The ping and post rollups (migration 0160's `rollup_pings`, `rollup_posts`) are not kept by
 * triggers on insert (migration 0180): `rollup_marks` says up to which rowid of `pings` and `posts`
 * they count, and the rows past that watermark (the tail) are folded in later, off the hot path,
 * by a worker thread every second: the store's writer thread, between its batches, or the WAL
 * checkpointer's worker when batches commit on the main thread. Reports add the
 * tail to what the rollups hold, so their figures are exact at every moment, caught up or not.
 *
 * The SQL lives here as plain strings so the worker (plain JavaScript, no imports) and in-thread
 * callers run the same statements. Each table's catch-up reads its watermark, finds the end of a
 * bounded rowid range past it, folds that range in with one grouped upsert and moves the watermark,
 * all in one transaction.
 */

const HOUR = ROLLUP_GRAIN_MS;
const ERRORS = "('BAD_RESPONSE', 'HTTP_ERROR', 'UNREACHABLE')";
const SOLD_POST = "('ACCEPTED', 'SETTLED_SOLD')";
/** A late acceptance and an operator's settlement are rows about a post already counted. */
const NOT_A_POST = "('LATE_ACCEPTED', 'SETTLED_SOLD')";

/** The rollup tables whose rows arrive through a watermark, named as in `rollup_marks`. */
export type RollupTail = 'pings' | 'posts';
export const ROLLUP_TAILS: readonly RollupTail[] = ['pings', 'posts'];

/** The watermark of `table`, as a scalar subquery. */
export const watermarkSql = (table: RollupTail): string => `(SELECT upto FROM rollup_marks WHERE name = '${table}')`;

/** Per-buyer sums of ping rows, as the report reads them (aliases match `rollup_pings`' report query). */
export const PING_SUMS_SQL = `COUNT(*) AS pings, TOTAL(bid_cents IS NOT NULL) AS bids, TOTAL(outcome = 'TIMEOUT') AS timeouts,
  TOTAL(outcome IN ${ERRORS}) AS errors, TOTAL(bid_cents) AS bidSum, COUNT(latency_ms) AS latencyN, TOTAL(latency_ms) AS latencySum`;
/** Per-buyer sums of post rows, as the report reads them. */
export const POST_SUMS_SQL = `TOTAL(outcome NOT IN ${NOT_A_POST}) AS posts, TOTAL(outcome IN ${SOLD_POST}) AS accepted,
  TOTAL(CASE WHEN outcome IN ${SOLD_POST} THEN price_cents END) AS revenue`;

const hour = (x: string) => `(${x} - ${x} % ${HOUR})`;

/** One table's catch-up statements; named parameters `@maxRows`, `@lo`, `@hi`. */
export interface CatchUpStep {
  table: RollupTail;
  /** `lo`: the watermark. */
  mark: string;
  /** `hi`, `n`: the last rowid and the number of rows of the next range past `@lo` (at most `@maxRows`; -1: all). */
  range: string;
  /** Folds the rows `@lo < rowid <= @hi` into the rollup. */
  fold: string;
  /** Moves the watermark to `@hi`. */
  advance: string;
}

const step = (table: RollupTail, fold: string): CatchUpStep => ({
  table,
  mark: `SELECT upto AS lo FROM rollup_marks WHERE name = '${table}'`,
  range: `SELECT MAX(id) AS hi, COUNT(*) AS n FROM (SELECT id FROM ${table} WHERE id > @lo ORDER BY id LIMIT @maxRows)`,
  fold,
  advance: `UPDATE rollup_marks SET upto = @hi WHERE name = '${table}'`,
});

export const CATCH_UP_STEPS: readonly CatchUpStep[] = [
  step('pings', `INSERT INTO rollup_pings (hour, buyer_id, pings, bids, timeouts, errors, bid_sum, latency_n, latency_sum)
  SELECT ${hour('sent_at')}, buyer_id, COUNT(*), TOTAL(bid_cents IS NOT NULL), TOTAL(outcome = 'TIMEOUT'), TOTAL(outcome IN ${ERRORS}),
    TOTAL(bid_cents), TOTAL(latency_ms IS NOT NULL), TOTAL(latency_ms)
  FROM pings NOT INDEXED WHERE id > @lo AND id <= @hi GROUP BY 1, 2
  ON CONFLICT (hour, buyer_id) DO UPDATE SET pings = pings + excluded.pings, bids = bids + excluded.bids, timeouts = timeouts + excluded.timeouts,
    errors = errors + excluded.errors, bid_sum = bid_sum + excluded.bid_sum, latency_n = latency_n + excluded.latency_n, latency_sum = latency_sum + excluded.latency_sum`),
  step('posts', `INSERT INTO rollup_posts (hour, buyer_id, posts, accepted, revenue_cents)
  SELECT ${hour('sent_at')}, buyer_id, TOTAL(outcome NOT IN ${NOT_A_POST}), TOTAL(outcome IN ${SOLD_POST}),
    TOTAL(CASE WHEN outcome IN ${SOLD_POST} THEN price_cents END)
  FROM posts NOT INDEXED WHERE id > @lo AND id <= @hi GROUP BY 1, 2
  ON CONFLICT (hour, buyer_id) DO UPDATE SET posts = posts + excluded.posts, accepted = accepted + excluded.accepted, revenue_cents = revenue_cents + excluded.revenue_cents`),
];

/**
 * How many rows of each table one catch-up folds at most: a transaction of a few milliseconds (about
 * 2 µs of CPU a ping row, bench/rollup-write-cost.ts), since the engine's writes wait for it
 * meanwhile. A longer tail takes several catch-ups.
 */
export const CATCH_UP_MAX_ROWS = 1_000;
/** How often a worker thread folds the tails in. */
export const CATCH_UP_INTERVAL_MS = 1_000;
/** The pause between two catch-ups while the tail is longer than one range. */
export const CATCH_UP_BEHIND_MS = 25;

/** What a worker thread needs to run the catch-up (`CATCH_UP_WORKER_SOURCE`). */
export interface CatchUpConfig {
  steps: readonly CatchUpStep[];
  maxRows: number;
  intervalMs: number;
  behindMs: number;
}

export const CATCH_UP_CONFIG: CatchUpConfig = { steps: CATCH_UP_STEPS, maxRows: CATCH_UP_MAX_ROWS, intervalMs: CATCH_UP_INTERVAL_MS, behindMs: CATCH_UP_BEHIND_MS };

/** One catch-up as a worker thread reports it: rows folded, whether the lock was busy (nothing done), whether a range was full. */
export interface CatchUpResult {
  rows: number;
  busy: boolean;
  full: boolean;
  ms: number;
  error?: string;
}

/** A worker thread's catch-ups so far: those that folded rows in, the rows, their time and the longest (ms), those skipped for a busy lock, the last error. */
export interface CatchUpStats {
  catchUps: number;
  rows: number;
  totalMs: number;
  maxMs: number;
  busy: number;
  lastError: string | null;
}

export function newCatchUpStats(): CatchUpStats {
  return { catchUps: 0, rows: 0, totalMs: 0, maxMs: 0, busy: 0, lastError: null };
}

/** Counts one catch-up a worker thread reported. */
export function countCatchUp(stats: CatchUpStats, r: CatchUpResult): void {
  if (r.error) stats.lastError = r.error;
  if (r.busy) stats.busy += 1;
  if (r.rows === 0) return;
  stats.catchUps += 1;
  stats.rows += r.rows;
  stats.totalMs += r.ms;
  stats.maxMs = Math.max(stats.maxMs, r.ms);
}

/**
 * The catch-up as the worker threads run it (plain JavaScript spliced into their source: the store's
 * writer thread, or the WAL checkpointer's worker when there is none). `rollupCatchUp(db, config)`
 * returns a function that runs one catch-up in one IMMEDIATE transaction and returns a
 * `CatchUpResult`; a lock held past the connection's busy timeout skips it (`busy`). It throws
 * what else goes wrong, after rolling back.
 */
export const CATCH_UP_WORKER_SOURCE = `
const rollupCatchUp = (db, config) => {
  const steps = config.steps.map((s) => ({ mark: db.prepare(s.mark), range: db.prepare(s.range), fold: db.prepare(s.fold), advance: db.prepare(s.advance) }));
  return () => {
    const t = performance.now();
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (err) {
      if (err && err.code === 'SQLITE_BUSY') return { rows: 0, busy: true, full: false, ms: performance.now() - t };
      throw err;
    }
    try {
      let rows = 0;
      let full = false;
      for (const s of steps) {
        const { lo } = s.mark.get();
        const { hi, n } = s.range.get({ lo, maxRows: config.maxRows });
        if (hi === null) continue;
        s.fold.run({ lo, hi });
        s.advance.run({ hi });
        rows += n;
        full = full || n >= config.maxRows;
      }
      db.exec('COMMIT');
      return { rows, busy: false, full, ms: performance.now() - t };
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw err;
    }
  };
};
`;

/**
 * Folds at most `maxRows` rows of each tail into the rollups and moves the watermarks, in one
 * IMMEDIATE transaction on `db`. Returns the rows folded (0: caught up). For in-thread use (tests,
 * benches, tools); the engine runs the same statements in its worker thread.
 */
export function catchUpRollups(db: Database, maxRows: number = CATCH_UP_MAX_ROWS): number {
  const steps = CATCH_UP_STEPS.map((s) => ({ mark: db.prepare(s.mark), range: db.prepare(s.range), fold: db.prepare(s.fold), advance: db.prepare(s.advance) }));
  const limit = Number.isFinite(maxRows) ? Math.max(1, Math.trunc(maxRows)) : -1;
  return db.transaction(() => {
    let rows = 0;
    for (const s of steps) {
      const { lo } = s.mark.get() as { lo: number };
      const { hi, n } = s.range.get({ lo, maxRows: limit }) as { hi: number | null; n: number };
      if (hi === null) continue;
      s.fold.run({ lo, hi });
      s.advance.run({ hi });
      rows += n;
    }
    return rows;
  }).immediate();
}

/** Rows past each watermark: what the reports scan on top of the rollups. */
export function rollupTailRows(db: Database): Record<RollupTail, number> {
  const count = (t: RollupTail) => (db.prepare(`SELECT COUNT(*) AS n FROM ${t} WHERE id > ${watermarkSql(t)}`).get() as { n: number }).n;
  return { pings: count('pings'), posts: count('posts') };
}

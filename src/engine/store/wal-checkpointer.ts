import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import { PRUNE_BUSY_RETRIES, PRUNE_PAGE_ROWS, PRUNE_WORKER_SOURCE, type PruneReply, type PruneResult } from './prune-expired.js';
import { CATCH_UP_CONFIG, CATCH_UP_WORKER_SOURCE, countCatchUp, newCatchUpStats, type CatchUpResult, type CatchUpStats } from './rollup-catch-up.js';

/**
 * WAL checkpoints off the engine's event loop. By default SQLite checkpoints inside the commit that
 * takes the WAL past 1000 pages: that commit copies ~4 MB into the database file and fsyncs it on the
 * loop, a stall every second or two under load that every lead in flight waits behind. Instead the
 * engine's connection never checkpoints (`wal_autocheckpoint = 0`) and a worker thread with its own
 * connection runs a PASSIVE checkpoint every `intervalMs`: it copies what is committed without
 * blocking the writer or any reader, and a WAL that is fully copied starts over at the next commit.
 * Durability is unchanged: a commit is durable once it is in the WAL, checkpointed or not.
 *
 * When the store's writer thread does not fold the ping and post rows past the rollups' watermarks
 * into the rollups itself (`rollup-catch-up.ts`; it does while it runs), this worker does, before each
 * checkpoint, in one short IMMEDIATE transaction; when the engine's writer holds the lock past a short
 * wait, that tick's catch-up is skipped and the next one does it.
 * When asked (`prune`), it deletes expired fingerprints and idempotency keys (`prune-expired.ts`).
 */

export interface WalCheckpointStats {
  checkpoints: number;
  /** Pages copied into the database file so far. */
  pagesCopied: number;
  /** Longest checkpoint, ms (in the worker: the event loop never waited for it). */
  maxMs: number;
  /** The last error a checkpoint met (a full disk, say); checkpoints go on being tried. */
  lastError: string | null;
}

// Plain JavaScript run with `eval`, so the worker needs no bundling or loader of its own; it gets the
// path of better-sqlite3 as resolved by this module.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const done = new Int32Array(workerData.done);
const db = new Database(workerData.file, { fileMustExist: true });
// A PASSIVE checkpoint never waits for a lock; the rollup catch-up waits this long for the writer's.
db.pragma('busy_timeout = ' + workerData.rollups.busyMs);
// Rollups are derived from rows already durable: a catch-up's commit need not fsync while it holds the lock.
db.pragma('synchronous = NORMAL');
${CATCH_UP_WORKER_SOURCE}
// The store's writer thread, when it runs, folds the tails in itself (no lock to wait for): then only
// when it stops does this worker take the catch-up over ('rollups' message).
let catchUp = workerData.rollups.enabled ? rollupCatchUp(db, workerData.rollups) : null;
// A catch-up that had more rows than one range is followed by another soon, not a whole tick later;
// each holds the write lock for a few milliseconds only, and the writer gets it in between.
let behind = null;
const rollupStep = () => {
  behind = null;
  let r;
  try {
    r = catchUp();
  } catch (err) {
    r = { rows: 0, busy: false, full: false, ms: 0, error: String(err && err.message || err) };
  }
  if (r.full) behind = setTimeout(onlyRollups, workerData.rollups.behindMs);
  return r;
};
const onlyRollups = () => parentPort.postMessage({ rollup: rollupStep() });
const tick = () => {
  const rollup = behind === null && catchUp !== null ? rollupStep() : null;
  const t = performance.now();
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, copied: r ? r.checkpointed : 0, ms: performance.now() - t, rollup });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.message || err), ms: performance.now() - t, rollup });
  }
};
${PRUNE_WORKER_SOURCE}
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m && m.kind === 'prune') return prune(m);
  if (m && m.kind === 'rollups') {
    catchUp ??= rollupCatchUp(db, workerData.rollups);
    return;
  }
  if (m !== 'stop') return;
  stopPruning();
  clearInterval(timer);
  if (behind !== null) clearTimeout(behind);
  try { db.close(); } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    parentPort.close();
  }
});
`;

const STOP_WAIT_MS = 5000;
/** How long the catch-up waits for the engine writer's lock before skipping a tick. */
const ROLLUP_BUSY_MS = 20;

export class WalCheckpointer {
  readonly stats: WalCheckpointStats = { checkpoints: 0, pagesCopied: 0, maxMs: 0, lastError: null };
  /** The rollup catch-ups this worker ran (their time includes the wait for the writer's lock; `busy`: ticks skipped because it was held past the wait). */
  readonly rollupStats: CatchUpStats = newCatchUpStats();
  private readonly worker: Worker;
  private readonly done = new SharedArrayBuffer(4);
  private stopped = false;
  private alive = true;
  private readonly prunes = new Map<number, { resolve: (r: PruneResult) => void; reject: (e: Error) => void }>();
  private nextPrune = 1;

  /**
   * `writerPragma`: the same settings on the connection that commits the write queue's batches,
   * when that is not `db` (the writer thread's). `foldRollups: false`: the writer thread folds the
   * rollup tails in, not this worker, until `foldRollups()` is called.
   */
  constructor(private readonly db: Database, file: string, intervalMs = 1000, private readonly writerPragma?: (sql: string) => unknown, opts: { foldRollups?: boolean } = {}) {
    db.pragma('wal_autocheckpoint = 0');
    writerPragma?.('wal_autocheckpoint = 0');
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    const rollups = { ...CATCH_UP_CONFIG, busyMs: ROLLUP_BUSY_MS, enabled: opts.foldRollups !== false };
    const prune = { pageRows: PRUNE_PAGE_ROWS, busyRetries: PRUNE_BUSY_RETRIES };
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath, file, intervalMs, done: this.done, rollups, prune } });
    this.worker.unref();
    this.worker.on('message', (m: { ok?: boolean; copied?: number; ms?: number; error?: string; rollup?: CatchUpResult | null; prune?: PruneReply }) => {
      if (m.prune) return this.settlePrune(m.prune);
      if (m.rollup) countCatchUp(this.rollupStats, m.rollup);
      // A catch-up between two ticks comes alone.
      if (m.ok === undefined || m.ms === undefined) return;
      this.stats.checkpoints += 1;
      this.stats.maxMs = Math.max(this.stats.maxMs, m.ms);
      if (m.ok) this.stats.pagesCopied += Math.max(0, m.copied ?? 0);
      else this.stats.lastError = m.error ?? 'checkpoint failed';
    });
    // A worker that cannot start (or dies) leaves checkpoints to SQLite's own, on the loop.
    this.worker.on('error', (err) => {
      this.stats.lastError = err.message;
      this.alive = false;
      this.failPrunes(err);
      this.restoreAutocheckpoint();
    });
    this.worker.on('exit', () => {
      this.alive = false;
      this.failPrunes(new Error('the checkpoint worker exited'));
    });
  }

  /** Whether the worker runs: prune() needs it. */
  get running(): boolean {
    return this.alive && !this.stopped;
  }

  /** From now on this worker folds the rollup tails in (the writer thread that did has stopped). */
  foldRollups(): void {
    if (this.running) this.worker.postMessage({ kind: 'rollups' });
  }

  /**
   * Deletes duplicate fingerprints older than `fingerprintsBefore` and idempotency keys older than
   * `keysBefore` in the worker, a page per short transaction, off the event loop. Resolves with
   * what was deleted, and the error that stopped the run early, if one did (rejects if the worker is gone).
   */
  prune(before: { fingerprintsBefore: number; keysBefore: number }): Promise<PruneResult> {
    if (!this.running) return Promise.reject(new Error('the checkpoint worker is not running'));
    const id = this.nextPrune++;
    return new Promise((resolve, reject) => {
      this.prunes.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'prune', id, ...before });
    });
  }

  private settlePrune(r: PruneReply): void {
    const waiter = this.prunes.get(r.id);
    if (!waiter) return;
    this.prunes.delete(r.id);
    waiter.resolve({ fingerprints: r.fingerprints, keys: r.keys, error: r.error ?? null });
  }

  private failPrunes(err: Error): void {
    const waiting = [...this.prunes.values()];
    this.prunes.clear();
    for (const w of waiting) w.reject(err);
  }

  /**
   * Stops the worker and waits (briefly, synchronously) until its connection is closed, so the
   * engine's own close is the last one and leaves a checkpointed database with no WAL behind.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.failPrunes(new Error('the checkpoint worker stopped'));
    if (this.alive) {
      this.worker.postMessage('stop');
      Atomics.wait(new Int32Array(this.done), 0, 0, STOP_WAIT_MS);
    }
    void this.worker.terminate();
    this.restoreAutocheckpoint();
  }

  private restoreAutocheckpoint(): void {
    try {
      if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      this.writerPragma?.('wal_autocheckpoint = 1000');
    } catch {
      // The connection is closing; nothing to restore.
    }
  }
}

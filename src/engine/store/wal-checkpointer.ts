import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';

/**
 * WAL checkpoints off the engine's event loop. By default SQLite checkpoints inside the commit that
 * takes the WAL past 1000 pages: that commit copies ~4 MB into the database file and fsyncs it on the
 * loop, a stall every second or two under load that every lead in flight waits behind. Instead the
 * engine's connection never checkpoints (`wal_autocheckpoint = 0`) and a worker thread with its own
 * connection runs a PASSIVE checkpoint every `intervalMs`: it copies what is committed without
 * blocking the writer or any reader, and a WAL that is fully copied starts over at the next commit.
 * Durability is unchanged: a commit is durable once it is in the WAL, checkpointed or not.
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
db.pragma('busy_timeout = 0');
const tick = () => {
  const t = performance.now();
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, copied: r ? r.checkpointed : 0, ms: performance.now() - t });
  } catch (err) {
    parentPort.postMessage({ ok: false, error: String(err && err.message || err), ms: performance.now() - t });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  try { db.close(); } finally {
    Atomics.store(done, 0, 1);
    Atomics.notify(done, 0);
    parentPort.close();
  }
});
`;

const STOP_WAIT_MS = 5000;

export class WalCheckpointer {
  readonly stats: WalCheckpointStats = { checkpoints: 0, pagesCopied: 0, maxMs: 0, lastError: null };
  private readonly worker: Worker;
  private readonly done = new SharedArrayBuffer(4);
  private stopped = false;
  private alive = true;

  /**
   * `writerPragma`: the same settings on the connection that commits the write queue's batches,
   * when that is not `db` (the writer thread's).
   */
  constructor(private readonly db: Database, file: string, intervalMs = 1000, private readonly writerPragma?: (sql: string) => unknown) {
    db.pragma('wal_autocheckpoint = 0');
    writerPragma?.('wal_autocheckpoint = 0');
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath, file, intervalMs, done: this.done } });
    this.worker.unref();
    this.worker.on('message', (m: { ok: boolean; copied?: number; ms: number; error?: string }) => {
      this.stats.checkpoints += 1;
      this.stats.maxMs = Math.max(this.stats.maxMs, m.ms);
      if (m.ok) this.stats.pagesCopied += Math.max(0, m.copied ?? 0);
      else this.stats.lastError = m.error ?? 'checkpoint failed';
    });
    // A worker that cannot start (or dies) leaves checkpoints to SQLite's own, on the loop.
    this.worker.on('error', (err) => {
      this.stats.lastError = err.message;
      this.alive = false;
      this.restoreAutocheckpoint();
    });
    this.worker.on('exit', () => {
      this.alive = false;
    });
  }

  /**
   * Stops the worker and waits (briefly, synchronously) until its connection is closed, so the
   * engine's own close is the last one and leaves a checkpointed database with no WAL behind.
   */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
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

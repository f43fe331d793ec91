import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { ReadSteps } from './read-steps.js';
import { ERROR_OF_SOURCE, rebuildError, type WireError } from './worker-error.js';

/**
 * Report queries off the event loop: a worker thread with its own connection to the database file
 * (query_only) runs the reads of a query written as ReadSteps, in one read transaction, and answers
 * each with its rows; the query's own code (adding up rollups and ragged ends) stays on the loop,
 * which waits for nothing but messages. Over a million auctions a report's reads take tens of
 * milliseconds, a stall every lead in flight would otherwise wait behind.
 *
 * One query at a time (the next waits its turn), so each one reads one snapshot. If the thread
 * cannot start or stops, `run` rejects with ReadThreadStopped and the store runs the query itself.
 */

// Plain JavaScript run with `eval`, like the writer thread: no bundling or loader needed.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const done = new Int32Array(workerData.done);
${ERROR_OF_SOURCE}
let db = null;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('query_only = 1');
  db.pragma('busy_timeout = ' + workerData.busyMs);
} catch (err) {
  parentPort.postMessage({ kind: 'failed', error: errorOf(err) });
}
const statements = new Map();
const prepared = (sql) => {
  let s = statements.get(sql);
  if (!s) statements.set(sql, (s = db.prepare(sql)));
  return s;
};
parentPort.on('message', (m) => {
  if (m.kind === 'close') {
    try { if (db) db.close(); } finally {
      Atomics.store(done, 0, 1);
      Atomics.notify(done, 0);
      parentPort.close();
    }
    return;
  }
  try {
    let value = null;
    if (m.kind === 'begin') db.exec('BEGIN');
    else if (m.kind === 'end') { if (db.inTransaction) db.exec('COMMIT'); }
    else if (m.mode === 'get') value = prepared(m.sql).get(...m.args);
    else {
      // Many rows go in parts: the loop copies each part in a turn of its own, not all of them in one.
      value = [];
      for (const row of prepared(m.sql).iterate(...m.args)) {
        value.push(row);
        if (value.length === workerData.partRows) {
          parentPort.postMessage({ kind: 'part', id: m.id, rows: value });
          value = [];
        }
      }
    }
    parentPort.postMessage({ kind: 'reply', id: m.id, value });
  } catch (err) {
    parentPort.postMessage({ kind: 'reply', id: m.id, error: errorOf(err) });
  }
});
`;

type Request = { kind: 'begin' } | { kind: 'end' } | { kind: 'read'; sql: string; args: unknown[]; mode: 'get' | 'all' };
type Reply = { kind: 'failed'; error: WireError } | { kind: 'part'; id: number; rows: unknown[] } | { kind: 'reply'; id: number; value?: unknown; error?: WireError };


/** The thread is gone (or never started): the caller runs the query on its own connection. */
export class ReadThreadStopped extends Error {}

const CLOSE_WAIT_MS = 5000;
/** A report waits this long for a lock (a read needs one only while a WAL is being reset). */
const BUSY_MS = 1000;
/**
 * Rows per message: copying a message into the loop's heap takes the loop about 0.7 µs a row, so a
 * 10,000-row answer (a day's latency bins per quarter hour) would hold it 7 ms in one piece.
 */
const PART_ROWS = 1000;

export class ReadThread {
  /** Queries answered by the thread, their reads, and the parts long answers came in: for health and tests. */
  readonly stats = { queries: 0, reads: 0, parts: 0 };
  private readonly worker: Worker;
  private readonly done = new SharedArrayBuffer(4);
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; parts: unknown[][] }>();
  private nextId = 1;
  private turn: Promise<void> = Promise.resolve();
  private stopped: Error | null = null;
  private exited = false;

  constructor(file: string) {
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modulePath, file, busyMs: BUSY_MS, partRows: PART_ROWS, done: this.done } });
    this.worker.unref();
    this.worker.on('message', (r: Reply) => this.take(r));
    this.worker.on('error', (err) => this.stop(err));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.stop(new Error(`the read thread exited (code ${code})`));
    });
  }

  get alive(): boolean {
    return this.stopped === null;
  }

  /** Runs a query's reads in the thread, one snapshot, after the queries before it. */
  run<T>(steps: () => ReadSteps<T>): Promise<T> {
    const mine = this.turn.then(() => this.runNow(steps()));
    this.turn = mine.then(
      () => undefined,
      () => undefined,
    );
    return mine;
  }

  /** Closes the thread's connection (waiting for it, briefly and synchronously), then ends the thread. */
  close(): void {
    if (this.exited) return;
    this.stop(new Error('the read thread is closed'));
    this.exited = true;
    this.worker.postMessage({ kind: 'close' });
    Atomics.wait(new Int32Array(this.done), 0, 0, CLOSE_WAIT_MS);
    void this.worker.terminate();
  }

  /** For tests: ends the thread as a crash would. */
  killForTest(): Promise<number> {
    return this.worker.terminate();
  }

  private async runNow<T>(steps: ReadSteps<T>): Promise<T> {
    await this.send({ kind: 'begin' });
    try {
      let r = steps.next();
      while (!r.done) {
        const read = r.value;
        const rows = await this.send({ kind: 'read', sql: read.stmt.source, args: read.args, mode: read.mode });
        this.stats.reads += 1;
        r = steps.next(rows);
      }
      this.stats.queries += 1;
      return r.value;
    } finally {
      if (this.alive) await this.send({ kind: 'end' }).catch(() => undefined);
    }
  }

  private send(req: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(new ReadThreadStopped(this.stopped.message));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, parts: [] });
      // Only a query waiting for its rows keeps the process alive.
      this.worker.ref();
      this.worker.postMessage({ ...req, id });
    });
  }

  private take(r: Reply): void {
    if (r.kind === 'failed') {
      this.stop(rebuildError(r.error));
      return;
    }
    const waiter = this.pending.get(r.id);
    if (!waiter) return;
    if (r.kind === 'part') {
      this.stats.parts += 1;
      waiter.parts.push(r.rows);
      return;
    }
    this.pending.delete(r.id);
    if (this.pending.size === 0) this.worker.unref();
    if (r.error) waiter.reject(rebuildError(r.error));
    else if (waiter.parts.length) waiter.resolve(waiter.parts.flat().concat(r.value as unknown[]));
    else waiter.resolve(r.value);
  }

  private stop(reason: Error): void {
    if (this.stopped) return;
    this.stopped = reason;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    this.worker.unref();
    for (const w of waiting) w.reject(new ReadThreadStopped(reason.message));
  }
}

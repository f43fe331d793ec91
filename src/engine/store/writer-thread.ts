import { createRequire } from 'node:module';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import type { Statement } from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';
import type { BatchOutcome, BatchRunner, BatchWrite } from './batch-runner.js';
import { SQLITE_STORAGE_CODES } from './storage-fault.js';
import { CATCH_UP_CONFIG, CATCH_UP_WORKER_SOURCE, countCatchUp, newCatchUpStats, type CatchUpResult, type CatchUpStats } from './rollup-catch-up.js';
import { ERROR_OF_SOURCE, rebuildError, type WireError } from './worker-error.js';

/**
 * The write queue's batches committed by a worker thread with its own connection to the same file,
 * so the engine's event loop only queues: SQLite's work and the commit's fsync happen off the loop.
 * The worker runs the whole attempt (one IMMEDIATE transaction; after a failure that is not a storage
 * fault, each write in its own savepoint) and answers with the outcome; the queue keeps all the
 * bookkeeping. One batch at a time.
 *
 * Each batch also writes `meta.writer_batch` (its number and skipped writes) in its transaction, so
 * if the thread dies with a batch in flight, the main thread can tell whether that batch committed.
 *
 * Replies come on a dedicated MessageChannel; the worker bumps a counter in shared memory and
 * notifies it after each, so the main thread can also wait for one synchronously (Atomics.wait, then
 * receiveMessageOnPort) for start-up, erasure, recovery and close.
 */

/** meta key the writer thread stamps in each batch's transaction. */
export const WRITER_BATCH_KEY = 'writer_batch';

// Plain JavaScript run with `eval`, like the WAL checkpointer: no bundling or loader needed; it gets
// better-sqlite3's path as resolved by this module.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.modulePath);
const { port, file, pragmas, faultCodes, markerKey } = workerData;
const signal = new Int32Array(workerData.signal);
process.on('exit', () => { Atomics.store(signal, 1, 1); Atomics.notify(signal, 0); });
const reply = (m) => { port.postMessage(m); Atomics.add(signal, 0, 1); Atomics.notify(signal, 0); };
${ERROR_OF_SOURCE}
const isFault = (err) => { const c = err && err.code; return typeof c === 'string' && faultCodes.some((f) => c === f || c.startsWith(f + '_')); };
const blob = (v) => (v instanceof Uint8Array && !Buffer.isBuffer(v) ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : v);
const bind = (params) => {
  for (let i = 0; i < params.length; i++) {
    const p = params[i];
    if (p instanceof Uint8Array) params[i] = blob(p);
    else if (p !== null && typeof p === 'object') for (const k of Object.keys(p)) p[k] = blob(p[k]);
  }
  return params;
};
const open = () => {
  try {
    const conn = new Database(file, { fileMustExist: true });
    for (const p of pragmas) conn.pragma(p);
    return conn;
  } catch (err) {
    reply({ kind: 'failed', error: errorOf(err) });
    port.close();
    return null;
  }
};
const db = open();
if (db) serve(db);
function serve(db) {
const statements = new Map();
const marker = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
const runOne = db.transaction((stmt, params) => { stmt.run(...params); });
const runAll = db.transaction((b) => {
  for (let i = 0; i < b.s.length; i++) statements.get(b.s[i]).run(...bind(b.p[i]));
  marker.run(markerKey, JSON.stringify({ batch: b.id, dropped: [] }));
});
const runIsolated = db.transaction((b) => {
  const critical = new Set(b.c);
  const dropped = [];
  let first = null;
  for (let i = 0; i < b.s.length; i++) {
    try {
      runOne(statements.get(b.s[i]), bind(b.p[i]));
    } catch (err) {
      if (critical.has(i) || isFault(err)) throw err;
      if (dropped.length === 0) first = err;
      dropped.push(i);
    }
  }
  marker.run(markerKey, JSON.stringify({ batch: b.id, dropped }));
  return { dropped, first };
});
const rollbackIfOpen = () => { if (db.inTransaction) { try { db.exec('ROLLBACK'); } catch {} } };
const attempt = (b) => {
  try {
    runAll.immediate(b);
    return { kind: 'committed', dropped: [], firstDropped: null };
  } catch (first) {
    rollbackIfOpen();
    if (isFault(first)) return { kind: 'retained', error: errorOf(first) };
    try {
      const r = runIsolated.immediate(b);
      return { kind: 'committed', dropped: r.dropped, firstDropped: r.first && errorOf(r.first), retried: errorOf(first) };
    } catch (second) {
      rollbackIfOpen();
      return { kind: isFault(second) ? 'retained' : 'lost', error: errorOf(second), retried: errorOf(first) };
    }
  }
};
${CATCH_UP_WORKER_SOURCE}
// The rollup tails, folded in between batches once asked ('rollups'): on this connection, so there is no
// lock to wait for and its pages are the ones the batches just wrote. A fold never waits long for a
// lock another connection holds: it is skipped, and the next one comes a tick later.
let folding = null;
let foldTimer = null;
const foldStep = () => {
  foldTimer = null;
  const waitMs = db.pragma('busy_timeout', { simple: true });
  db.pragma('busy_timeout = ' + workerData.rollups.busyMs);
  let r;
  try {
    r = folding();
  } catch (err) {
    rollbackIfOpen();
    r = { rows: 0, busy: false, full: false, ms: 0, error: String((err && err.message) || err) };
  } finally {
    db.pragma('busy_timeout = ' + waitMs);
  }
  if (r.rows > 0 || r.busy || r.error) reply({ kind: 'rollup', result: r });
  foldTimer = setTimeout(foldStep, r.full ? workerData.rollups.behindMs : workerData.rollups.intervalMs);
};
let crash = null;
port.on('message', (m) => {
  if (m.kind === 'batch') {
    if (crash === 'before-commit') process.exit(70);
    let outcome;
    try {
      for (const [id, sql] of m.prepare) statements.set(id, db.prepare(sql));
      outcome = attempt(m);
    } catch (err) {
      rollbackIfOpen();
      outcome = { kind: isFault(err) ? 'retained' : 'lost', error: errorOf(err) };
    }
    if (crash === 'after-commit') process.exit(70);
    reply({ kind: 'batch', id: m.id, outcome });
  } else if (m.kind === 'crash') {
    if (m.when === 'now') process.exit(70);
    crash = m.when;
  } else if (m.kind === 'pragma') {
    try { reply({ kind: 'pragma', id: m.id, value: db.pragma(m.sql) }); } catch (err) { reply({ kind: 'pragma', id: m.id, error: errorOf(err) }); }
  } else if (m.kind === 'rollups') {
    if (folding === null) {
      folding = rollupCatchUp(db, workerData.rollups);
      foldTimer = setTimeout(foldStep, 0);
    }
  } else if (m.kind === 'close') {
    if (foldTimer !== null) clearTimeout(foldTimer);
    try { db.close(); } finally { reply({ kind: 'closed' }); port.close(); }
  }
});
reply({ kind: 'ready' });
}
`;

type WireOutcome =
  | { kind: 'committed'; dropped: number[]; firstDropped: WireError | null; retried?: WireError }
  | { kind: 'retained' | 'lost'; error: WireError; retried?: WireError };
type Reply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: WireError }
  | { kind: 'batch'; id: number; outcome: WireOutcome }
  | { kind: 'pragma'; id: number; value?: unknown; error?: WireError }
  | { kind: 'rollup'; result: CatchUpResult }
  | { kind: 'closed' };

export interface WriterThreadOptions {
  /** The database file (it must exist: the store's own connection created and migrated it). */
  file: string;
  /** Connection settings, as the store's own connection has them (see connectionPragmas). */
  pragmas: readonly string[];
  /** Reads `meta.writer_batch` on the store's connection: whether a batch in flight committed. */
  readMarker: () => string | null;
  /** Runs a batch whose values cannot be copied to the thread (the store's own connection). */
  fallback: BatchRunner;
  /** Told once when the thread stops on its own (before the batch in flight, if any, is settled). */
  onStopped: (reason: Error) => void;
}

/** How long a fold of the rollup tails waits for a lock another connection holds before it is skipped. */
const FOLD_BUSY_MS = 20;
/** How long start-up waits for the worker to open its connection before writes stay on the main thread. */
const START_WAIT_MS = 10_000;
/** How long a synchronous wait gives one batch (a locked file waits busy_timeout at most, far less). */
const SETTLE_WAIT_MS = 60_000;

interface InFlight {
  id: number;
  done: (outcome: BatchOutcome) => void;
}

/** The writer thread's side in the main thread. `start()` returns null when the thread cannot start. */
export class WriterThread implements BatchRunner {
  readonly where = 'writer thread' as const;
  private readonly signal = new Int32Array(new SharedArrayBuffer(8));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  /** Statement ids, by object for speed and by SQL text so the thread prepares each text once, however often it is prepared here. */
  private readonly statementIds = new WeakMap<Statement, number>();
  private readonly sqlIds = new Map<string, number>();
  private nextStatementId = 1;
  private nextId = 1;
  private inFlight: InFlight | null = null;
  private stopped = false;
  /** The rollup catch-ups this thread ran (after `foldRollups()`). */
  readonly rollupStats: CatchUpStats = newCatchUpStats();

  static start(opts: WriterThreadOptions, log: (msg: string, err: unknown) => void): WriterThread | null {
    let thread: WriterThread | null = null;
    try {
      thread = new WriterThread(opts);
      const first = thread.waitFor(START_WAIT_MS, (r) => r.kind === 'ready' || r.kind === 'failed');
      if (first?.kind === 'ready') return thread;
      thread.kill();
      log('store writer thread did not start; writes commit on the main thread', first?.kind === 'failed' ? rebuildError(first.error) : new Error('no answer'));
      return null;
    } catch (err) {
      thread?.kill();
      log('store writer thread did not start; writes commit on the main thread', err);
      return null;
    }
  }

  private constructor(private readonly opts: WriterThreadOptions) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const modulePath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { rollups: { ...CATCH_UP_CONFIG, busyMs: FOLD_BUSY_MS }, modulePath, file: opts.file, pragmas: opts.pragmas, faultCodes: SQLITE_STORAGE_CODES, markerKey: WRITER_BATCH_KEY, port: port2, signal: this.signal.buffer },
      transferList: [port2],
    });
    this.worker.unref();
    this.worker.on('error', (err) => this.died(err));
    this.worker.on('exit', (code) => this.died(new Error(`the writer thread exited (code ${code})`)));
    this.port.on('message', (r: Reply) => this.take(r));
    // Only a batch in flight keeps the process alive (see run / take).
    this.port.unref();
  }

  run(writes: readonly BatchWrite[], done: (outcome: BatchOutcome) => void): void {
    if (this.inFlight) throw new PingdeskError('internal', 'A batch is already in flight');
    if (this.stopped) {
      done(stoppedOutcome(new Error('the writer thread has stopped')));
      return;
    }
    const id = this.nextId++;
    const s: number[] = new Array<number>(writes.length);
    const p: unknown[][] = new Array<unknown[]>(writes.length);
    const c: number[] = [];
    const prepare: Array<[number, string]> = [];
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i];
      let sid = this.statementIds.get(w.stmt);
      if (sid === undefined) {
        sid = this.sqlIds.get(w.stmt.source);
        if (sid === undefined) {
          sid = this.nextStatementId++;
          this.sqlIds.set(w.stmt.source, sid);
          prepare.push([sid, w.stmt.source]);
        }
        this.statementIds.set(w.stmt, sid);
      }
      s[i] = sid;
      p[i] = w.params;
      if (w.critical) c.push(i);
    }
    this.inFlight = { id, done };
    this.port.ref();
    try {
      this.port.postMessage({ kind: 'batch', id, s, p, c, prepare });
    } catch {
      // A value that cannot be copied to the thread: nothing was sent, and no statement is known there.
      const unsent = new Set<number>();
      for (const [sid, sql] of prepare) {
        unsent.add(sid);
        this.sqlIds.delete(sql);
      }
      for (const w of writes) if (unsent.has(this.statementIds.get(w.stmt) ?? 0)) this.statementIds.delete(w.stmt);
      this.inFlight = null;
      this.port.unref();
      // Run where such a value can be bound or refused row by row, as it always was.
      this.opts.fallback.run(writes, done);
    }
  }

  settle(): void {
    if (!this.inFlight) return;
    const id = this.inFlight.id;
    this.waitFor(SETTLE_WAIT_MS, (r) => r.kind === 'batch' && r.id === id);
    if (!this.inFlight || this.inFlight.id !== id) return;
    if (this.exited()) {
      this.died(new Error('the writer thread exited'));
      return;
    }
    throw new PingdeskError('internal', `The store's writer thread has not answered in ${SETTLE_WAIT_MS / 1000} s`);
  }

  pragma(sql: string): unknown {
    if (this.stopped) throw new PingdeskError('internal', 'The writer thread has stopped');
    this.settle();
    const id = this.nextId++;
    this.port.postMessage({ kind: 'pragma', id, sql });
    const reply = this.waitFor(START_WAIT_MS, (r) => r.kind === 'pragma' && r.id === id) as Extract<Reply, { kind: 'pragma' }> | null;
    if (!reply) throw new PingdeskError('internal', 'The writer thread did not answer');
    if (reply.error) throw rebuildError(reply.error);
    return reply.value;
  }

  /**
   * From now on the thread folds the ping and post tails into the report rollups between batches,
   * every second (see rollup-catch-up.ts), instead of the WAL checkpointer's worker.
   */
  foldRollups(): void {
    if (!this.stopped) this.port.postMessage({ kind: 'rollups' });
  }

  /** Commits nothing more: closes the thread's connection (waiting for it, synchronously), then ends the thread. */
  close(): void {
    if (this.stopped) return;
    try {
      this.settle();
    } catch {
      // Closing anyway; the batch's outcome is read from the marker below, if the thread dies first.
    }
    this.stopped = true;
    if (!this.exited()) {
      this.port.postMessage({ kind: 'close' });
      this.waitFor(START_WAIT_MS, (r) => r.kind === 'closed');
    }
    this.kill();
  }

  /**
   * For tests: the thread exits as a crash would, at once or with the next batch (before it begins,
   * or once it is committed but before the answer). Not `worker.terminate()`: terminating a thread
   * inside a better-sqlite3 call that throws aborts the whole process.
   */
  crashForTest(when: 'now' | 'before-commit' | 'after-commit'): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.port.postMessage({ kind: 'crash', when });
    return exited;
  }

  private kill(): void {
    this.stopped = true;
    this.port.close();
    void this.worker.terminate();
  }

  private exited(): boolean {
    return Atomics.load(this.signal, 1) === 1;
  }

  /** Handles replies synchronously until `until` matches one (returned) or the time is up / the thread exited (null). */
  private waitFor(timeoutMs: number, until: (r: Reply) => boolean): Reply | null {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      let got = receiveMessageOnPort(this.port);
      while (got) {
        const r = got.message as Reply;
        this.take(r);
        if (until(r)) return r;
        got = receiveMessageOnPort(this.port);
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.exited()) return null;
      Atomics.wait(this.signal, 0, seen, Math.min(left, 100));
    }
  }

  private take(r: Reply): void {
    if (r.kind === 'rollup') return countCatchUp(this.rollupStats, r.result);
    if (r.kind !== 'batch') return;
    const flight = this.inFlight;
    if (!flight || flight.id !== r.id) return;
    this.inFlight = null;
    this.port.unref();
    flight.done(fromWire(r.outcome));
  }

  /** The thread is gone: writes go to the main thread from now on; the batch in flight is settled from the marker. */
  private died(reason: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    // A reply that made it before the end still counts.
    let got = receiveMessageOnPort(this.port);
    while (got) {
      this.take(got.message as Reply);
      got = receiveMessageOnPort(this.port);
    }
    this.port.close();
    this.opts.onStopped(reason);
    const flight = this.inFlight;
    if (!flight) return;
    this.inFlight = null;
    flight.done(this.outcomeFromMarker(flight.id, reason));
  }

  private outcomeFromMarker(id: number, reason: Error): BatchOutcome {
    try {
      const raw = this.opts.readMarker();
      const marker = raw ? (JSON.parse(raw) as { batch: number; dropped: number[] }) : null;
      if (marker?.batch === id) {
        const dropped = new Set(marker.dropped);
        return { kind: 'committed', dropped, firstDropped: dropped.size ? new PingdeskError('internal', 'A write was skipped by the writer thread, which stopped before saying why') : null };
      }
    } catch {
      // Unknown marker: the batch did not commit as far as anyone can tell; retain it.
    }
    return stoppedOutcome(reason);
  }
}

function stoppedOutcome(reason: Error): BatchOutcome {
  // A storage fault (the queue retains the batch), described once: StorageStatus adds "Storage is unavailable (…)".
  return { kind: 'retained', error: new PingdeskError('storage_unavailable', `the store's writer thread stopped: ${reason.message}`, { cause: reason }) };
}

function fromWire(o: WireOutcome): BatchOutcome {
  const retried = o.retried ? rebuildError(o.retried) : undefined;
  if (o.kind === 'committed') return { kind: 'committed', dropped: new Set(o.dropped), firstDropped: o.firstDropped ? rebuildError(o.firstDropped) : null, retried };
  return { kind: o.kind, error: rebuildError(o.error), retried };
}

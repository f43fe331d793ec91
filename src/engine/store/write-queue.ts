import type { Database, Statement } from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';
import { InThreadRunner, type BatchOutcome, type BatchRunner, type BatchWrite } from './batch-runner.js';
import { StorageStatus, type StorageState } from './storage-status.js';
import { WRITER_BATCH_KEY, WriterThread } from './writer-thread.js';

export type { StorageState } from './storage-status.js';

export type StoreLog = (level: 'debug' | 'info' | 'warn' | 'error', msg: string, obj?: Record<string, unknown>) => void;

/** One bound statement waiting for the next batch. */
export interface WriteOp {
  stmt: Statement;
  params: unknown[];
  /**
   * A critical op cannot be skipped without corrupting what follows it (an audit event: the chain
   * would have a hole), so its failure fails the whole batch.
   */
  critical?: boolean;
  /** Called once the op is committed (true) or lost with its batch or skipped (false). */
  settled?: (committed: boolean) => void;
}

/** Lets a component add writes to every batch transaction and react to its outcome. */
export interface BatchHook {
  /**
   * Writes to append to the batch about to run, in its transaction (the audit chain's head). Asked
   * once per batch when it starts; they are critical: their failure fails the batch.
   */
  beforeCommit?: () => readonly BatchWrite[] | void;
  afterCommit?: () => void;
  afterRollback?: () => void;
}

interface Waiter {
  resolve: () => void;
  reject: (err: unknown) => void;
}

export interface WriteQueueOptions {
  log: StoreLog;
  /**
   * A batch this large commits at once instead of waiting for the next turn of the event loop. A
   * commit blocks the loop for roughly 8 µs per write on a small machine, so 1000 keeps it under ~10 ms.
   * With the writer thread a batch this large starts at once if none is in flight.
   */
  maxOps?: number;
  readonly?: boolean;
  /** How often retained writes are tried again while the storage is unavailable (default 1000 ms). */
  probeIntervalMs?: number;
  now?: () => number;
  /**
   * Commit in a worker thread with its own connection to this file (see writer-thread.ts), with these
   * connection settings. Without it (or if the thread cannot start) batches commit on `db`, in-thread.
   */
  writerThread?: { file: string; pragmas: readonly string[] };
  /** Told when the writer thread stops and batches commit on the main thread from then on. */
  onWriterStopped?: () => void;
}

/** A batch on its way: the queued ops it carries (hook writes come after them) and who waits for it. */
interface Batch {
  ops: WriteOp[];
  waiters: Waiter[];
  /** What a synchronous caller throws: set when the batch is settled. */
  error: unknown;
}

/**
 * Group commit for the hot path. Writers enqueue synchronously; everything enqueued during one turn of
 * the event loop commits in one transaction on setImmediate, so a thousand leads cost one commit,
 * not a thousand. `flush()` resolves once everything enqueued before the call is durable.
 *
 * Where a batch commits is the runner's business (batch-runner.ts): on the store's own connection, or
 * in the writer thread (writer-thread.ts) so the event loop never waits for SQLite. At most one batch
 * is in flight; what is enqueued meanwhile forms the next one, so batches grow under load.
 *
 * Two kinds of failure. A bad row (a constraint) is isolated: each op is retried in its own savepoint
 * and the bad ones are skipped. A storage fault (disk full, I/O error, locked, corrupt or read-only
 * file: see storage-fault.ts) fails every op alike, so the batch is RETAINED in order instead: the queue
 * becomes unavailable, flush waiters are rejected at once with `storage_unavailable`, later writes
 * queue up behind the retained ones, and a probe retries the whole lot every `probeIntervalMs` until
 * it commits. Nothing is lost or reordered, so the audit chain's in-memory head stays valid.
 */
export class WriteQueue {
  private ops: WriteOp[] = [];
  private waiters: Waiter[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private readonly hooks: BatchHook[] = [];
  private readonly maxOps: number;
  private closed = false;
  private readonly status: StorageStatus;
  private probe: NodeJS.Timeout | null = null;
  private readonly inThread: BatchRunner;
  private runner: BatchRunner;
  private inFlight: Batch | null = null;
  /** Counters for health reporting and tests. */
  readonly stats = { batches: 0, ops: 0, failedBatches: 0, droppedOps: 0, storageFaults: 0 };

  constructor(private readonly db: Database, private readonly opts: WriteQueueOptions) {
    this.maxOps = opts.maxOps ?? 1000;
    this.inThread = new InThreadRunner(db);
    this.runner = this.inThread;
    if (opts.writerThread && !opts.readonly) {
      const readMarker = db.prepare('SELECT value FROM meta WHERE key = ?').pluck();
      const thread = WriterThread.start(
        {
          ...opts.writerThread,
          readMarker: () => (readMarker.get(WRITER_BATCH_KEY) as string | undefined) ?? null,
          fallback: this.inThread,
          onStopped: (reason) => this.writerStopped(reason),
        },
        (msg, err) => opts.log('error', msg, { err: describe(err) }),
      );
      if (thread) this.runner = thread;
    }
    // The probe's short busy timeout goes on the connection that commits the batches and on the
    // store's own, whose direct writes (configuration, signed checkpoints) must not hold the loop either.
    const setBoth = (sql: string) => {
      if (this.runner !== this.inThread) this.runner.pragma(sql);
      this.inThread.pragma(sql);
    };
    this.status = new StorageStatus({ pragma: setBoth }, { log: opts.log, now: opts.now ?? Date.now });
  }

  addHook(hook: BatchHook): void {
    this.hooks.push(hook);
  }

  get pending(): number {
    return this.ops.length;
  }

  get available(): boolean {
    return this.status.available;
  }

  /** Where batches commit now: 'writer thread', or 'main thread' (no thread asked for, or it stopped). */
  get committer(): BatchRunner['where'] {
    return this.runner.where;
  }

  state(): StorageState {
    // A probe's batch in the writer thread is still retained until it commits.
    return this.status.state(this.ops.length + (this.inFlight?.ops.length ?? 0));
  }

  /** Told when the storage becomes unavailable and when it is available again. */
  onStateChange(listener: (state: StorageState) => void): () => void {
    return this.status.onChange(listener);
  }

  /** The error a writer gets while the storage is unavailable (null while it is available). */
  unavailableError(): PingdeskError | null {
    return this.status.error;
  }

  /**
   * Runs a pragma on the connection that commits the batches (the writer thread's, when it runs),
   * after the batch in flight. For settings that belong to the writer (wal_autocheckpoint) and tests.
   */
  writerPragma(sql: string): unknown {
    return this.runner.pragma(sql);
  }

  /**
   * Has the writer thread fold the report rollups' tails in between its batches (rollup-catch-up.ts);
   * false when batches commit on the main thread, where nothing folds them in but the WAL checkpointer.
   */
  foldRollupsInWriter(): boolean {
    if (!(this.runner instanceof WriterThread)) return false;
    this.runner.foldRollups();
    return true;
  }

  /** For tests: the writer thread, to end it as a crash would; null when batches commit in-thread. */
  writerThreadForTest(): WriterThread | null {
    return this.runner instanceof WriterThread ? this.runner : null;
  }

  enqueue(op: WriteOp): void {
    this.assertWritable();
    this.ops.push(op);
    // While unavailable, writes wait behind the retained ones; only the probe commits. While a batch
    // is in flight, the next one starts when it is done.
    if (!this.status.available || this.inFlight) return;
    if (this.ops.length >= this.maxOps) this.commit();
    else if (!this.scheduled) this.scheduled = setImmediate(() => this.commit());
  }

  /**
   * Resolves when everything enqueued before this call is committed; rejects if its batch failed, and
   * at once with `storage_unavailable` while the storage is unavailable.
   */
  flush(): Promise<void> {
    const unavailable = this.status.error;
    if (unavailable) return Promise.reject(unavailable);
    if (this.ops.length === 0 && !this.inFlight) return Promise.resolve();
    const waiters = this.ops.length === 0 && this.inFlight ? this.inFlight.waiters : this.waiters;
    return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
  }

  /**
   * Commits now, before returning (waiting for the batch in flight first); throws if the batch fails.
   * For start-up, erasure and close. While unavailable this is one more try of the retained writes.
   *
   * When the store's own connection is inside a transaction, the rest commits on that connection
   * (in-thread): the writer thread could not take the lock that transaction may hold. No caller does
   * this today; if one did, a batch already in flight would wait for that lock and be retained, not lost.
   */
  flushSync(): void {
    if (this.ops.length === 0 && !this.inFlight) return;
    let error: unknown = null;
    if (this.inFlight) {
      const batch = this.inFlight;
      this.runner.settle();
      // A retained batch is back in the queue: the batch below tries it again and its outcome is theirs.
      if (this.status.available) error = batch.error;
    }
    if (this.ops.length > 0) {
      const runner = this.db.inTransaction ? this.inThread : this.runner;
      let batch = this.commit(runner);
      runner.settle();
      // The writer thread stopped under this batch: it is retained; one more try on the main thread.
      if (runner !== this.runner && !this.status.available) {
        batch = this.commit(this.runner);
        this.runner.settle();
      }
      error = batch?.error ?? error;
    }
    if (error) throw error;
  }

  /** Commits what is pending, then refuses further writes; stops the writer thread. */
  close(): void {
    if (this.closed) return;
    if (this.probe) clearTimeout(this.probe);
    this.probe = null;
    try {
      if (!this.opts.readonly) this.flushSync();
    } catch (err) {
      if (!this.status.available) this.opts.log('error', 'store closed while unavailable: retained writes are lost', { ...this.state() });
      throw err;
    } finally {
      this.closed = true;
      if (this.scheduled) clearImmediate(this.scheduled);
      this.scheduled = null;
      this.runner.close();
    }
  }

  private assertWritable(): void {
    if (this.opts.readonly) throw new PingdeskError('read_only', 'The store is open read-only');
    if (this.closed) throw new PingdeskError('internal', 'The store is closed');
  }

  /** Starts the next batch (unless one is in flight); returns it, settled already when the runner is in-thread. */
  private commit(runner: BatchRunner = this.runner): Batch | null {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = null;
    }
    if (this.inFlight) return null;
    const ops = this.ops;
    const waiters = this.waiters;
    this.ops = [];
    this.waiters = [];
    if (ops.length === 0) {
      for (const w of waiters) w.resolve();
      return null;
    }
    const batch: Batch = { ops, waiters, error: null };
    const writes: BatchWrite[] = ops.slice();
    for (const h of this.hooks) {
      const extra = h.beforeCommit?.();
      if (extra) for (const w of extra) writes.push({ ...w, critical: true });
    }
    this.inFlight = batch;
    runner.run(writes, (outcome) => this.settleBatch(batch, outcome));
    return batch;
  }

  /** The main thread's bookkeeping of a batch's outcome, wherever it ran. */
  private settleBatch(batch: Batch, outcome: BatchOutcome): void {
    this.inFlight = null;
    const { ops, waiters } = batch;
    this.stats.batches++;
    if (outcome.retried) this.opts.log('warn', 'store write batch failed; retrying each write on its own', { ops: ops.length, err: describe(outcome.retried) });
    if (outcome.kind === 'retained') {
      this.stats.failedBatches++;
      // Writes enqueued meanwhile (by a settled callback, or while the batch was in flight) stay behind the retained ones.
      this.ops = ops.concat(this.ops);
      if (this.status.available) this.stats.storageFaults++;
      const error = this.status.fail(outcome.error, this.ops.length);
      batch.error = error;
      // Whoever waits for writes queued meanwhile waits for writes now retained: told at once too.
      const behind = this.waiters;
      this.waiters = [];
      for (const w of waiters) w.reject(error);
      for (const w of behind) w.reject(error);
      this.scheduleProbe();
      return;
    }
    if (outcome.kind === 'lost') {
      const error = outcome.error;
      batch.error = error;
      this.stats.failedBatches++;
      // Writes queued while it was in flight may build on it (the next audit event chains onto its
      // last one): they are lost with it, and said to be.
      const behind = this.ops;
      const behindWaiters = this.waiters;
      this.ops = [];
      this.waiters = [];
      this.opts.log('error', 'store write batch lost', { ops: ops.length, queuedBehind: behind.length, err: describe(error) });
      for (const h of this.hooks) h.afterRollback?.();
      for (const op of ops) op.settled?.(false);
      for (const op of behind) op.settled?.(false);
      for (const w of waiters) w.reject(error);
      for (const w of behindWaiters) w.reject(error);
      // Nothing is retained any more: what the storage refused is gone with the lost batch.
      this.recovered();
      this.scheduleNext();
      return;
    }
    const { dropped, firstDropped } = outcome;
    let droppedOps = 0;
    for (const i of dropped) if (i < ops.length) droppedOps++;
    this.stats.ops += ops.length - droppedOps;
    for (const h of this.hooks) h.afterCommit?.();
    for (let i = 0; i < ops.length; i++) ops[i].settled?.(!dropped.has(i));
    this.recovered();
    this.scheduleNext();
    if (droppedOps > 0) {
      this.stats.droppedOps += droppedOps;
      this.opts.log('error', 'store writes skipped', { dropped: droppedOps, err: describe(firstDropped) });
      batch.error = firstDropped;
      // Waiters cannot tell whose write was skipped; failing them all keeps "acknowledged" honest.
      for (const w of waiters) w.reject(firstDropped);
      return;
    }
    for (const w of waiters) w.resolve();
  }

  /** Writes queued while a batch was in flight start the next one on the next turn. */
  private scheduleNext(): void {
    if (this.ops.length === 0 || this.scheduled || this.closed || !this.status.available) return;
    this.scheduled = setImmediate(() => this.commit());
  }

  private writerStopped(reason: Error): void {
    this.opts.log('error', 'store writer thread stopped; writes commit on the main thread from now on', { err: describe(reason) });
    this.runner = this.inThread;
    this.opts.onWriterStopped?.();
  }

  private recovered(): void {
    if (this.status.available) return;
    if (this.probe) clearTimeout(this.probe);
    this.probe = null;
    this.status.recover();
  }

  private scheduleProbe(): void {
    if (this.probe || this.closed) return;
    this.probe = setTimeout(() => {
      this.probe = null;
      if (!this.status.available && !this.closed) this.commit();
    }, this.opts.probeIntervalMs ?? 1000);
    this.probe.unref();
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
}

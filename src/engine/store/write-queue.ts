import type { Database, Statement } from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';
import { isStorageFault } from './storage-fault.js';
import { StorageStatus, type StorageState } from './storage-status.js';

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
  beforeCommit?: () => void;
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
   */
  maxOps?: number;
  readonly?: boolean;
  /** How often retained writes are tried again while the storage is unavailable (default 1000 ms). */
  probeIntervalMs?: number;
  now?: () => number;
}

type Attempt = { kind: 'committed'; dropped: Set<WriteOp>; firstDropped: unknown } | { kind: 'retained'; error: unknown } | { kind: 'lost'; error: unknown };

/**
 * Group commit for the hot path. Writers enqueue synchronously; everything enqueued during one turn of
 * the event loop commits in one transaction on setImmediate, so a thousand leads cost one commit,
 * not a thousand. `flush()` resolves once everything enqueued before the call is durable.
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
  private readonly runBatch: (ops: WriteOp[]) => void;
  private readonly runIsolated: (ops: WriteOp[]) => { dropped: Set<WriteOp>; first: unknown };
  private readonly runOne: (op: WriteOp) => void;
  /** Counters for health reporting and tests. */
  readonly stats = { batches: 0, ops: 0, failedBatches: 0, droppedOps: 0, storageFaults: 0 };

  constructor(private readonly db: Database, private readonly opts: WriteQueueOptions) {
    this.maxOps = opts.maxOps ?? 1000;
    this.status = new StorageStatus(db, { log: opts.log, now: opts.now ?? Date.now });
    this.runOne = db.transaction((op: WriteOp) => {
      op.stmt.run(...op.params);
    });
    this.runBatch = (ops) =>
      db
        .transaction(() => {
          for (const op of ops) op.stmt.run(...op.params);
          for (const h of this.hooks) h.beforeCommit?.();
        })
        .immediate();
    // Second attempt after a failed batch: each op in its own savepoint, so one bad row does not
    // take the rest of the batch with it. A storage fault is never a bad row: it fails the attempt.
    this.runIsolated = (ops) =>
      db
        .transaction(() => {
          const dropped = new Set<WriteOp>();
          let first: unknown = null;
          for (const op of ops) {
            try {
              this.runOne(op);
            } catch (err) {
              if (op.critical || isStorageFault(err)) throw err;
              if (dropped.size === 0) first = err;
              dropped.add(op);
            }
          }
          for (const h of this.hooks) h.beforeCommit?.();
          return { dropped, first };
        })
        .immediate();
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

  state(): StorageState {
    return this.status.state(this.ops.length);
  }

  /** Told when the storage becomes unavailable and when it is available again. */
  onStateChange(listener: (state: StorageState) => void): () => void {
    return this.status.onChange(listener);
  }

  /** The error a writer gets while the storage is unavailable (null while it is available). */
  unavailableError(): PingdeskError | null {
    return this.status.error;
  }

  enqueue(op: WriteOp): void {
    this.assertWritable();
    this.ops.push(op);
    // While unavailable, writes wait behind the retained ones; only the probe commits.
    if (!this.status.available) return;
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
    if (this.ops.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Commits now, in the caller's turn; throws if the batch fails. For start-up, erasure and close.
   * While unavailable this is one more try of the retained writes.
   */
  flushSync(): void {
    if (this.ops.length === 0) return;
    const error = this.commit();
    if (error) throw error;
  }

  /** Commits what is pending, then refuses further writes. */
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
    }
  }

  private assertWritable(): void {
    if (this.opts.readonly) throw new PingdeskError('read_only', 'The store is open read-only');
    if (this.closed) throw new PingdeskError('internal', 'The store is closed');
  }

  private commit(): unknown {
    if (this.scheduled) {
      clearImmediate(this.scheduled);
      this.scheduled = null;
    }
    const ops = this.ops;
    const waiters = this.waiters;
    this.ops = [];
    this.waiters = [];
    if (ops.length === 0) {
      for (const w of waiters) w.resolve();
      return null;
    }
    const attempt = this.attempt(ops);
    this.stats.batches++;
    if (attempt.kind === 'retained') {
      this.stats.failedBatches++;
      // Writes enqueued meanwhile (by a settled callback, say) stay behind the retained ones.
      this.ops = ops.concat(this.ops);
      if (this.status.available) this.stats.storageFaults++;
      const error = this.status.fail(attempt.error, this.ops.length);
      for (const w of waiters) w.reject(error);
      this.scheduleProbe();
      return error;
    }
    if (attempt.kind === 'lost') {
      const error = attempt.error;
      this.stats.failedBatches++;
      this.opts.log('error', 'store write batch lost', { ops: ops.length, err: describe(error) });
      for (const h of this.hooks) h.afterRollback?.();
      for (const op of ops) op.settled?.(false);
      for (const w of waiters) w.reject(error);
      // Nothing is retained any more: what the storage refused is gone with the lost batch.
      this.recovered();
      return error;
    }
    const { dropped, firstDropped } = attempt;
    this.stats.ops += ops.length - dropped.size;
    for (const h of this.hooks) h.afterCommit?.();
    for (const op of ops) op.settled?.(!dropped.has(op));
    this.recovered();
    if (dropped.size > 0) {
      this.stats.droppedOps += dropped.size;
      this.opts.log('error', 'store writes skipped', { dropped: dropped.size, err: describe(firstDropped) });
      // Waiters cannot tell whose write was skipped; failing them all keeps "acknowledged" honest.
      for (const w of waiters) w.reject(firstDropped);
      return firstDropped;
    }
    for (const w of waiters) w.resolve();
    return null;
  }

  private attempt(ops: WriteOp[]): Attempt {
    try {
      this.runBatch(ops);
      return { kind: 'committed', dropped: new Set(), firstDropped: null };
    } catch (first) {
      this.rollbackIfOpen();
      if (isStorageFault(first)) return { kind: 'retained', error: first };
      this.opts.log('warn', 'store write batch failed; retrying each write on its own', { ops: ops.length, err: describe(first) });
      try {
        const { dropped, first: firstDropped } = this.runIsolated(ops);
        return { kind: 'committed', dropped, firstDropped };
      } catch (second) {
        this.rollbackIfOpen();
        return isStorageFault(second) ? { kind: 'retained', error: second } : { kind: 'lost', error: second };
      }
    }
  }

  /** SQLite may leave the transaction open after an I/O error; the next batch must start clean. */
  private rollbackIfOpen(): void {
    if (!this.db.inTransaction) return;
    try {
      this.db.exec('ROLLBACK');
    } catch {
      // Nothing more to undo; the next attempt reports the fault.
    }
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

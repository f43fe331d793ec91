import type { Database, Statement } from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';

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
}

/**
 * Group commit for the hot path. Writers enqueue synchronously; everything enqueued during one turn of
 * the event loop commits in one transaction on setImmediate, so a thousand leads cost one commit,
 * not a thousand. `flush()` resolves once everything enqueued before the call is durable.
 */
export class WriteQueue {
  private ops: WriteOp[] = [];
  private waiters: Waiter[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private readonly hooks: BatchHook[] = [];
  private readonly maxOps: number;
  private closed = false;
  private readonly runBatch: (ops: WriteOp[]) => void;
  private readonly runIsolated: (ops: WriteOp[]) => Error[];
  private readonly runOne: (op: WriteOp) => void;
  /** Counters for health reporting and tests. */
  readonly stats = { batches: 0, ops: 0, failedBatches: 0, droppedOps: 0 };

  constructor(private readonly db: Database, private readonly opts: WriteQueueOptions) {
    this.maxOps = opts.maxOps ?? 1000;
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
    // take the rest of the batch with it.
    this.runIsolated = (ops) =>
      db
        .transaction(() => {
          const dropped: Error[] = [];
          for (const op of ops) {
            try {
              this.runOne(op);
            } catch (err) {
              if (op.critical) throw err;
              dropped.push(err as Error);
              op.settled?.(false);
              op.settled = undefined;
            }
          }
          for (const h of this.hooks) h.beforeCommit?.();
          return dropped;
        })
        .immediate();
  }

  addHook(hook: BatchHook): void {
    this.hooks.push(hook);
  }

  get pending(): number {
    return this.ops.length;
  }

  enqueue(op: WriteOp): void {
    this.assertWritable();
    this.ops.push(op);
    if (this.ops.length >= this.maxOps) this.commit();
    else if (!this.scheduled) this.scheduled = setImmediate(() => this.commit());
  }

  /** Resolves when everything enqueued before this call is committed; rejects if its batch failed. */
  flush(): Promise<void> {
    if (this.ops.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Commits now, in the caller's turn; throws if the batch fails. For start-up, erasure and close. */
  flushSync(): void {
    if (this.ops.length === 0) return;
    const error = this.commit();
    if (error) throw error;
  }

  /** Commits what is pending, then refuses further writes. */
  close(): void {
    if (this.closed) return;
    try {
      if (!this.opts.readonly) this.flushSync();
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
    let error: unknown = null;
    let dropped: Error[] = [];
    try {
      this.runBatch(ops);
    } catch (first) {
      this.opts.log('warn', 'store write batch failed; retrying each write on its own', { ops: ops.length, err: describe(first) });
      try {
        dropped = this.runIsolated(ops);
      } catch (second) {
        error = second;
      }
    }
    this.stats.batches++;
    if (error) {
      this.stats.failedBatches++;
      this.opts.log('error', 'store write batch lost', { ops: ops.length, err: describe(error) });
      for (const h of this.hooks) h.afterRollback?.();
      for (const op of ops) op.settled?.(false);
      for (const w of waiters) w.reject(error);
      return error;
    }
    this.stats.ops += ops.length - dropped.length;
    for (const h of this.hooks) h.afterCommit?.();
    for (const op of ops) op.settled?.(true);
    if (dropped.length > 0) {
      this.stats.droppedOps += dropped.length;
      this.opts.log('error', 'store writes skipped', { dropped: dropped.length, err: describe(dropped[0]) });
      // Waiters cannot tell whose write was skipped; failing them all keeps "acknowledged" honest.
      for (const w of waiters) w.reject(dropped[0]);
      return dropped[0];
    }
    for (const w of waiters) w.resolve();
    return null;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
}

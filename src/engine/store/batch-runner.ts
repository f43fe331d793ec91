import type { Database, Statement } from 'better-sqlite3';
import { isStorageFault } from './storage-fault.js';

/** One write of a batch as a runner sees it: a bound statement, and whether its failure fails the batch. */
export interface BatchWrite {
  stmt: Statement;
  params: unknown[];
  /** Its failure fails the whole batch instead of skipping this write alone. */
  critical?: boolean;
}

/**
 * What became of one batch. `committed`: in the database, but for the `dropped` writes (indices into
 * the batch) that a bad row made the isolated retry skip. `retained`: a storage fault refused it, so
 * nothing of it is stored and it must be tried again. `lost`: a critical write failed for a reason
 * that is not the storage's; nothing of it is stored and retrying cannot help.
 */
export type BatchOutcome =
  | { kind: 'committed'; dropped: ReadonlySet<number>; firstDropped: unknown; retried?: unknown }
  | { kind: 'retained'; error: unknown; retried?: unknown }
  | { kind: 'lost'; error: unknown; retried?: unknown };

/**
 * Runs the write queue's batches: in one IMMEDIATE transaction; after a failure that is not a
 * storage fault, once more with each write in its own savepoint, skipping the bad ones (a critical
 * one fails the batch). `retried` carries the first attempt's error when the second one ran.
 */
export interface BatchRunner {
  /** Where batches commit, for logs and tests. */
  readonly where: 'main thread' | 'writer thread';
  /** Starts a batch; `done` gets its outcome once: before this returns (in-thread) or later (writer thread). */
  run(writes: readonly BatchWrite[], done: (outcome: BatchOutcome) => void): void;
  /** Blocks until the batch started last has been given to its `done` (returns at once if none is in flight). */
  settle(): void;
  /** Runs a pragma on the connection that commits the batches, synchronously. */
  pragma(sql: string): unknown;
  /** Stops; an in-thread runner's connection stays open (it is the store's). */
  close(): void;
}

/** The batch runner on the caller's own connection and thread: each batch commits before `run` returns. */
export class InThreadRunner implements BatchRunner {
  readonly where = 'main thread' as const;
  private readonly runAll: (writes: readonly BatchWrite[]) => void;
  private readonly runIsolated: (writes: readonly BatchWrite[]) => { dropped: Set<number>; first: unknown };

  constructor(private readonly db: Database) {
    const runOne = db.transaction((w: BatchWrite) => {
      w.stmt.run(...w.params);
    });
    this.runAll = (writes) =>
      db
        .transaction(() => {
          for (const w of writes) w.stmt.run(...w.params);
        })
        .immediate();
    // A storage fault is never a bad row: it fails the attempt.
    this.runIsolated = (writes) =>
      db
        .transaction(() => {
          const dropped = new Set<number>();
          let first: unknown = null;
          writes.forEach((w, i) => {
            try {
              runOne(w);
            } catch (err) {
              if (w.critical || isStorageFault(err)) throw err;
              if (dropped.size === 0) first = err;
              dropped.add(i);
            }
          });
          return { dropped, first };
        })
        .immediate();
  }

  run(writes: readonly BatchWrite[], done: (outcome: BatchOutcome) => void): void {
    done(this.attempt(writes));
  }

  settle(): void {
    // Every batch is done before run() returns.
  }

  pragma(sql: string): unknown {
    return this.db.pragma(sql);
  }

  close(): void {
    // The connection belongs to the store.
  }

  private attempt(writes: readonly BatchWrite[]): BatchOutcome {
    try {
      this.runAll(writes);
      return { kind: 'committed', dropped: new Set(), firstDropped: null };
    } catch (first) {
      rollbackIfOpen(this.db);
      if (isStorageFault(first)) return { kind: 'retained', error: first };
      try {
        const { dropped, first: firstDropped } = this.runIsolated(writes);
        return { kind: 'committed', dropped, firstDropped, retried: first };
      } catch (second) {
        rollbackIfOpen(this.db);
        return isStorageFault(second) ? { kind: 'retained', error: second, retried: first } : { kind: 'lost', error: second, retried: first };
      }
    }
  }
}

/** SQLite may leave the transaction open after an I/O error; the next batch must start clean. */
function rollbackIfOpen(db: Database): void {
  if (!db.inTransaction) return;
  try {
    db.exec('ROLLBACK');
  } catch {
    // Nothing more to undo; the next attempt reports the fault.
  }
}

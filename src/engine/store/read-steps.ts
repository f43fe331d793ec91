import type { Database, Statement } from 'better-sqlite3';

/** One read a query's code asks for: a prepared statement, its arguments, one row or all of them. */
export interface Read {
  stmt: Statement;
  args: unknown[];
  mode: 'get' | 'all';
}

/**
 * A query written as a generator of reads: it yields each read it needs and is handed the result,
 * so the same code runs on the store's own connection (runSteps) or on the read thread's
 * (read-thread.ts), where SQLite's work happens off the event loop.
 */
export type ReadSteps<T> = Generator<Read, T, unknown>;

export const getRow = (stmt: Statement, ...args: unknown[]): Read => ({ stmt, args, mode: 'get' });
export const allRows = (stmt: Statement, ...args: unknown[]): Read => ({ stmt, args, mode: 'all' });

/** Runs the reads here, in one snapshot (a read transaction on `db`), and returns the query's answer. */
export function runSteps<T>(db: Database, steps: ReadSteps<T>): T {
  return db.transaction(() => {
    let r = steps.next();
    while (!r.done) {
      const read = r.value;
      r = steps.next(read.mode === 'get' ? read.stmt.get(...read.args) : read.stmt.all(...read.args));
    }
    return r.value;
  })();
}

/**
 * Runs a query's reads in one snapshot and answers with what they return, wherever the caller
 * chose: on a connection of this thread (`readOn`), or the store's read thread (Store.readOffLoop).
 */
export type PageReader = <T>(steps: () => ReadSteps<T>) => Promise<T>;

/** `runSteps` on `db` as a promise: for code that takes where its reads run (a thread or here) as a function. */
export function readOn(db: Database): PageReader {
  return (steps) => Promise.resolve(runSteps(db, steps()));
}

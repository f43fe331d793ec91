import type { Database, Statement } from 'better-sqlite3';
import { getRow, runSteps, type ReadSteps } from './read-steps.js';

/**
 * Distinct values of an indexed TEXT column by hopping through its index, one seek per value, so a
 * per-buyer report costs a few index ranges instead of a scan of every row ever written. Done in JS
 * rather than a recursive CTE because SQLite may re-run such a CTE once per joined row.
 */
export class DistinctValues {
  private readonly first: Statement;
  private readonly next: Statement;

  constructor(private readonly db: Database, table: string, column: string) {
    // `>= ''` / `> ?` imply NOT NULL, which also lets SQLite use a partial index on the column.
    this.next = db.prepare(`SELECT MIN(${column}) AS v FROM ${table} WHERE ${column} > ?`);
    this.first = db.prepare(`SELECT MIN(${column}) AS v FROM ${table} WHERE ${column} >= ''`);
  }

  all(): string[] {
    return runSteps(this.db, this.steps());
  }

  *steps(): ReadSteps<string[]> {
    const out: string[] = [];
    let v = ((yield getRow(this.first)) as { v: string | null }).v;
    while (v !== null) {
      out.push(v);
      v = ((yield getRow(this.next, v)) as { v: string | null }).v;
    }
    return out;
  }
}

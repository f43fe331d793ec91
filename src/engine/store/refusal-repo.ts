import type Database from 'better-sqlite3';
import type { WriteQueue } from './write-queue.js';

export const REFUSAL_BUCKET_MS = 3_600_000;

/** Refusals of one source for one reason in a period (see migrations/0110-intake-refusals.ts). */
export interface RefusalCount {
  sourceId: string;
  reason: string;
  count: number;
}

/**
 * Intake refusals counted per source, reason and hour: queued with the other hot-path writes (no
 * fsync of its own), read back summed over hour buckets. A period is read by the hours that start in it.
 */
export class RefusalRepo {
  private readonly upsert: Database.Statement | null;
  private readonly select: Database.Statement;

  constructor(db: Database.Database, private readonly queue: WriteQueue, readonly: boolean) {
    this.upsert = readonly
      ? null
      : db.prepare('INSERT INTO intake_refusals (source_id, reason, hour_start, count) VALUES (?, ?, ?, 1) ON CONFLICT (source_id, hour_start, reason) DO UPDATE SET count = count + 1');
    this.select = db.prepare(
      'SELECT source_id AS sourceId, reason, SUM(count) AS count FROM intake_refusals WHERE hour_start >= @from AND hour_start < @to GROUP BY source_id, reason ORDER BY source_id, reason',
    );
  }

  count(sourceId: string, reason: string, at: number): void {
    if (!this.upsert) return;
    this.queue.enqueue({ stmt: this.upsert, params: [sourceId, reason, at - (at % REFUSAL_BUCKET_MS)] });
  }

  /** Counts for the hours starting in [from, to): `from` is taken back to its hour so a period's first hour is whole. */
  inRange(from: number, to: number): RefusalCount[] {
    return this.select.all({ from: from - (from % REFUSAL_BUCKET_MS), to }) as RefusalCount[];
  }
}

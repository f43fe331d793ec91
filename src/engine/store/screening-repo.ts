import type Database from 'better-sqlite3';
import type { WriteQueue } from './write-queue.js';

/** One stored screening result (see migrations/0080-lead-screenings.ts). */
export interface ScreeningRecord {
  vendor: string;
  outcome: string;
  code: string;
  score: number | null;
  httpStatus: number | null;
  latencyMs: number;
  verdict: string;
  at: number;
}

/** A lead's screening results: queued with the lead's other hot-path writes, read back in rule order. */
export class ScreeningRepo {
  private readonly insert: Database.Statement | null;
  private readonly select: Database.Statement;

  constructor(db: Database.Database, private readonly queue: WriteQueue, readonly: boolean) {
    this.insert = readonly
      ? null
      : db.prepare('INSERT OR REPLACE INTO lead_screenings (lead_id, position, vendor, outcome, code, score, http_status, latency_ms, verdict, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    this.select = db.prepare(
      'SELECT vendor, outcome, code, score, http_status AS httpStatus, latency_ms AS latencyMs, verdict, at FROM lead_screenings WHERE lead_id = ? ORDER BY position',
    );
  }

  insertAll(leadId: string, records: readonly ScreeningRecord[]): void {
    const stmt = this.insert;
    if (!stmt) return;
    records.forEach((r, position) => {
      this.queue.enqueue({ stmt, params: [leadId, position, r.vendor, r.outcome, r.code, r.score, r.httpStatus, Math.max(0, Math.round(r.latencyMs)), r.verdict, r.at] });
    });
  }

  forLead(leadId: string): ScreeningRecord[] {
    return this.select.all(leadId) as ScreeningRecord[];
  }
}

import type { Database, Statement } from 'better-sqlite3';
import type { EpochMs } from './records.js';
import type { WriteQueue } from './write-queue.js';

/** The intake routes an `Idempotency-Key` may be sent on; one key names one request of one route. */
export type IdempotentRoute = 'leads' | 'post';

export interface StoredAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface IdempotencyRecord {
  sourceId: string;
  key: string;
  route: IdempotentRoute;
  /** sha256 of the route and the canonical JSON body: "the same request". */
  bodyHash: string;
  leadId: string | null;
  /** Null while the request is being served (or when a crash cut it short). */
  answer: StoredAnswer | null;
  createdAt: EpochMs;
  answeredAt: EpochMs | null;
}

export interface UnansweredKey {
  sourceId: string;
  key: string;
  leadId: string;
  /** The lead's status now, or null when the lead row itself was never committed. */
  leadStatus: string | null;
  payoutCents: number | null;
}

interface Row {
  source_id: string;
  key: string;
  route: IdempotentRoute;
  body_hash: string;
  lead_id: string | null;
  status: number | null;
  answer_json: string | null;
  created_at: number;
  answered_at: number | null;
}

/**
 * `idempotency_keys`: the first answer to each (source, key). Writes go through the write queue, so
 * the key row lands in the same batch as the lead it admitted and the answer before the source hears it.
 */
export class IdempotencyRepo {
  private readonly findStmt: Statement;
  private readonly insertStmt: Statement;
  private readonly answerStmt: Statement;
  private readonly removeStmt: Statement;
  private readonly removeForLeadStmt: Statement;
  private readonly pruneStmt: Statement;
  private readonly unansweredStmt: Statement;

  constructor(db: Database, private readonly queue: WriteQueue) {
    this.findStmt = db.prepare('SELECT * FROM idempotency_keys WHERE source_id = ? AND key = ? AND created_at >= ?');
    // REPLACE: an expired row the prune has not reached yet gives way to the new request.
    this.insertStmt = db.prepare(
      'INSERT OR REPLACE INTO idempotency_keys (source_id, key, route, body_hash, lead_id, status, answer_json, created_at, answered_at) VALUES (?, ?, ?, ?, ?, NULL, NULL, ?, NULL)',
    );
    this.answerStmt = db.prepare('UPDATE idempotency_keys SET status = ?, answer_json = ?, answered_at = ? WHERE source_id = ? AND key = ?');
    this.removeStmt = db.prepare('DELETE FROM idempotency_keys WHERE source_id = ? AND key = ?');
    this.removeForLeadStmt = db.prepare('DELETE FROM idempotency_keys WHERE lead_id = ?');
    this.pruneStmt = db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
    this.unansweredStmt = db.prepare(
      `SELECT k.source_id, k.key, k.lead_id, l.status AS lead_status, l.payout_cents
         FROM idempotency_keys k LEFT JOIN leads l ON l.id = k.lead_id
        WHERE k.status IS NULL AND k.lead_id IS NOT NULL`,
    );
  }

  /** The record of a key used at or after `sinceMs` (older ones have expired). */
  find(sourceId: string, key: string, sinceMs: EpochMs): IdempotencyRecord | null {
    const row = this.findStmt.get(sourceId, key, sinceMs) as Row | undefined;
    return row ? toRecord(row) : null;
  }

  insert(r: { sourceId: string; key: string; route: IdempotentRoute; bodyHash: string; leadId: string | null; createdAt: EpochMs }): void {
    this.queue.enqueue({ stmt: this.insertStmt, params: [r.sourceId, r.key, r.route, r.bodyHash, r.leadId, r.createdAt] });
  }

  answer(sourceId: string, key: string, answer: StoredAnswer, at: EpochMs): void {
    this.queue.enqueue({ stmt: this.answerStmt, params: [answer.status, JSON.stringify(answer.body), at, sourceId, key] });
  }

  remove(sourceId: string, key: string): void {
    this.queue.enqueue({ stmt: this.removeStmt, params: [sourceId, key] });
  }

  /** Forgets every key that admitted this lead, so a retry is served as a new request. */
  removeForLead(leadId: string): void {
    this.queue.enqueue({ stmt: this.removeForLeadStmt, params: [leadId] });
  }

  /** Keys whose request was cut short before its answer was stored (read at start-up, after a crash). */
  unanswered(): UnansweredKey[] {
    return (this.unansweredStmt.all() as Array<{ source_id: string; key: string; lead_id: string; lead_status: string | null; payout_cents: number | null }>).map((r) => ({
      sourceId: r.source_id,
      key: r.key,
      leadId: r.lead_id,
      leadStatus: r.lead_status,
      payoutCents: r.payout_cents,
    }));
  }

  pruneBefore(beforeMs: EpochMs): number {
    return this.pruneStmt.run(beforeMs).changes;
  }
}

function toRecord(row: Row): IdempotencyRecord {
  return {
    sourceId: row.source_id,
    key: row.key,
    route: row.route,
    bodyHash: row.body_hash,
    leadId: row.lead_id,
    answer: row.status === null || row.answer_json === null ? null : { status: row.status, body: JSON.parse(row.answer_json) as Record<string, unknown> },
    createdAt: row.created_at,
    answeredAt: row.answered_at,
  };
}

import type { Database, Statement } from 'better-sqlite3';

/** An audit event exactly as stored: `data` is the canonical JSON text the hash was computed over. */
export interface StoredAuditEvent {
  seq: number;
  leadId: string | null;
  at: number;
  type: string;
  actor: string;
  data: string;
  prevHash: string;
  hash: string;
}

const EVENT_COLUMNS = 'seq, lead_id AS leadId, at, type, actor, data, prev_hash AS prevHash, hash';

/** Reads for a lead's evidence bundle: the trail as stored, a stretch of the chain, the lead's key. Reads only. */
export class EvidenceRepo {
  private readonly byLead: Statement;
  private readonly range: Statement;
  private readonly key: Statement;

  constructor(db: Database) {
    this.byLead = db.prepare(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE lead_id = ? ORDER BY seq`);
    this.range = db.prepare(`SELECT ${EVENT_COLUMNS} FROM audit_events WHERE seq BETWEEN ? AND ? ORDER BY seq`);
    this.key = db.prepare('SELECT lead_key AS key FROM leads WHERE id = ?');
  }

  leadEvents(leadId: string): StoredAuditEvent[] {
    return this.byLead.all(leadId) as StoredAuditEvent[];
  }

  /** Every event from `from` to `to`, both included. */
  chainRange(from: number, to: number): StoredAuditEvent[] {
    return this.range.all(from, to) as StoredAuditEvent[];
  }

  /** The lead's own key (null once erasure destroyed it). */
  leadKey(leadId: string): Buffer | null {
    return (this.key.get(leadId) as { key: Buffer | null } | undefined)?.key ?? null;
  }
}

import { hash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { AuditEventType } from '../../shared/domain.js';
import { canonicalJson } from './canonical-json.js';
import type { AuditEvent, AuditInput } from './records.js';
import type { WriteQueue } from './write-queue.js';

export const GENESIS_HASH = '0'.repeat(64);
/** meta key holding the newest committed `{ seq, hash }`, written in the same transaction as the events. */
export const AUDIT_HEAD_KEY = 'audit_head';

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * The canonical text of an event: canonicalJson({ seq, lead_id, at, type, actor, data }) with `data`
 * already canonical. Built by hand (keys in sorted order) because it runs for every event.
 */
export function canonicalEvent(seq: number, leadId: string | null, at: number, type: string, actor: string, dataJson: string): string {
  return `{"actor":${JSON.stringify(actor)},"at":${JSON.stringify(at)},"data":${dataJson},"lead_id":${JSON.stringify(leadId)},"seq":${seq},"type":${JSON.stringify(type)}}`;
}

/** sha256(prevHash ‖ canonical), hex; one-shot (no Hash object: it runs for every event). */
export function hashEvent(prevHash: string, canonical: string): string {
  return hash('sha256', prevHash + canonical, 'hex');
}

/** The statement that reads the chain's head from meta: run it with AUDIT_HEAD_KEY and hand the row to `auditHeadOf`. */
export const AUDIT_HEAD_SQL = 'SELECT value FROM meta WHERE key = ?';

export function auditHeadOf(row: { value: string } | undefined): ChainHead | null {
  if (!row) return null;
  const parsed = JSON.parse(row.value) as ChainHead;
  return { seq: parsed.seq, hash: parsed.hash };
}

export function readAuditHead(db: Database): ChainHead | null {
  return auditHeadOf(db.prepare(AUDIT_HEAD_SQL).get(AUDIT_HEAD_KEY) as { value: string } | undefined);
}

/**
 * Appends hash-chained audit events through the write queue. The chain head lives in memory so an
 * append is synchronous; it is loaded at open from the table and from the checkpoint in meta, whichever
 * is further, so events deleted from the tail cannot be papered over by new appends.
 */
export class AuditChain {
  private head: ChainHead;
  private committed: ChainHead;
  private readonly insert: Statement;
  private readonly putHead: Statement;

  constructor(db: Database, private readonly queue: WriteQueue, private readonly now: () => number) {
    const last = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1').get() as ChainHead | undefined;
    const checkpoint = readAuditHead(db);
    let head: ChainHead = last ?? { seq: 0, hash: GENESIS_HASH };
    if (checkpoint && checkpoint.seq > head.seq) head = checkpoint;
    this.head = head;
    this.committed = head;
    this.insert = db.prepare('INSERT INTO audit_events (seq, lead_id, at, type, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.putHead = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    // The head a batch ends at: it is written in the batch's own transaction (as the batch's last
    // write), and becomes the committed head when the batch commits. Events appended while a batch is
    // in flight (in the writer thread) belong to the next batch.
    let batchHead = head;
    queue.addHook({
      beforeCommit: () => {
        batchHead = this.head;
        return this.head.seq !== this.committed.seq ? [{ stmt: this.putHead, params: [AUDIT_HEAD_KEY, JSON.stringify(this.head)] }] : [];
      },
      afterCommit: () => {
        this.committed = batchHead;
      },
      // A lost batch's events are gone (the queue drops what was queued behind it too), so the next
      // event chains onto the last one that exists. A batch retained through a storage fault never
      // rolls back here: its events stay queued, in order, and the head still follows them.
      afterRollback: () => {
        this.head = this.committed;
      },
    });
  }

  get lastSeq(): number {
    return this.head.seq;
  }

  append(input: AuditInput): AuditEvent {
    return this.appendPrepared(this.prepare(input));
  }

  /**
   * The event `input` becomes if it is the next one appended: numbered, chained and hashed onto the
   * head, which does not move. For a direct change that keeps a copy of its event (audit-outbox.ts).
   */
  prepare(input: AuditInput): PreparedEvent {
    const seq = this.head.seq + 1;
    const at = Math.round(input.at ?? this.now());
    const leadId = input.leadId ?? null;
    const type: AuditEventType = input.type;
    const dataJson = canonicalJson(input.data);
    const prevHash = this.head.hash;
    const hash = hashEvent(prevHash, canonicalEvent(seq, leadId, at, type, input.actor, dataJson));
    return { seq, leadId, at, type, actor: input.actor, data: input.data, prevHash, hash, dataJson };
  }

  /** Appends an event `prepare` made; refused if another event was appended since. */
  appendPrepared(event: PreparedEvent): AuditEvent {
    if (event.seq !== this.head.seq + 1 || event.prevHash !== this.head.hash) {
      throw new Error(`audit event ${event.seq} no longer follows the chain's head (${this.head.seq})`);
    }
    const before = this.head;
    // The head moves first: a full batch commits inside enqueue and must checkpoint this event too.
    this.head = { seq: event.seq, hash: event.hash };
    try {
      this.queue.enqueue({ stmt: this.insert, params: [event.seq, event.leadId, event.at, event.type, event.actor, event.dataJson, event.prevHash, event.hash], critical: true });
    } catch (err) {
      this.head = before;
      throw err;
    }
    return event;
  }
}

/** An event numbered and hashed onto the head, not appended yet; `dataJson` is its data as stored. */
export interface PreparedEvent extends AuditEvent {
  dataJson: string;
}

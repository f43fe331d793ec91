import type { Database, Statement } from 'better-sqlite3';
import type { AuditChain, PreparedEvent } from './audit-chain.js';
import type { AuditEvent, AuditInput } from './records.js';
import type { WriteOp, WriteQueue } from './write-queue.js';

/**
 * Audit events of direct changes. A configuration or suppression change is written at once on the
 * store's connection, while audit events go through the write queue; between the two commits a
 * killed process would leave a change without its event. So the change's transaction also keeps a
 * copy of its event here (numbered and hashed as the chain will append it), and the copy is removed
 * by a queued write once the chain's own event has committed. At the next writable open, a copy whose
 * event is not in the trail (same seq and hash) is appended to the chain then: late, at the end, with
 * its own time and actor, so the chain stays whole and the change is not silent.
 */
export class AuditOutbox {
  private readonly put: Statement;
  private readonly remove: Statement;
  private readonly all: Statement;
  private readonly inTrail: Statement;

  constructor(private readonly db: Database, private readonly chain: AuditChain, private readonly queue: WriteQueue) {
    this.put = db.prepare('INSERT INTO audit_outbox (seq, hash, event) VALUES (?, ?, ?)');
    this.remove = db.prepare('DELETE FROM audit_outbox WHERE seq = ?');
    this.all = db.prepare('SELECT seq, hash, event FROM audit_outbox ORDER BY seq');
    this.inTrail = db.prepare('SELECT 1 FROM audit_events WHERE seq = ? AND hash = ?').pluck();
  }

  /**
   * Runs `change` and keeps its event's copy in one transaction on the store's connection, then
   * appends the event to the chain. Throws (and changes nothing) if the transaction fails. A change
   * that names no event (it found nothing to change) is written alone.
   */
  write<T>(change: () => { value: T; audit: AuditInput | null }): { value: T; event: AuditEvent | null } {
    const { value, event } = this.db.transaction(() => {
      const done = change();
      if (!done.audit) return { value: done.value, event: null };
      const prepared = this.chain.prepare(done.audit);
      this.put.run(prepared.seq, prepared.hash, copyOf(prepared));
      return { value: done.value, event: prepared };
    })();
    if (!event) return { value, event };
    // Nothing runs between the commit above and these lines, so the event still follows the head.
    this.chain.appendPrepared(event);
    this.queue.enqueue(this.removeOp(event.seq));
    return { value, event };
  }

  /**
   * At open: appends the events of copies that never reached the trail, then clears the outbox.
   * Returns how many were appended. The caller commits the queued writes.
   */
  recover(): number {
    const rows = this.all.all() as Array<{ seq: number; hash: string; event: string }>;
    let appended = 0;
    for (const row of rows) {
      if (!this.inTrail.get(row.seq, row.hash)) {
        this.chain.append(JSON.parse(row.event) as AuditInput);
        appended += 1;
      }
      this.queue.enqueue(this.removeOp(row.seq));
    }
    return appended;
  }

  private removeOp(seq: number): WriteOp {
    return { stmt: this.remove, params: [seq] };
  }
}

function copyOf(e: PreparedEvent): string {
  const input: Required<AuditInput> = { leadId: e.leadId, type: e.type, actor: e.actor, at: e.at, data: e.data };
  return JSON.stringify(input);
}

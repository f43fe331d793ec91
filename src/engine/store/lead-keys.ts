import { createHmac, randomBytes } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { WriteQueue } from './write-queue.js';

/** Keys of leads still in flight; older ones are read back from the table. */
const CACHE_SIZE = 4096;

/**
 * One random key per lead (crypto-shredding). Whatever the audit trail must say about a lead's contact
 * values — its phone, its email, the body a buyer was sent — it says as `HMAC-SHA256(lead key, value)`.
 * Nobody without the key can test a guess against such a hash, so once erasure deletes the key (with
 * `secure_delete` on and the WAL checkpointed) the trail's references to the consumer are one way for
 * good, however few candidates a phone number has. Keys are created with the lead, in its batch.
 */
export class LeadKeys {
  private readonly cache = new Map<string, Buffer>();
  private readonly insert: Statement;
  private readonly read: Statement;
  private readonly remove: Statement;

  constructor(db: Database, private readonly queue: WriteQueue) {
    this.insert = db.prepare('INSERT OR IGNORE INTO lead_keys (lead_id, key) VALUES (?, ?)');
    this.read = db.prepare('SELECT key FROM lead_keys WHERE lead_id = ?');
    this.remove = db.prepare('DELETE FROM lead_keys WHERE lead_id = ?');
  }

  /** The keyed hash of a contact value (trimmed and lower-cased, like the global fingerprints). */
  hash(leadId: string, value: string): string {
    return createHmac('sha256', this.keyFor(leadId)).update(value.trim().toLowerCase()).digest('hex');
  }

  /** Called with the lead's insert, so its key commits in the same batch. */
  create(leadId: string): void {
    if (this.cache.has(leadId)) return;
    const key = randomBytes(32);
    this.queue.enqueue({ stmt: this.insert, params: [leadId, key] });
    this.remember(leadId, key);
  }

  /** The lead's key; a lead stored before keys existed gets one on first use. */
  keyFor(leadId: string): Buffer {
    const cached = this.cache.get(leadId);
    if (cached) return cached;
    let row = this.read.get(leadId) as { key: Buffer } | undefined;
    if (!row) {
      // Rare (a lead from before keys, or a key pushed out of the cache before its batch committed):
      // commit what is queued first, so a lead never gets two keys.
      this.queue.flushSync();
      row = this.read.get(leadId) as { key: Buffer } | undefined;
    }
    const key = row?.key ?? randomBytes(32);
    if (!row) this.queue.enqueue({ stmt: this.insert, params: [leadId, key] });
    this.remember(leadId, key);
    return key;
  }

  /** The statement that destroys the key, for the erasure batch; the cached copy goes at once. */
  destroyStatement(leadId: string): { stmt: Statement; params: unknown[] } {
    this.cache.delete(leadId);
    return { stmt: this.remove, params: [leadId] };
  }

  private remember(leadId: string, key: Buffer): void {
    this.cache.set(leadId, key);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }
}

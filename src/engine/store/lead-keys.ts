import { createHmac } from 'node:crypto';
import { randomSecret } from '../ids.js';
import type { Database, Statement } from 'better-sqlite3';
import type { WriteQueue } from './write-queue.js';

/** Keys of leads still in flight; older ones are read back from the table. */
const CACHE_SIZE = 4096;

/** A contact value's hash under a lead's key (what the trail holds); an evidence bundle recomputes it with the lead's key. */
export function leadKeyedHash(key: Buffer, value: string): string {
  return createHmac('sha256', key).update(value.trim().toLowerCase()).digest('hex');
}

/**
 * One random key per lead (crypto-shredding), kept in `leads.lead_key`. Whatever the audit trail must
 * say about a lead's contact values — its phone, its email, the body a buyer was sent — it says as
 * `HMAC-SHA256(lead key, value)`. Nobody without the key can test a guess against such a hash, so
 * once erasure NULLs the key (with `secure_delete` on and the WAL checkpointed) the trail's references
 * to the consumer are one way for good, however few candidates a phone number has.
 */
export class LeadKeys {
  private readonly cache = new Map<string, Buffer>();
  private readonly read: Statement;
  private readonly store: Statement;

  constructor(db: Database, private readonly queue: WriteQueue) {
    this.read = db.prepare('SELECT lead_key FROM leads WHERE id = ?');
    this.store = db.prepare('UPDATE leads SET lead_key = ? WHERE id = ? AND lead_key IS NULL');
  }

  /** A new lead's key, written with its row by the caller. */
  create(leadId: string): Buffer {
    const key = randomSecret(32);
    this.remember(leadId, key);
    return key;
  }

  /** The keyed hash of a contact value (trimmed and lower-cased, like the global fingerprints). */
  hash(leadId: string, value: string): string {
    return leadKeyedHash(this.keyFor(leadId), value);
  }

  /** The lead's key; a lead stored before keys existed gets one on first use. */
  keyFor(leadId: string): Buffer {
    const cached = this.cache.get(leadId);
    if (cached) return cached;
    let row = this.read.get(leadId) as { lead_key: Buffer | null } | undefined;
    if (!row?.lead_key) {
      // Rare (a lead from before keys, or a key pushed out of the cache before its batch committed):
      // commit what is queued first, so a lead never gets two keys.
      this.queue.flushSync();
      row = this.read.get(leadId) as { lead_key: Buffer | null } | undefined;
    }
    const key = row?.lead_key ?? randomSecret(32);
    if (!row?.lead_key) this.queue.enqueue({ stmt: this.store, params: [key, leadId] });
    this.remember(leadId, key);
    return key;
  }

  /** Erasure NULLs the column in its own UPDATE; the cached copy goes at once. */
  forget(leadId: string): void {
    this.cache.delete(leadId);
  }

  private remember(leadId: string, key: Buffer): void {
    this.cache.set(leadId, key);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
  }
}

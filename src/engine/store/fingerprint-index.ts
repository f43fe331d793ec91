import type { Database, Statement } from 'better-sqlite3';
import type { WriteQueue } from './write-queue.js';

export interface ContactHashes {
  phone?: string | null;
  email?: string | null;
}

type Kind = 'phone' | 'email';

interface Pending {
  leadId: string;
  at: number;
}

/**
 * Duplicate detection per campaign. Fingerprints are queued like every hot-path write, so the ones not
 * yet committed are also kept in memory until their batch settles: two identical leads in the same
 * millisecond see each other.
 */
export class FingerprintIndex {
  private readonly pending = new Map<string, Pending[]>();
  private readonly insert: Statement;
  private readonly find: Statement;
  private readonly remove: Statement;
  private readonly prune: Statement;

  constructor(db: Database, private readonly queue: WriteQueue) {
    this.insert = db.prepare('INSERT OR IGNORE INTO fingerprints (campaign_id, kind, hash, at, lead_id) VALUES (?, ?, ?, ?, ?)');
    this.find = db.prepare('SELECT lead_id FROM fingerprints WHERE campaign_id = ? AND kind = ? AND hash = ? AND at >= ? ORDER BY at LIMIT 1');
    this.remove = db.prepare('DELETE FROM fingerprints WHERE campaign_id = ? AND kind = ? AND hash = ? AND lead_id = ?');
    this.prune = db.prepare('DELETE FROM fingerprints WHERE at < ?');
  }

  insertFingerprints(campaignId: string, leadId: string, at: number, hashes: ContactHashes): void {
    for (const kind of ['phone', 'email'] as const) {
      const hash = hashes[kind];
      if (!hash) continue;
      const key = pendingKey(campaignId, kind, hash);
      const entry: Pending = { leadId, at };
      const list = this.pending.get(key);
      if (list) list.push(entry);
      else this.pending.set(key, [entry]);
      this.queue.enqueue({
        stmt: this.insert,
        params: [campaignId, kind, hash, at, leadId],
        settled: () => this.unpend(key, entry),
      });
    }
  }

  private unpend(key: string, entry: Pending): void {
    const list = this.pending.get(key);
    if (!list) return;
    const i = list.indexOf(entry);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.pending.delete(key);
  }

  /** The id of an earlier lead of the campaign with the same phone or email received at or after `sinceMs`. */
  findDuplicate(campaignId: string, hashes: ContactHashes, sinceMs: number): string | null {
    for (const kind of ['phone', 'email'] as const) {
      const hash = hashes[kind];
      if (!hash) continue;
      const row = this.find.get(campaignId, kind, hash, sinceMs) as { lead_id: string } | undefined;
      if (row) return row.lead_id;
      const waiting = this.pending.get(pendingKey(campaignId, kind, hash))?.find((p) => p.at >= sinceMs);
      if (waiting) return waiting.leadId;
    }
    return null;
  }

  /** Removes a lead's fingerprints (erasure); runs inside the caller's transaction or batch. */
  removeStatements(campaignId: string, leadId: string, hashes: ContactHashes): Array<{ stmt: Statement; params: unknown[] }> {
    const out: Array<{ stmt: Statement; params: unknown[] }> = [];
    for (const kind of ['phone', 'email'] as const) {
      const hash = hashes[kind];
      if (hash) out.push({ stmt: this.remove, params: [campaignId, kind, hash, leadId] });
    }
    return out;
  }

  /** Drops fingerprints older than any duplicate window still in use. */
  pruneBefore(beforeMs: number): number {
    return this.prune.run(beforeMs).changes;
  }
}

function pendingKey(campaignId: string, kind: Kind, hash: string): string {
  return `${campaignId}\u0000${kind}\u0000${hash}`;
}

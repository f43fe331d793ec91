import type { Database, Statement } from 'better-sqlite3';
import { hashContact } from './contact-hash.js';
import { StatementCache } from './statement-cache.js';
import { normaliseEmail, normalisePhone } from './contact-normalise.js';
import type { SuppressionEntry } from './records.js';

export interface SuppressionQuery {
  /** A phone or email (matched exactly by hash), or text matched against hints and sources. */
  query?: string;
  limit: number;
  offset?: number;
}

export interface SuppressionPage {
  rows: SuppressionEntry[];
  total: number;
}

interface SuppressionRow {
  kind: 'phone' | 'email';
  hash: string;
  hint: string;
  added_at: number;
  source: string;
}

/** 48 bits of the hash as a number: a compact in-memory key (a Map of numbers, not of 64-char strings). */
function prefixOf(hash: string): number {
  return parseInt(hash.slice(0, 12), 16);
}

/**
 * Phones and emails that must never be sold. The check runs on every lead, so it is answered from
 * memory: a count per hash prefix rules out almost every lead, and a prefix hit is confirmed by the
 * primary key. Memory stays small with a million entries.
 */
export class SuppressionRepo {
  private readonly prefixes = new Map<number, number>();
  private readonly exists: Statement;
  private readonly insert: Statement;
  private readonly remove: Statement;
  private readonly cache: StatementCache;

  constructor(private readonly db: Database, private readonly salt: string) {
    this.cache = new StatementCache(db);
    for (const row of db.prepare('SELECT hash FROM suppression').iterate() as IterableIterator<{ hash: string }>) this.count(row.hash, 1);
    this.exists = db.prepare('SELECT 1 FROM suppression WHERE kind = ? AND hash = ?').pluck();
    this.insert = db.prepare('INSERT OR IGNORE INTO suppression (kind, hash, hint, added_at, source) VALUES (?, ?, ?, ?, ?)');
    this.remove = db.prepare('DELETE FROM suppression WHERE kind = ? AND hash = ?');
  }

  isSuppressed(hashes: { phoneHash?: string | null; emailHash?: string | null }): boolean {
    return this.has('phone', hashes.phoneHash) || this.has('email', hashes.emailHash);
  }

  /** Adds in one transaction; entries already listed are left as they are. Returns how many were new. */
  addSuppressions(entries: SuppressionEntry[]): number {
    const added = this.db.transaction(() => entries.filter((e) => this.insert.run(e.kind, e.hash, e.hint, e.addedAt, e.source).changes > 0)).immediate();
    // Counted only once committed, so a rolled-back import leaves memory as it was.
    for (const e of added) this.count(e.hash, 1);
    return added.length;
  }

  removeSuppression(kind: 'phone' | 'email', hash: string): boolean {
    const removed = this.remove.run(kind, hash).changes > 0;
    if (removed) this.count(hash, -1);
    return removed;
  }

  listSuppressions(q: SuppressionQuery): SuppressionPage {
    const limit = Math.min(Math.max(1, Math.trunc(q.limit)), 1000);
    const offset = Math.max(0, Math.trunc(q.offset ?? 0));
    const text = q.query?.trim() ?? '';
    let where = '';
    const params: Record<string, unknown> = { limit, offset };
    if (text) {
      const phone = normalisePhone(text);
      const email = text.includes('@') ? normaliseEmail(text) : null;
      const exact = phone ?? email;
      if (exact) {
        where = 'WHERE kind = @kind AND hash = @hash';
        params.kind = phone ? 'phone' : 'email';
        params.hash = hashContact(this.salt, exact);
      } else {
        where = "WHERE hint LIKE @like ESCAPE '\\' OR source LIKE @like ESCAPE '\\'";
        params.like = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      }
    }
    const rows = this.cache
      .get(`SELECT kind, hash, hint, added_at, source FROM suppression ${where} ORDER BY added_at DESC, hash LIMIT @limit OFFSET @offset`)
      .all(params) as SuppressionRow[];
    const { limit: _l, offset: _o, ...countParams } = params;
    const total = (this.cache.get(`SELECT COUNT(*) AS n FROM suppression ${where}`).get(countParams) as { n: number }).n;
    return { rows: rows.map((r) => ({ kind: r.kind, hash: r.hash, hint: r.hint, addedAt: r.added_at, source: r.source })), total };
  }

  private has(kind: 'phone' | 'email', hash: string | null | undefined): boolean {
    if (!hash || !this.prefixes.has(prefixOf(hash))) return false;
    return this.exists.get(kind, hash) !== undefined;
  }

  private count(hash: string, delta: number): void {
    const key = prefixOf(hash);
    const next = (this.prefixes.get(key) ?? 0) + delta;
    if (next > 0) this.prefixes.set(key, next);
    else this.prefixes.delete(key);
  }
}

import type { Database, Statement } from 'better-sqlite3';
import { hashContact } from './contact-hash.js';
import { StatementCache } from './statement-cache.js';
import { SuppressionFilter } from './suppression-filter.js';
import { SuppressionNumbers } from './suppression-numbers.js';
import { readContact } from '../validate/contact-kind.js';
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
  /** Phones on imported DNC lists (kept apart, see migration 0050); found by an exact search, not listed row by row. */
  listedNumbers: number;
}

interface SuppressionRow {
  kind: 'phone' | 'email';
  hash: string;
  hint: string;
  added_at: number;
  source: string;
}

/**
 * Phones and emails that must never be sold. The check runs on every lead, so it is answered from
 * memory first (SuppressionFilter rules out almost every lead in bounded memory) and a hit is
 * confirmed by the primary key.
 */
export class SuppressionRepo {
  private filter: SuppressionFilter;
  /** Do-not-call list numbers (migration 0050): phones only, integer keys. */
  readonly numbers: SuppressionNumbers;
  private readonly exists: Statement;
  private readonly insert: Statement;
  private readonly remove: Statement;
  private readonly cache: StatementCache;

  constructor(private readonly db: Database, private readonly salt: string) {
    this.cache = new StatementCache(db);
    this.filter = this.loadFilter();
    this.numbers = new SuppressionNumbers(db);
    this.exists = db.prepare('SELECT 1 FROM suppression WHERE kind = ? AND hash = ?').pluck();
    this.insert = db.prepare('INSERT OR IGNORE INTO suppression (kind, hash, hint, added_at, source) VALUES (?, ?, ?, ?, ?)');
    this.remove = db.prepare('DELETE FROM suppression WHERE kind = ? AND hash = ?');
  }

  isSuppressed(hashes: { phoneHash?: string | null; emailHash?: string | null }): boolean {
    return this.has('phone', hashes.phoneHash) || this.has('email', hashes.emailHash) || (Boolean(hashes.phoneHash) && this.numbers.has(hashes.phoneHash as string));
  }

  /** Adds in one transaction; entries already listed are left as they are. Returns how many were new. */
  addSuppressions(entries: SuppressionEntry[]): number {
    const added = this.db.transaction(() => entries.filter((e) => this.insert.run(e.kind, e.hash, e.hint, e.addedAt, e.source).changes > 0)).immediate();
    // Counted only once committed, so a rolled-back import leaves memory as it was.
    for (const e of added) this.filter.add(e.hash);
    if (this.filter.crowded) this.filter = this.loadFilter();
    return added.length;
  }

  removeSuppression(kind: 'phone' | 'email', hash: string): boolean {
    const removed = this.remove.run(kind, hash).changes > 0;
    if (removed) this.filter.remove(hash);
    const fromList = kind === 'phone' && this.numbers.removeHash(hash);
    return removed || fromList;
  }

  listSuppressions(q: SuppressionQuery): SuppressionPage {
    const limit = Math.min(Math.max(1, Math.trunc(q.limit)), 1000);
    const offset = Math.max(0, Math.trunc(q.offset ?? 0));
    const text = q.query?.trim() ?? '';
    let where = '';
    const params: Record<string, unknown> = { limit, offset };
    if (text) {
      const exact = readContact(text);
      if (exact.normalised) {
        where = 'WHERE kind = @kind AND hash = @hash';
        params.kind = exact.kind;
        params.hash = hashContact(this.salt, exact.normalised);
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
    const found = rows.map((r) => ({ kind: r.kind, hash: r.hash, hint: r.hint, addedAt: r.added_at, source: r.source }));
    // An exact phone from a DNC list: shown with the list it came from.
    if (total === 0 && params.kind === 'phone' && typeof params.hash === 'string' && offset === 0) {
      const list = this.numbers.listFor(params.hash);
      if (list) return { rows: [{ kind: 'phone', hash: params.hash, hint: text.replace(/\D/g, '').slice(-4), addedAt: list.addedAt, source: list.source }], total: 1, listedNumbers: this.numbers.count() };
    }
    return { rows: found, total, listedNumbers: this.numbers.count() };
  }

  private has(kind: 'phone' | 'email', hash: string | null | undefined): boolean {
    if (!hash || !this.filter.mayHold(hash)) return false;
    return this.exists.get(kind, hash) !== undefined;
  }

  /** Sized for the list as it is; reads only the hashes' first eight characters. */
  private loadFilter(): SuppressionFilter {
    const entries = (this.db.prepare('SELECT COUNT(*) FROM suppression').pluck().get() as number) ?? 0;
    const filter = new SuppressionFilter(entries);
    for (const prefix of this.db.prepare('SELECT substr(hash, 1, 8) FROM suppression').pluck().iterate() as IterableIterator<string>) filter.add(prefix);
    return filter;
  }
}

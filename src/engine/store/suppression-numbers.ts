import type { Database, Statement } from 'better-sqlite3';

/**
 * The integer key of a phone in `suppression_numbers`: the first 52 bits of its salted hash
 * (13 hex digits), a safe JavaScript integer. See migration 0050 for why.
 */
export function numberKeyOfHash(hash: string): number {
  return parseInt(hash.slice(0, 13), 16);
}

/** The same key from the raw sha256 digest, without the hex detour (the DNC import's hot loop). */
export function numberKeyOfDigest(digest: Buffer): number {
  return digest.readUIntBE(0, 6) * 16 + (digest[6] >>> 4);
}

export interface NumberList {
  id: number;
  source: string;
  addedAt: number;
  numbers: number;
}

/**
 * Phones from do-not-call lists, one integer key each (migration 0050). Lookups are by rowid, so
 * nothing is held in memory however many millions are listed.
 */
export class SuppressionNumbers {
  private any: boolean;
  private readonly exists: Statement;
  private readonly insert: Statement;
  private readonly remove: Statement;
  private readonly listOf: Statement;

  constructor(private readonly db: Database) {
    this.any = db.prepare('SELECT EXISTS (SELECT 1 FROM suppression_numbers)').pluck().get() === 1;
    this.exists = db.prepare('SELECT 1 FROM suppression_numbers WHERE key = ?').pluck();
    this.insert = db.prepare('INSERT OR IGNORE INTO suppression_numbers (key, list_id) VALUES (?, ?)');
    this.remove = db.prepare('DELETE FROM suppression_numbers WHERE key = ?');
    this.listOf = db.prepare('SELECT l.id, l.source, l.added_at AS addedAt, l.numbers FROM suppression_numbers n JOIN suppression_lists l ON l.id = n.list_id WHERE n.key = ?');
  }

  has(hash: string): boolean {
    return this.any && this.exists.get(numberKeyOfHash(hash)) !== undefined;
  }

  /** The list a phone came from, for an operator's search. */
  listFor(hash: string): NumberList | null {
    if (!this.any) return null;
    return (this.listOf.get(numberKeyOfHash(hash)) as NumberList | undefined) ?? null;
  }

  startList(source: string, addedAt: number): number {
    return Number(this.db.prepare('INSERT INTO suppression_lists (source, added_at) VALUES (?, ?)').run(source, addedAt).lastInsertRowid);
  }

  /** Adds sorted keys in one transaction; keys already listed (by any list) are left. Returns how many were new. */
  addKeys(listId: number, keys: Float64Array): number {
    const added = this.db
      .transaction(() => {
        let n = 0;
        for (let i = 0; i < keys.length; i++) n += this.insert.run(keys[i], listId).changes;
        this.db.prepare('UPDATE suppression_lists SET numbers = numbers + ? WHERE id = ?').run(n, listId);
        return n;
      })
      .immediate();
    if (added > 0) this.any = true;
    return added;
  }

  removeHash(hash: string): boolean {
    if (!this.any) return false;
    const list = this.listFor(hash);
    if (!list) return false;
    this.db
      .transaction(() => {
        this.remove.run(numberKeyOfHash(hash));
        this.db.prepare('UPDATE suppression_lists SET numbers = numbers - 1 WHERE id = ?').run(list.id);
      })
      .immediate();
    return true;
  }

  /** Numbers listed, from the per-list counts (no scan of millions of rows). */
  count(): number {
    return (this.db.prepare('SELECT COALESCE(SUM(numbers), 0) FROM suppression_lists').pluck().get() as number) ?? 0;
  }
}

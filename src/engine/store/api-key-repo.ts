import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import { PingdeskError } from '../../shared/errors.js';
import { BoundedMemo } from '../bounded-memo.js';

export type KeyOwnerKind = 'source' | 'buyer';

export interface ApiKeyInfo {
  id: string;
  ownerKind: KeyOwnerKind;
  ownerId: string;
  /** First 8 characters of the plain key, to tell keys apart; '' for keys imported as hashes. */
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
}

const HASH_FORMAT = /^sha256:[0-9a-f]{64}$/;

/** Unsalted on purpose: an exported hash must keep authenticating after import into another data folder. */
export function hashApiKey(plainKey: string): string {
  return `sha256:${createHash('sha256').update(plainKey).digest('hex')}`;
}

interface KeyRow {
  id: string;
  owner_kind: KeyOwnerKind;
  owner_id: string;
  hash: string;
  prefix: string | null;
  created_at: number;
  revoked_at: number | null;
}

type KeyOwner = { readonly ownerKind: KeyOwnerKind; readonly ownerId: string };

/** Active keys remembered after they authenticated (a broker has tens of sources and buyers). */
const OWNER_CACHE_SIZE = 1024;

/** API keys of sources and buyers, stored only as hashes. */
export class ApiKeyRepo {
  private readonly owners = new BoundedMemo<string, KeyOwner>(OWNER_CACHE_SIZE);
  private readonly byHash: Statement;
  private readonly activeByHash: Statement;
  private readonly insert: Statement;
  private readonly reactivate: Statement;
  private readonly revokeStmt: Statement;
  private readonly activeForOwner: Statement;
  private readonly listStmt: Statement;
  private readonly allActive: Statement;

  constructor(db: Database, private readonly now: () => number, private readonly newId: () => string) {
    this.byHash = db.prepare('SELECT * FROM api_keys WHERE hash = ?');
    this.activeByHash = db.prepare('SELECT owner_kind, owner_id FROM api_keys WHERE hash = ? AND revoked_at IS NULL');
    this.insert = db.prepare('INSERT INTO api_keys (id, owner_kind, owner_id, hash, prefix, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, NULL)');
    this.reactivate = db.prepare('UPDATE api_keys SET revoked_at = NULL WHERE id = ?');
    this.revokeStmt = db.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.activeForOwner = db.prepare('SELECT id, hash FROM api_keys WHERE owner_kind = ? AND owner_id = ? AND revoked_at IS NULL ORDER BY created_at, id');
    this.listStmt = db.prepare(
      `SELECT * FROM api_keys WHERE (@kind IS NULL OR owner_kind = @kind) AND (@owner IS NULL OR owner_id = @owner)
       ORDER BY owner_kind, owner_id, created_at, id`,
    );
    this.allActive = db.prepare('SELECT id, owner_kind, owner_id FROM api_keys WHERE revoked_at IS NULL');
  }

  add(ownerKind: KeyOwnerKind, ownerId: string, plainKey: string): { id: string; prefix: string } {
    if (plainKey.length < 8) throw new PingdeskError('validation_failed', 'An API key needs at least 8 characters');
    const prefix = plainKey.slice(0, 8);
    return { id: this.ensure(ownerKind, ownerId, hashApiKey(plainKey), prefix), prefix };
  }

  addHash(ownerKind: KeyOwnerKind, ownerId: string, hash: string): { id: string } {
    if (!HASH_FORMAT.test(hash)) throw new PingdeskError('validation_failed', 'An API key hash must look like sha256:<64 hex digits>');
    return { id: this.ensure(ownerKind, ownerId, hash, null) };
  }

  /** Adds the key, or re-activates it if this owner already had it; another owner's key is a conflict. */
  private ensure(ownerKind: KeyOwnerKind, ownerId: string, hash: string, prefix: string | null): string {
    const existing = this.byHash.get(hash) as KeyRow | undefined;
    if (existing) {
      if (existing.owner_kind !== ownerKind || existing.owner_id !== ownerId) {
        throw new PingdeskError('conflict', 'This API key already belongs to another source or buyer');
      }
      if (existing.revoked_at !== null) {
        this.owners.clear();
        this.reactivate.run(existing.id);
      }
      return existing.id;
    }
    const id = this.newId();
    this.owners.clear();
    this.insert.run(id, ownerKind, ownerId, hash, prefix, this.now());
    return id;
  }

  revoke(id: string): boolean {
    // Forgotten before the change, so no answer from memory outlives it (a rollback only costs a re-read).
    this.owners.clear();
    return this.revokeStmt.run(this.now(), id).changes > 0;
  }

  list(ownerKind?: KeyOwnerKind, ownerId?: string): ApiKeyInfo[] {
    const rows = this.listStmt.all({ kind: ownerKind ?? null, owner: ownerId ?? null }) as KeyRow[];
    return rows.map((r) => ({ id: r.id, ownerKind: r.owner_kind, ownerId: r.owner_id, prefix: r.prefix ?? '', createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  /**
   * The owner of an active key. Keys that authenticated are remembered (every lead and bid carries
   * one: a hash and a query each time otherwise); every change of a key, through this repo only,
   * forgets them all at once, so a revoked key is refused from the next request on. Unknown keys are
   * not remembered: nobody can fill the memory by guessing.
   */
  findOwner(plainKey: string): KeyOwner | null {
    const known = this.owners.get(plainKey);
    if (known) return known;
    const row = this.activeByHash.get(hashApiKey(plainKey)) as { owner_kind: KeyOwnerKind; owner_id: string } | undefined;
    if (!row) return null;
    return this.owners.set(plainKey, { ownerKind: row.owner_kind, ownerId: row.owner_id });
  }

  /** Hashes of the owner's active keys, for workspace export. */
  hashesFor(ownerKind: KeyOwnerKind, ownerId: string): string[] {
    return (this.activeForOwner.all(ownerKind, ownerId) as Array<{ hash: string }>).map((r) => r.hash);
  }

  /**
   * Makes the keys a spec names (plain and hashed) the owner's only active keys. A spec that names no
   * key leaves the owner's keys alone, so saving an edited spec never locks a source out.
   * Runs inside the caller's transaction.
   */
  syncOwnerKeys(ownerKind: KeyOwnerKind, ownerId: string, spec: { apiKey?: string; apiKeyHashes?: string[] }): void {
    const wanted = new Set<string>();
    if (spec.apiKey) wanted.add(this.add(ownerKind, ownerId, spec.apiKey).id);
    for (const hash of spec.apiKeyHashes ?? []) wanted.add(this.addHash(ownerKind, ownerId, hash).id);
    if (wanted.size === 0) return;
    for (const row of this.activeForOwner.all(ownerKind, ownerId) as Array<{ id: string }>) {
      if (!wanted.has(row.id)) this.revoke(row.id);
    }
  }

  /** Revokes every active key whose owner is not in `keep` (`kind:id`). */
  revokeOwnersNotIn(keep: Set<string>): number {
    const rows = this.allActive.all() as KeyRow[];
    let revoked = 0;
    for (const r of rows) {
      if (!keep.has(`${r.owner_kind}:${r.owner_id}`) && this.revoke(r.id)) revoked++;
    }
    return revoked;
  }

  revokeOwner(ownerKind: KeyOwnerKind, ownerId: string): void {
    for (const row of this.activeForOwner.all(ownerKind, ownerId) as Array<{ id: string }>) this.revoke(row.id);
  }
}

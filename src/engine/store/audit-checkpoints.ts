import { sign, verify, type KeyObject } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { ChainHead } from './audit-chain.js';
import { canonicalJson } from './canonical-json.js';
import { publicKeyId, publicKeyPem } from './signing-key.js';
import type { WriteOp } from './write-queue.js';

/** A signed statement that the audit chain's event `seq` had hash `hash` at time `at`. */
export interface AuditCheckpoint {
  seq: number;
  hash: string;
  at: number;
  keyId: string;
  /** Ed25519 signature of checkpointMessage(...), base64. */
  signature: string;
}

export const DATABASE_ID_KEY = 'database_id';
export const SIGNING_PUBLIC_KEY = 'signing_public_key';

/**
 * The exact bytes signed. The database id binds a checkpoint to its database, so checkpoints cannot be
 * carried over from another data folder signed with the same key.
 */
export function checkpointMessage(databaseId: string, c: { seq: number; hash: string; at: number }): Buffer {
  return Buffer.from(`pingdesk-audit-checkpoint/v1\n${canonicalJson({ at: c.at, database: databaseId, hash: c.hash, seq: c.seq })}`, 'utf8');
}

export function signCheckpoint(privateKey: KeyObject, databaseId: string, head: ChainHead, at: number): AuditCheckpoint {
  const signature = sign(null, checkpointMessage(databaseId, { ...head, at }), privateKey).toString('base64');
  return { seq: head.seq, hash: head.hash, at, keyId: publicKeyId(privateKey), signature };
}

export function checkpointSignatureValid(publicKey: KeyObject, databaseId: string, c: AuditCheckpoint): boolean {
  try {
    return verify(null, checkpointMessage(databaseId, c), publicKey, Buffer.from(c.signature, 'base64'));
  } catch {
    return false;
  }
}

/** Checkpoints, the database id and the public key, as stored. SQLite stays inside this file. */
export class CheckpointRepo {
  private readonly insert: Statement;
  private readonly latest: Statement;
  private readonly head: Statement;
  private readonly meta: Statement;
  private readonly putMeta: Statement;

  constructor(private readonly db: Database) {
    this.insert = db.prepare('INSERT INTO audit_checkpoints (seq, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)');
    this.latest = db.prepare('SELECT seq, hash, at, key_id AS keyId, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT 1');
    this.head = db.prepare('SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
    this.meta = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.putMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)');
  }

  databaseId(): string {
    const row = this.meta.get(DATABASE_ID_KEY) as { value: string } | undefined;
    if (!row) throw new Error('the database has no id (migration 0040 missing)');
    return row.value;
  }

  publicKeyPem(): string | null {
    return (this.meta.get(SIGNING_PUBLIC_KEY) as { value: string } | undefined)?.value ?? null;
  }

  /** Records the public key once; a database keeps one signing key for its life. */
  recordPublicKey(key: KeyObject): void {
    this.putMeta.run(SIGNING_PUBLIC_KEY, publicKeyPem(key));
  }

  /** The newest committed event (not the in-memory head: a checkpoint must name a durable event). */
  committedHead(): ChainHead | null {
    return (this.head.get() as ChainHead | undefined) ?? null;
  }

  latestCheckpoint(): AuditCheckpoint | null {
    return (this.latest.get() as AuditCheckpoint | undefined) ?? null;
  }

  add(c: AuditCheckpoint): void {
    this.insert.run(c.seq, c.hash, c.at, c.keyId, c.signature);
  }

  /** The same insert as a write for the store's queue (committed by its writer with the next batch). */
  addOp(c: AuditCheckpoint, settled: (committed: boolean) => void): WriteOp {
    return { stmt: this.insert, params: [c.seq, c.hash, c.at, c.keyId, c.signature], settled };
  }

  /** The earliest checkpoint that signs `seq` or a later event: the anchor of a proof for event `seq`. */
  covering(seq: number): AuditCheckpoint | null {
    return (this.db.prepare('SELECT seq, hash, at, key_id AS keyId, signature FROM audit_checkpoints WHERE seq >= ? ORDER BY seq LIMIT 1').get(seq) as AuditCheckpoint | undefined) ?? null;
  }

  all(): AuditCheckpoint[] {
    return this.db.prepare('SELECT seq, hash, at, key_id AS keyId, signature FROM audit_checkpoints ORDER BY seq').all() as AuditCheckpoint[];
  }

  eventHash(seq: number): string | null {
    return (this.db.prepare('SELECT hash FROM audit_events WHERE seq = ?').get(seq) as { hash: string } | undefined)?.hash ?? null;
  }
}

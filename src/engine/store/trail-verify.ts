import type { KeyObject } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { checkpointSignatureValid, type AuditCheckpoint, type CheckpointRepo } from './audit-checkpoints.js';
import { verifyAuditAsync, type AuditProblem, type PageReader, type VerifyProgress } from './audit-verify.js';
import { checkErasedRecord, checkLeadRecord, isLeadRecordHash, type LeadRecordCheck } from './lead-record-hash.js';
import type { QueryRepo } from './query-repo.js';
import { publicKeyId, readPublicKeyPem } from './signing-key.js';

/**
 * Problems beyond the chain's own:
 * - `checkpoint_foreign_key`: a checkpoint names or needs a key other than the trusted one (forged).
 * - `checkpoint_bad_signature`: a checkpoint's signature does not verify (its seq, hash or time edited).
 * - `checkpoint_off_chain`: the chain's hash at a signed seq differs: an event at or before it was
 *   edited and the later hashes recomputed.
 * - `checkpoint_beyond_chain`: a signed seq no longer exists: the tail was cut (and the head rewritten).
 * - `checkpoint_missing`: the witness (the newest checkpoint kept outside the database) is not among the
 *   database's checkpoints: newer checkpoints were deleted, with or without the events they signed.
 * - `public_key_mismatch`: the key given to verify is not the one the database records.
 * - `lead_record_changed` / `lead_missing`: a lead row no longer matches its `received` event.
 */
export type TrailProblem =
  | AuditProblem
  | 'checkpoint_foreign_key'
  | 'checkpoint_bad_signature'
  | 'checkpoint_off_chain'
  | 'checkpoint_beyond_chain'
  | 'checkpoint_missing'
  | 'public_key_mismatch'
  | 'lead_record_changed'
  | 'lead_missing';

export interface CheckpointSummary {
  seq: number;
  at: number;
  keyId: string;
}

export interface LeadCounts {
  /** Rows that match their `received` event in full. */
  intact: number;
  /** Erased rows that were intact when erased and still match the seal their erasure left. */
  erased: number;
  /** Leads received before record hashing existed. */
  unhashed: number;
}

export type TrailVerifyResult =
  | {
      ok: true;
      count: number;
      lastSeq: number;
      /** The newest checkpoint whose signature verified and whose (seq, hash) is on the chain. */
      lastCheckpoint: CheckpointSummary | null;
      checkpoints: number;
      /** Events after the last checkpoint: intact as a chain, but not yet covered by a signature. */
      unsignedAfter: number;
      keyId: string | null;
      /** Whether the key came from the database itself or was given to verify separately. */
      keySource: 'database' | 'given';
      leads: LeadCounts;
    }
  | {
      ok: false;
      count: number;
      firstBadSeq: number;
      problem: TrailProblem;
      lastCheckpoint: CheckpointSummary | null;
      leadId?: string;
      detail?: string;
    };

/**
 * Leads checked per turn of the event loop (each is a row read, JSON parses and two HMACs, roughly
 * ten times a chain event's work), so one page holds the loop for a few milliseconds.
 */
const LEAD_PAGE = 50;

export interface TrailVerifyOptions {
  /** A public key obtained separately from the database; without it the database's own is used. */
  publicKey?: KeyObject;
  /** The newest checkpoint as kept outside the database (read before verifying starts). */
  witness?: AuditCheckpoint;
  onProgress?: VerifyProgress;
  /** Rows per turn of the event loop, for the chain and the leads alike (default: CHAIN_PAGE and LEAD_PAGE). */
  pageSize?: number;
  /** Where the chain's pages are read (default: on `db`); a running engine reads them in its read thread. */
  read?: PageReader;
}

type Failure = Extract<TrailVerifyResult, { ok: false }>;

/**
 * The whole check a reviewer relies on: the hash chain, every signed checkpoint against the public key
 * and against the chain, and every lead row against the record hash in its `received` event. Reads only,
 * so it runs on a read-only copy; needs no private key. The first problem found is returned.
 */
export async function verifyTrail(db: Database, repos: { checkpoints: CheckpointRepo; queries: QueryRepo; salt: string }, opts: TrailVerifyOptions = {}): Promise<TrailVerifyResult> {
  const chain = await verifyAuditAsync(db, { onProgress: opts.onProgress, pageSize: opts.pageSize, read: opts.read });
  if (!chain.ok) return { ...chain, lastCheckpoint: null };
  const signed = await verifyCheckpoints(repos.checkpoints, chain.lastSeq, opts.publicKey, opts.witness);
  if ('problem' in signed) return { ...signed, count: chain.count };
  const leads = await verifyLeads(db, repos, opts.pageSize ?? LEAD_PAGE);
  if ('problem' in leads) return { ...leads, count: chain.count, lastCheckpoint: signed.last };
  return {
    ok: true,
    count: chain.count,
    lastSeq: chain.lastSeq,
    lastCheckpoint: signed.last,
    checkpoints: signed.count,
    unsignedAfter: chain.lastSeq - (signed.last?.seq ?? 0),
    keyId: signed.keyId,
    keySource: opts.publicKey ? 'given' : 'database',
    leads,
  };
}

/** Signed checkpoints checked between two turns of the event loop (a signature check is tens of µs; a long trail has thousands). */
const CHECKPOINT_PAGE = 50;

async function verifyCheckpoints(
  repo: CheckpointRepo,
  lastSeq: number,
  given: KeyObject | undefined,
  witness: AuditCheckpoint | undefined,
): Promise<{ last: CheckpointSummary | null; count: number; keyId: string | null } | Omit<Failure, 'count'>> {
  const recordedPem = repo.publicKeyPem();
  const recorded = recordedPem ? readPublicKeyPem(recordedPem) : null;
  const key = given ?? recorded;
  const keyId = key ? publicKeyId(key) : null;
  const databaseId = repo.databaseId();
  let last: CheckpointSummary | null = null;
  const fail = (firstBadSeq: number, problem: TrailProblem, detail: string): Omit<Failure, 'count'> => ({ ok: false, firstBadSeq, problem, lastCheckpoint: last, detail });
  if (given && recorded && publicKeyId(recorded) !== keyId) {
    return fail(0, 'public_key_mismatch', `the database records key ${publicKeyId(recorded)}, not the given ${keyId}`);
  }
  let count = 0;
  let witnessed = false;
  for (const c of repo.all()) {
    if (count > 0 && count % CHECKPOINT_PAGE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!key || c.keyId !== keyId) return fail(c.seq, 'checkpoint_foreign_key', `checkpoint at seq ${c.seq} names key ${c.keyId}; trusted key is ${keyId ?? 'none'}`);
    if (!checkpointSignatureValid(key, databaseId, c)) return fail(c.seq, 'checkpoint_bad_signature', `checkpoint at seq ${c.seq} does not verify with key ${keyId}`);
    if (c.seq > lastSeq) {
      // Signed after the walk read the chain's end (a running engine): not covered by this walk.
      if (repo.eventHash(c.seq) !== null) break;
      return fail(lastSeq + 1, 'checkpoint_beyond_chain', `a checkpoint signed seq ${c.seq} but the trail ends at seq ${lastSeq}: events were removed`);
    }
    if (repo.eventHash(c.seq) !== c.hash) {
      return fail(c.seq, 'checkpoint_off_chain', `the trail's hash at seq ${c.seq} is not the signed one: an event after seq ${last?.seq ?? 0} and up to ${c.seq} was changed`);
    }
    last = { seq: c.seq, at: c.at, keyId: c.keyId };
    if (witness && c.seq === witness.seq && c.hash === witness.hash) witnessed = true;
    count++;
  }
  // A witness newer than the walk's end was signed while the walk ran (a running engine).
  const newerThanWalk = witness !== undefined && witness.seq > lastSeq && repo.eventHash(witness.seq) !== null;
  if (witness && !witnessed && !newerThanWalk) {
    if (!key || witness.keyId !== keyId || !checkpointSignatureValid(key, databaseId, witness)) {
      return fail(witness.seq, 'checkpoint_bad_signature', `the witness checkpoint (seq ${witness.seq}) does not verify with key ${keyId ?? 'none'}`);
    }
    return fail(Math.min(witness.seq, lastSeq + 1), 'checkpoint_missing', `the checkpoint of seq ${witness.seq} at ${new Date(witness.at).toISOString()} kept outside the database is not in it: newer checkpoints were deleted`);
  }
  return { last, count, keyId };
}

const CHANGED: Record<Extract<LeadRecordCheck, { status: 'changed' }>['part'], string> = {
  kept: 'differs from what was received (consent or non-contact fields)',
  contact: 'differs from what was received (contact fields)',
  before_erasure: 'was changed before it was erased (its erasure receipt says the record no longer matched what was received)',
  after_erasure: 'was changed after it was erased (it no longer matches the seal its erasure receipt holds)',
  no_receipt: 'is erased but the trail holds no erasure receipt with a seal for it',
};

async function verifyLeads(db: Database, repos: { queries: QueryRepo; salt: string }, pageSize: number): Promise<LeadCounts | Omit<Failure, 'count' | 'lastCheckpoint'>> {
  const page = db.prepare("SELECT seq, lead_id AS leadId, data FROM audit_events WHERE type = 'received' AND seq > ? ORDER BY seq LIMIT ?");
  const keyOf = db.prepare('SELECT lead_key AS key FROM leads WHERE id = ?');
  const lastErased = db.prepare("SELECT data FROM audit_events WHERE lead_id = ? AND type = 'erased' ORDER BY seq DESC LIMIT 1");
  const counts: LeadCounts = { intact: 0, erased: 0, unhashed: 0 };
  let after = 0;
  // Each page reads in one snapshot, so an erasure landing mid-page cannot pair a row with a vanished key.
  const checkPage = db.transaction((): { done: boolean; failure?: Omit<Failure, 'count' | 'lastCheckpoint'> } => {
    const rows = page.all(after, pageSize) as Array<{ seq: number; leadId: string | null; data: string }>;
    for (const row of rows) {
      after = row.seq;
      const sealed = (JSON.parse(row.data) as { recordHash?: unknown }).recordHash;
      const hashed = isLeadRecordHash(sealed);
      const lead = row.leadId ? repos.queries.getLead(row.leadId) : null;
      if (!row.leadId || (!hashed && lead?.erasedAt == null)) {
        counts.unhashed++;
        continue;
      }
      if (!lead) return { done: true, failure: { ok: false, firstBadSeq: row.seq, problem: 'lead_missing', leadId: row.leadId, detail: `lead ${row.leadId} was received at seq ${row.seq} but is gone` } };
      let check: LeadRecordCheck;
      if (lead.erasedAt != null) {
        const receipt = lastErased.get(row.leadId) as { data: string } | undefined;
        const data = receipt ? (JSON.parse(receipt.data) as { resealed?: unknown }) : null;
        // A lead received before record hashes and erased before erasure sealed rows has nothing to check.
        if (!hashed && data?.resealed === undefined) {
          counts.unhashed++;
          continue;
        }
        check = checkErasedRecord(repos.salt, lead, hashed, data);
      } else {
        if (!hashed) continue;
        const key = (keyOf.get(row.leadId) as { key: Buffer | null } | undefined)?.key ?? null;
        check = checkLeadRecord(lead, sealed, key);
      }
      if (check.status === 'changed') {
        return { done: true, failure: { ok: false, firstBadSeq: row.seq, problem: 'lead_record_changed', leadId: row.leadId, detail: `lead ${row.leadId} ${CHANGED[check.part]}` } };
      }
      if (check.status === 'erased' && !hashed) counts.unhashed++;
      else counts[check.status]++;
    }
    return { done: rows.length < pageSize };
  });
  for (;;) {
    const { done, failure } = checkPage();
    if (failure) return failure;
    if (done) return counts;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

import { setImmediate as nextTurn } from 'node:timers/promises';
import type { KeyObject } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { checkpointSignatureValid, type AuditCheckpoint, type CheckpointRepo } from './audit-checkpoints.js';
import { verifyAuditAsync, type AuditProblem, type VerifyProgress } from './audit-verify.js';
import { checkErasedRecord, checkLeadRecord, isLeadRecordHash, type LeadRecordCheck } from './lead-record-hash.js';
import { allRows, readOn, type PageReader, type ReadSteps } from './read-steps.js';
import { toLead, type LeadRow } from './row-mappers.js';
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
  /** Where the chain's and the leads' pages are read (default: on `db`); a running engine reads them in its read thread. */
  read?: PageReader;
}

type Failure = Extract<TrailVerifyResult, { ok: false }>;

/**
 * The whole check a reviewer relies on: the hash chain, every signed checkpoint against the public key
 * and against the chain, and every lead row against the record hash in its `received` event. Reads only,
 * so it runs on a read-only copy; needs no private key. The first problem found is returned.
 */
export async function verifyTrail(db: Database, repos: { checkpoints: CheckpointRepo; salt: string }, opts: TrailVerifyOptions = {}): Promise<TrailVerifyResult> {
  const chain = await verifyAuditAsync(db, { onProgress: opts.onProgress, pageSize: opts.pageSize, read: opts.read });
  if (!chain.ok) return { ...chain, lastCheckpoint: null };
  const signed = await verifyCheckpoints(repos.checkpoints, chain.lastSeq, opts.publicKey, opts.witness);
  if ('problem' in signed) return { ...signed, count: chain.count };
  const leads = await verifyLeads(db, repos, opts.pageSize ?? LEAD_PAGE, opts.read ?? readOn(db));
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

/** Signed checkpoints checked between two turns of the event loop (an Ed25519 check is about 125 µs here; a long trail has thousands). */
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
    if (count > 0 && count % CHECKPOINT_PAGE === 0) await nextTurn();
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

interface ReceivedRow {
  seq: number;
  leadId: string | null;
  data: string;
}

/** A lead's row with its key. */
type LeadKeyRow = LeadRow & { lead_key: Uint8Array | null };

/** One page of `received` events with the leads they name and, for erased ones, their latest erasure receipt. */
interface LeadPage {
  rows: ReceivedRow[];
  leads: Map<string, LeadKeyRow>;
  receipts: Map<string, string>;
}

async function verifyLeads(db: Database, repos: { salt: string }, pageSize: number, read: PageReader): Promise<LeadCounts | Omit<Failure, 'count' | 'lastCheckpoint'>> {
  const page = db.prepare("SELECT seq, lead_id AS leadId, data FROM audit_events WHERE type = 'received' AND seq > ? ORDER BY seq LIMIT ?");
  const leadsOf = db.prepare('SELECT * FROM leads WHERE id IN (SELECT value FROM json_each(?))');
  // Receipts in sequence order: the last one per lead is its latest.
  const receiptsOf = db.prepare("SELECT lead_id AS leadId, data FROM audit_events WHERE type = 'erased' AND lead_id IN (SELECT value FROM json_each(?)) ORDER BY seq");
  const counts: LeadCounts = { intact: 0, erased: 0, unhashed: 0 };
  // Each page reads in one snapshot, so an erasure landing mid-page cannot pair a row with a vanished key.
  const readPage = function* (after: number): ReadSteps<LeadPage> {
    const rows = (yield allRows(page, after, pageSize)) as ReceivedRow[];
    const ids = [...new Set(rows.map((r) => r.leadId).filter((id): id is string => id !== null))];
    const leadRows = ids.length ? ((yield allRows(leadsOf, JSON.stringify(ids))) as LeadKeyRow[]) : [];
    const erased = leadRows.filter((l) => l.erased_at != null).map((l) => l.id);
    const receiptRows = erased.length ? ((yield allRows(receiptsOf, JSON.stringify(erased))) as Array<{ leadId: string; data: string }>) : [];
    return { rows, leads: new Map(leadRows.map((l) => [l.id, l])), receipts: new Map(receiptRows.map((r) => [r.leadId, r.data])) };
  };
  const checkPage = ({ rows, leads, receipts }: LeadPage): Omit<Failure, 'count' | 'lastCheckpoint'> | null => {
    for (const row of rows) {
      const sealed = (JSON.parse(row.data) as { recordHash?: unknown }).recordHash;
      const hashed = isLeadRecordHash(sealed);
      const leadRow = row.leadId ? leads.get(row.leadId) : undefined;
      const lead = leadRow ? toLead(leadRow) : null;
      if (!row.leadId || (!hashed && lead?.erasedAt == null)) {
        counts.unhashed++;
        continue;
      }
      if (!lead || !leadRow) return { ok: false, firstBadSeq: row.seq, problem: 'lead_missing', leadId: row.leadId, detail: `lead ${row.leadId} was received at seq ${row.seq} but is gone` };
      let check: LeadRecordCheck;
      if (lead.erasedAt != null) {
        const receipt = receipts.get(row.leadId);
        const data = receipt ? (JSON.parse(receipt) as { resealed?: unknown }) : null;
        // A lead received before record hashes and erased before erasure sealed rows has nothing to check.
        if (!hashed && data?.resealed === undefined) {
          counts.unhashed++;
          continue;
        }
        check = checkErasedRecord(repos.salt, lead, hashed, data);
      } else {
        if (!hashed) continue;
        check = checkLeadRecord(lead, sealed, asBuffer(leadRow.lead_key));
      }
      if (check.status === 'changed') {
        return { ok: false, firstBadSeq: row.seq, problem: 'lead_record_changed', leadId: row.leadId, detail: `lead ${row.leadId} ${CHANGED[check.part]}` };
      }
      if (check.status === 'erased' && !hashed) counts.unhashed++;
      else counts[check.status]++;
    }
    return null;
  };
  let after = 0;
  for (;;) {
    const from = after;
    const leadPage = await read(() => readPage(from));
    const failure = checkPage(leadPage);
    if (failure) return failure;
    if (leadPage.rows.length < pageSize) return counts;
    after = leadPage.rows[leadPage.rows.length - 1]?.seq ?? after;
    await nextTurn();
  }
}

/** A lead's key as the page brought it: a Buffer on this connection, a plain Uint8Array from the read thread. */
function asBuffer(key: Uint8Array | null | undefined): Buffer | null {
  if (!key) return null;
  return Buffer.isBuffer(key) ? key : Buffer.from(key.buffer, key.byteOffset, key.byteLength);
}

import type { Database } from 'better-sqlite3';
import { canonicalEvent, GENESIS_HASH, hashEvent, readAuditHead } from './audit-chain.js';

export type AuditProblem = 'hash_mismatch' | 'gap' | 'prev_mismatch' | 'checkpoint_mismatch';

/**
 * `gap`: an event is missing (deleted), including at the tail. `prev_mismatch`: an event does not point
 * at its predecessor. `hash_mismatch`: an event's content no longer matches its hash (edited).
 * `checkpoint_mismatch`: events exist past the head recorded at the last commit (appended from outside).
 */
export type AuditVerifyResult =
  | { ok: true; count: number; lastSeq: number }
  | { ok: false; count: number; firstBadSeq: number; problem: AuditProblem };

export type VerifyProgress = (count: number, total: number) => void;

interface AuditRow {
  seq: number;
  lead_id: string | null;
  at: number;
  type: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
}

/** Events hashed per turn of the event loop by verifyAuditAsync (about 2–3 ms on a small machine). */
export const CHAIN_PAGE = 500;

const SELECT_COLUMNS = 'SELECT seq, lead_id, at, type, actor, data, prev_hash, hash FROM audit_events';

/** Walks the chain row by row; the first problem found is final. */
class ChainVerifier {
  count = 0;
  private prevSeq = 0;
  private prevHash = GENESIS_HASH;
  failure: { firstBadSeq: number; problem: AuditProblem } | null = null;

  step(row: AuditRow): boolean {
    const expected = this.prevSeq + 1;
    if (row.seq !== expected) return this.fail(expected, 'gap');
    if (row.prev_hash !== this.prevHash) return this.fail(row.seq, 'prev_mismatch');
    const hash = hashEvent(this.prevHash, canonicalEvent(row.seq, row.lead_id, row.at, row.type, row.actor, row.data));
    if (hash !== row.hash) return this.fail(row.seq, 'hash_mismatch');
    this.count++;
    this.prevSeq = row.seq;
    this.prevHash = row.hash;
    return true;
  }

  /** Compares the end of the table with the head recorded in meta, which catches deleted tail events. */
  finish(db: Database): void {
    if (this.failure) return;
    const head = readAuditHead(db) ?? { seq: 0, hash: GENESIS_HASH };
    if (head.seq > this.prevSeq) this.fail(this.prevSeq + 1, 'gap');
    else if (head.seq < this.prevSeq) this.fail(head.seq + 1, 'checkpoint_mismatch');
    else if (head.hash !== this.prevHash) this.fail(this.prevSeq, 'hash_mismatch');
  }

  result(): AuditVerifyResult {
    if (this.failure) return { ok: false, count: this.count, ...this.failure };
    return { ok: true, count: this.count, lastSeq: this.prevSeq };
  }

  private fail(firstBadSeq: number, problem: AuditProblem): false {
    this.failure = { firstBadSeq, problem };
    return false;
  }
}

function totalOf(db: Database): number {
  const row = db.prepare('SELECT MAX(seq) AS max FROM audit_events').get() as { max: number | null };
  return row.max ?? 0;
}

/**
 * Verifies the whole trail in one read transaction (a consistent snapshot even while the engine
 * writes from another connection). Blocks its connection until done: use verifyAuditAsync on a
 * connection others share.
 */
export function verifyAudit(db: Database, onProgress?: VerifyProgress): AuditVerifyResult {
  return db.transaction(() => {
    const total = totalOf(db);
    const verifier = new ChainVerifier();
    for (const row of db.prepare(`${SELECT_COLUMNS} ORDER BY seq`).iterate() as IterableIterator<AuditRow>) {
      if (!verifier.step(row)) break;
      if (onProgress && verifier.count % 5000 === 0) onProgress(verifier.count, total);
    }
    verifier.finish(db);
    onProgress?.(verifier.count, total);
    return verifier.result();
  })();
}

/**
 * Same checks, in pages of `pageSize` rows with a turn of the event loop between pages, so the engine
 * stays responsive. Each page is read with its checkpoint in one snapshot; events appended while the
 * walk runs are verified too.
 */
export async function verifyAuditAsync(db: Database, opts: { onProgress?: VerifyProgress; pageSize?: number } = {}): Promise<AuditVerifyResult> {
  // A page is a few milliseconds of hashing: the engine's leads wait at most that long behind a verify.
  const pageSize = opts.pageSize ?? CHAIN_PAGE;
  const page = db.prepare(`${SELECT_COLUMNS} WHERE seq > ? ORDER BY seq LIMIT ?`);
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const done = db.transaction(() => {
      const rows = page.all(after, pageSize) as AuditRow[];
      for (const row of rows) {
        if (!verifier.step(row)) return true;
        after = row.seq;
      }
      if (rows.length < pageSize) {
        verifier.finish(db);
        return true;
      }
      return false;
    })();
    opts.onProgress?.(verifier.count, Math.max(totalOf(db), verifier.count));
    if (done) return verifier.result();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

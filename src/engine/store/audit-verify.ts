import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Database } from 'better-sqlite3';
import { AUDIT_HEAD_KEY, AUDIT_HEAD_SQL, auditHeadOf, canonicalEvent, GENESIS_HASH, hashEvent, readAuditHead, type ChainHead } from './audit-chain.js';
import { allRows, getRow, readOn, type PageReader } from './read-steps.js';

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

  /** Compares the end of the table with the head recorded in meta (read in the same snapshot), which catches deleted tail events. */
  finish(recorded: ChainHead | null): void {
    if (this.failure) return;
    const head = recorded ?? { seq: 0, hash: GENESIS_HASH };
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
    verifier.finish(readAuditHead(db));
    onProgress?.(verifier.count, total);
    return verifier.result();
  })();
}

/**
 * Same checks, in pages of `pageSize` rows with a turn of the event loop between pages, so the engine
 * stays responsive. Each page is read with the chain's recorded head and length in one snapshot, by
 * `read` (a running engine reads them in its read thread, so only the hashing is on its loop); events
 * appended while the walk runs are verified too.
 */
export async function verifyAuditAsync(db: Database, opts: { onProgress?: VerifyProgress; pageSize?: number; read?: PageReader } = {}): Promise<AuditVerifyResult> {
  // A page is a few milliseconds of hashing: the engine's leads wait at most that long behind a verify.
  const pageSize = opts.pageSize ?? CHAIN_PAGE;
  const page = db.prepare(`${SELECT_COLUMNS} WHERE seq > ? ORDER BY seq LIMIT ?`);
  const headRow = db.prepare(AUDIT_HEAD_SQL);
  const lastSeq = db.prepare('SELECT MAX(seq) AS max FROM audit_events');
  const read: PageReader = opts.read ?? readOn(db);
  const verifier = new ChainVerifier();
  let after = 0;
  for (;;) {
    const from = after;
    const { rows, head, total } = await read(function* () {
      const rows = (yield allRows(page, from, pageSize)) as AuditRow[];
      // The last page: the head recorded in meta, in the same snapshot as the chain's end.
      const head = rows.length < pageSize ? auditHeadOf((yield getRow(headRow, AUDIT_HEAD_KEY)) as { value: string } | undefined) : null;
      const total = ((yield getRow(lastSeq)) as { max: number | null }).max ?? 0;
      return { rows, head, total };
    });
    let done = false;
    for (const row of rows) {
      if (!verifier.step(row)) {
        done = true;
        break;
      }
      after = row.seq;
    }
    if (!done && rows.length < pageSize) {
      verifier.finish(head);
      done = true;
    }
    opts.onProgress?.(verifier.count, Math.max(total, verifier.count));
    if (done) return verifier.result();
    await nextTurn();
  }
}

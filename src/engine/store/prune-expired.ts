/**
 * Housekeeping of expired rows, run by the WAL checkpointer's worker (wal-checkpointer.ts) so the event
 * loop neither scans nor holds the write lock: duplicate fingerprints older than the longest campaign
 * window and idempotency keys past their time, deleted a page per short IMMEDIATE transaction.
 */

export interface PruneResult {
  fingerprints: number;
  keys: number;
  /** What stopped the run before it was done (the rows deleted until then stay deleted). */
  error: string | null;
}

/** The worker's answer to one `{ kind: 'prune' }` message. */
export interface PruneReply {
  id: number;
  fingerprints: number;
  keys: number;
  error: string | null;
}

/** Rows deleted per transaction. */
export const PRUNE_PAGE_ROWS = 1000;
/** How often a page that met the writer's lock is tried again (25 ms apart) before the run stops. */
export const PRUNE_BUSY_RETRIES = 400;

/**
 * The worker's part, plain JavaScript spliced into the checkpointer's worker source: it uses that
 * source's `db`, `parentPort` and `workerData` (`prune.pageRows`, `prune.busyRetries`,
 * `rollups.behindMs`) and defines `prune(message)` and `stopPruning()`.
 */
export const PRUNE_WORKER_SOURCE = `
// Expired duplicate fingerprints and idempotency keys, a page at a time: each page's deletes are one
// short IMMEDIATE transaction, and the worker turns (checkpoints, catch-ups) between pages. The
// fingerprints have no index on their time, so the page reads walk the primary key from a cursor: one
// pass over the table in all, outside any write transaction.
const PAGE = workerData.prune.pageRows;
const fpCols = 'campaign_id AS c, kind AS k, hash AS h, at AS a, lead_id AS l';
const fpOrder = 'ORDER BY campaign_id, kind, hash, at, lead_id LIMIT @page';
const fpFirst = db.prepare('SELECT ' + fpCols + ' FROM fingerprints WHERE at < @before ' + fpOrder);
const fpNext = db.prepare('SELECT ' + fpCols + ' FROM fingerprints WHERE (campaign_id, kind, hash, at, lead_id) > (@c, @k, @h, @a, @l) AND at < @before ' + fpOrder);
const fpDelete = db.prepare('DELETE FROM fingerprints WHERE campaign_id = ? AND kind = ? AND hash = ? AND at = ? AND lead_id = ?');
const keysDelete = db.prepare('DELETE FROM idempotency_keys WHERE (source_id, key) IN (SELECT source_id, key FROM idempotency_keys WHERE created_at < ? LIMIT ?)');
const deleteFingerprints = db.transaction((rows) => {
  let n = 0;
  for (const r of rows) n += fpDelete.run(r.c, r.k, r.h, r.a, r.l).changes;
  return n;
});
const deleteKeys = db.transaction((before) => keysDelete.run(before, PAGE).changes);
let stopped = false;
let pruneTimer = null;
const stopPruning = () => {
  stopped = true;
  if (pruneTimer !== null) { clearTimeout(pruneTimer); clearImmediate(pruneTimer); }
};
const prune = (m) => {
  const job = { cursor: null, fingerprints: 0, keys: 0, phase: 'fingerprints', busy: 0 };
  const finish = (error) => parentPort.postMessage({ prune: { id: m.id, fingerprints: job.fingerprints, keys: job.keys, error } });
  const step = () => {
    pruneTimer = null;
    if (stopped) return;
    try {
      if (job.phase === 'fingerprints') {
        const at = { before: m.fingerprintsBefore, page: PAGE };
        const rows = job.cursor ? fpNext.all({ ...job.cursor, ...at }) : fpFirst.all(at);
        if (rows.length) {
          job.fingerprints += deleteFingerprints.immediate(rows);
          job.cursor = rows[rows.length - 1];
        }
        if (rows.length < PAGE) job.phase = 'keys';
      } else {
        const n = deleteKeys.immediate(m.keysBefore);
        job.keys += n;
        if (n < PAGE) return finish(null);
      }
      job.busy = 0;
      pruneTimer = setImmediate(step);
    } catch (err) {
      if (db.inTransaction) db.exec('ROLLBACK');
      // The engine's writer holds the lock: the same page is tried again shortly.
      if (err && err.code === 'SQLITE_BUSY' && job.busy++ < workerData.prune.busyRetries) {
        pruneTimer = setTimeout(step, workerData.rollups.behindMs);
        return;
      }
      finish(String((err && err.message) || err));
    }
  };
  step();
};
`;

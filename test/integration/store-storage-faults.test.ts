import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditChain } from '../../src/engine/store/audit-chain.js';
import { verifyAudit } from '../../src/engine/store/audit-verify.js';
import { HotPathRepo } from '../../src/engine/store/hot-path-repo.js';
import { Store } from '../../src/engine/store/index.js';
import { connectionPragmas, databasePath, openDatabase } from '../../src/engine/store/open-database.js';
import { WriteQueue, type StorageState } from '../../src/engine/store/write-queue.js';
import { PingdeskError } from '../../src/shared/errors.js';
import { makeLead, makeTempDir, removeDir } from './fixtures/store-records.js';

/**
 * Storage faults caused for real: `PRAGMA max_page_count` at the current size makes the next page the
 * database needs fail with a genuine SQLITE_FULL on this connection; raising it is the disk freed.
 */
let dir: string;
let db: Database.Database | null = null;
let store: Store | null = null;

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  store?.close();
  store = null;
  if (db?.open) db.close();
  db = null;
  removeDir(dir);
});

const count = (d: Database.Database, sql: string): number => (d.prepare(sql).get() as { n: number }).n;

/** On the connection that commits the queue's batches: the writer thread's, or the queue's own. */
function fillDatabase(d: Database.Database, queue: WriteQueue): void {
  const pages = d.pragma('page_count', { simple: true }) as number;
  queue.writerPragma(`max_page_count = ${pages}`);
}

function freeDatabase(queue: WriteQueue): void {
  queue.writerPragma('max_page_count = 1073741823');
}

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function openQueue(writerThread: boolean, probeIntervalMs = 50) {
  db = openDatabase({ dataDir: dir });
  const logged: string[] = [];
  const writer = writerThread ? { file: databasePath(dir), pragmas: connectionPragmas('normal') } : undefined;
  const queue = new WriteQueue(db, { log: (level, msg) => logged.push(`${level}: ${msg}`), probeIntervalMs, writerThread: writer });
  expect(queue.committer).toBe(writerThread ? 'writer thread' : 'main thread');
  const chain = new AuditChain(db, queue, () => Date.now());
  const hot = new HotPathRepo(db, queue);
  const states: StorageState[] = [];
  queue.onStateChange((s) => states.push(s));
  return { db, queue, chain, hot, states, logged };
}

/** Enough rows that the batch needs new pages (a page holds a few leads at most). */
function enqueueLeads(hot: HotPathRepo, chain: AuditChain, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    hot.insertLead(makeLead(`lead-${i}`, { fields: { first_name: `Ana ${i} ${'x'.repeat(400)}`, phone: '+15125550142', state: 'TX' } }));
    chain.append({ leadId: `lead-${i}`, type: 'received', actor: 'source:pub-1', data: { i } });
  }
}

describe.each([
  { where: 'writer thread', writerThread: true },
  { where: 'main thread', writerThread: false },
])('write queue under storage faults, committing in the $where', ({ writerThread }) => {
  it('retains a batch the full disk refused, rejects its waiters at once and commits it in order once there is room', async () => {
    const { db: conn, queue, chain, hot, states, logged } = openQueue(writerThread);
    enqueueLeads(hot, chain, 0, 5);
    await queue.flush();
    fillDatabase(conn, queue);

    enqueueLeads(hot, chain, 5, 60);
    const started = Date.now();
    const failure = await queue.flush().catch((err: unknown) => err);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(failure).toBeInstanceOf(PingdeskError);
    expect((failure as PingdeskError).code).toBe('storage_unavailable');
    expect((failure as PingdeskError).status).toBe(503);
    expect(queue.state()).toMatchObject({ available: false, retained: 120 });
    expect(queue.state().reason).toMatch(/^SQLITE_FULL: /);
    expect(states.map((s) => s.available)).toEqual([false]);
    expect(logged.some((l) => l.startsWith('error: storage unavailable'))).toBe(true);

    // While unavailable, flush refuses at once and later writes queue behind the retained ones.
    enqueueLeads(hot, chain, 65, 10);
    await expect(queue.flush()).rejects.toMatchObject({ code: 'storage_unavailable' });
    await new Promise((r) => setTimeout(r, 200));
    expect(queue.state()).toMatchObject({ available: false, retained: 140 });
    expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(5);
    expect(queue.stats.droppedOps).toBe(0);

    freeDatabase(queue);
    await until(() => queue.available);
    expect(states.map((s) => s.available)).toEqual([false, true]);
    expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(75);
    expect(count(conn, 'SELECT COUNT(*) AS n FROM audit_events')).toBe(75);
    // Every event in order, each chained onto the one before: the in-memory head never moved back.
    const seqs = (conn.prepare('SELECT seq FROM audit_events ORDER BY seq').all() as Array<{ seq: number }>).map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 75 }, (_, i) => i + 1));
    expect(verifyAudit(conn)).toMatchObject({ ok: true, count: 75, lastSeq: 75 });

    // Business as usual afterwards: the next append chains on and commits on the next turn.
    enqueueLeads(hot, chain, 75, 1);
    await queue.flush();
    expect(verifyAudit(conn)).toMatchObject({ ok: true, lastSeq: 76 });
    queue.close();
  });

  it('settles retained writes only when they commit, never as lost', async () => {
    const { db: conn, queue, chain, hot } = openQueue(writerThread);
    fillDatabase(conn, queue);
    const settled: boolean[] = [];
    enqueueLeads(hot, chain, 0, 40);
    queue.enqueue({ stmt: conn.prepare("INSERT INTO meta (key, value) VALUES ('probe-test', 'x')"), params: [], settled: (ok) => settled.push(ok) });
    await expect(queue.flush()).rejects.toMatchObject({ code: 'storage_unavailable' });
    await new Promise((r) => setTimeout(r, 150));
    expect(settled).toEqual([]);
    freeDatabase(queue);
    await until(() => queue.available);
    expect(settled).toEqual([true]);
    queue.close();
  });

  it('a bad row is still skipped on its own and does not make the storage unavailable', async () => {
    const { queue, hot, states } = openQueue(writerThread);
    hot.insertLead(makeLead('lead-1'));
    await queue.flush();
    hot.insertLead(makeLead('lead-1')); // duplicate primary key: the row's fault, not the disk's
    hot.insertLead(makeLead('lead-2'));
    await expect(queue.flush()).rejects.toThrow(/UNIQUE/);
    expect(queue.available).toBe(true);
    expect(states).toEqual([]);
    queue.close();
  });

  it('the store refuses configuration writes with storage_unavailable while writes are retained', async () => {
    store = Store.open({ dataDir: dir, probeIntervalMs: 50, writerThread });
    // The store's own connection is private; a second connection holding the write lock makes its
    // next batch fail with SQLITE_BUSY, a fault of the file and not of the row.
    db = openDatabase({ dataDir: dir });
    db.exec('BEGIN IMMEDIATE');
    store.insertLead(makeLead('lead-1'));
    store.appendAudit({ leadId: 'lead-1', type: 'received', actor: 'source:pub-1', data: {} });
    await expect(store.flush()).rejects.toMatchObject({ code: 'storage_unavailable' });
    expect(store.storageState()).toMatchObject({ available: false, retained: 2 });
    expect(store.storageState().reason).toMatch(/^SQLITE_BUSY/);
    const refused = (() => {
      try {
        store.saveSource({ id: 'pub-2', name: 'Other', campaigns: [] } as never);
        return null;
      } catch (err) {
        return err;
      }
    })();
    expect(refused).toMatchObject({ code: 'storage_unavailable', status: 503 });
    expect(store.pruneFingerprints(Date.now())).toBe(0);

    db.exec('COMMIT');
    await until(() => store?.storageState().available === true);
    expect(count(db, 'SELECT COUNT(*) AS n FROM leads')).toBe(1);
    expect(store.verifyAudit()).toMatchObject({ ok: true, count: 1 });
  });
});

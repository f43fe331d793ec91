import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditChain } from '../../src/engine/store/audit-chain.js';
import { verifyAudit } from '../../src/engine/store/audit-verify.js';
import { HotPathRepo } from '../../src/engine/store/hot-path-repo.js';
import { Store } from '../../src/engine/store/index.js';
import { connectionPragmas, databasePath, openDatabase } from '../../src/engine/store/open-database.js';
import { WriteQueue } from '../../src/engine/store/write-queue.js';
import { makeLead, makeTempDir, removeDir } from './fixtures/store-records.js';

let dir: string;
let store: Store | null = null;
let db: Database.Database | null = null;

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  store?.close();
  if (db?.open) db.close();
  store = null;
  db = null;
  removeDir(dir);
});

const count = (d: Database.Database, sql: string): number => (d.prepare(sql).get() as { n: number }).n;

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function openThreadQueue(probeIntervalMs = 50) {
  db = openDatabase({ dataDir: dir });
  const logged: string[] = [];
  const queue = new WriteQueue(db, {
    log: (level, msg, obj) => logged.push(`${level}: ${msg} ${JSON.stringify(obj ?? {})}`),
    probeIntervalMs,
    writerThread: { file: databasePath(dir), pragmas: connectionPragmas('normal') },
  });
  expect(queue.committer).toBe('writer thread');
  return { db, queue, chain: new AuditChain(db, queue, () => Date.now()), hot: new HotPathRepo(db, queue), logged };
}

describe('the store writer thread', () => {
  it('commits a lead with its key as a blob and the chain head in the same batch, before flush resolves', async () => {
    store = Store.open({ dataDir: dir });
    expect(store.writeCommitter()).toBe('writer thread');
    store.insertLead(makeLead('lead-1'));
    store.appendAudit({ leadId: 'lead-1', type: 'received', actor: 'intake', data: {} });
    await store.flush();
    const reader = new Database(databasePath(dir), { readonly: true });
    try {
      const row = reader.prepare('SELECT typeof(lead_key) AS t, length(lead_key) AS n FROM leads WHERE id = ?').get('lead-1');
      expect(row).toEqual({ t: 'blob', n: 32 });
      expect(JSON.parse((reader.prepare("SELECT value FROM meta WHERE key = 'audit_head'").get() as { value: string }).value)).toMatchObject({ seq: 1 });
    } finally {
      reader.close();
    }
    // The key read back from the table is the one the lead's hashes were made with.
    const hash = store.leadHash('lead-1', '+15125550142');
    store.close();
    store = Store.open({ dataDir: dir });
    expect(store.leadHash('lead-1', '+15125550142')).toBe(hash);
  });

  it('writes queued while a batch is in flight go into the next batch, in order', async () => {
    const { db: conn, queue, chain, hot } = openThreadQueue();
    for (let i = 0; i < 30; i++) {
      hot.insertLead(makeLead(`lead-${i}`));
      chain.append({ leadId: `lead-${i}`, type: 'received', actor: 'intake', data: { i } });
      // Each turn queues more while the previous batch may still be in the thread.
      if (i % 10 === 9) await new Promise((r) => setImmediate(r));
    }
    await queue.flush();
    expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(30);
    expect(verifyAudit(conn)).toMatchObject({ ok: true, count: 30, lastSeq: 30 });
    expect(queue.stats.ops).toBe(60);
    queue.close();
  });

  it('a value the thread cannot be sent is refused row by row, as in-thread: the rest of its batch commits', async () => {
    const { db: conn, queue, hot } = openThreadQueue();
    hot.insertLead(makeLead('lead-1'));
    queue.enqueue({ stmt: conn.prepare("INSERT INTO meta (key, value) VALUES ('bad', ?)"), params: [() => 'a function'] });
    hot.insertLead(makeLead('lead-2'));
    await expect(queue.flush()).rejects.toThrow();
    expect(queue.stats.droppedOps).toBe(1);
    expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(2);
    // The thread keeps committing afterwards, statements it never saw included.
    hot.insertLead(makeLead('lead-3'));
    queue.enqueue({ stmt: conn.prepare("INSERT INTO meta (key, value) VALUES ('good', 'x')"), params: [] });
    await queue.flush();
    expect(queue.committer).toBe('writer thread');
    expect(count(conn, "SELECT COUNT(*) AS n FROM meta WHERE key = 'good'")).toBe(1);
    queue.close();
  });

  it('flushSync commits in the thread before it returns, also with a batch already in flight', () => {
    const { db: conn, queue, hot } = openThreadQueue();
    for (let i = 0; i < 1500; i++) hot.insertLead(makeLead(`lead-${i}`));
    // 1000 queued writes started a batch at once; 500 wait behind it.
    expect(queue.pending).toBe(500);
    queue.flushSync();
    expect(queue.pending).toBe(0);
    expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(1500);
    queue.close();
  });

  it('flushSync inside a transaction of the store connection commits on that connection instead of waiting for a lock it holds', () => {
    const { db: conn, queue, hot } = openThreadQueue();
    conn.transaction(() => {
      conn.prepare("INSERT INTO meta (key, value) VALUES ('held', 'x')").run();
      hot.insertLead(makeLead('lead-1'));
      queue.flushSync();
    })();
    expect(queue.available).toBe(true);
    expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(1);
    queue.close();
  });

  it.each(['before-commit', 'after-commit'] as const)(
    'a thread that dies with a batch in flight (%s) loses nothing: what it did not commit is retained and commits on the main thread',
    async (when) => {
      const { db: conn, queue, chain, hot, logged } = openThreadQueue();
      hot.insertLead(makeLead('lead-0'));
      chain.append({ leadId: 'lead-0', type: 'received', actor: 'intake', data: {} });
      await queue.flush();
      const thread = queue.writerThreadForTest();
      const died = thread?.crashForTest(when);
      for (let i = 1; i <= 5; i++) {
        hot.insertLead(makeLead(`lead-${i}`));
        chain.append({ leadId: `lead-${i}`, type: 'received', actor: 'intake', data: { i } });
      }
      const settled: boolean[] = [];
      queue.enqueue({ stmt: conn.prepare("INSERT INTO meta (key, value) VALUES ('after', 'x')"), params: [], settled: (ok) => settled.push(ok) });
      const outcome = await queue.flush().then(() => 'committed', (err: unknown) => err);
      await died;
      expect(queue.committer).toBe('main thread');
      expect(logged.some((l) => l.startsWith('error: store writer thread stopped'))).toBe(true);
      if (when === 'after-commit') {
        // The batch's own marker says it committed: its waiters hear so, truthfully.
        expect(outcome).toBe('committed');
        expect(settled).toEqual([true]);
      } else {
        expect(outcome).toMatchObject({ code: 'storage_unavailable' });
        expect((outcome as Error).message).toMatch(/writer thread stopped/);
        expect(queue.state()).toMatchObject({ available: false, retained: 11 });
        expect(settled).toEqual([]);
        await until(() => queue.available);
        expect(settled).toEqual([true]);
      }
      expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(6);
      expect(verifyAudit(conn)).toMatchObject({ ok: true, count: 6, lastSeq: 6 });
      // Business as usual afterwards, on the main thread; the chain head checkpoint follows.
      hot.insertLead(makeLead('lead-6'));
      chain.append({ leadId: 'lead-6', type: 'received', actor: 'intake', data: {} });
      await queue.flush();
      expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(7);
      expect(JSON.parse((conn.prepare("SELECT value FROM meta WHERE key = 'audit_head'").get() as { value: string }).value)).toMatchObject({ seq: 7 });
      queue.close();
    },
  );

  it('a thread that dies while a synchronous flush waits for it: the flush still ends with everything committed', () => {
    const { db: conn, queue, hot } = openThreadQueue();
    for (let i = 0; i < 1200; i++) hot.insertLead(makeLead(`lead-${i}`));
    queue.flushSync();
    void queue.writerThreadForTest()?.crashForTest('before-commit');
    for (let i = 1200; i < 1300; i++) hot.insertLead(makeLead(`lead-${i}`));
    queue.flushSync();
    expect(queue.committer).toBe('main thread');
    expect(queue.available).toBe(true);
    expect(count(conn, 'SELECT COUNT(*) AS n FROM leads')).toBe(1300);
    queue.close();
  });

  it('a thread that dies while idle leaves the store writing on the main thread, losing nothing', async () => {
    store = Store.open({ dataDir: dir });
    store.insertLead(makeLead('lead-1'));
    await store.flush();
    await store.writerThreadForTest()?.crashForTest('now');
    await until(() => store?.writeCommitter() === 'main thread');
    store.insertLead(makeLead('lead-2'));
    await store.flush();
    expect(store.getLead('lead-2')).not.toBeNull();
    expect(store.storageState().available).toBe(true);
  });

  it('close commits what is queued, closes the thread first and leaves no WAL behind', () => {
    store = Store.open({ dataDir: dir });
    store.startWalCheckpoints(60_000);
    for (let i = 0; i < 50; i++) store.insertLead(makeLead(`lead-${i}`));
    store.close();
    store = null;
    expect(fs.existsSync(`${databasePath(dir)}-wal`)).toBe(false);
    const reader = new Database(databasePath(dir), { readonly: true });
    try {
      expect(count(reader, 'SELECT COUNT(*) AS n FROM leads')).toBe(50);
    } finally {
      reader.close();
    }
  });
});

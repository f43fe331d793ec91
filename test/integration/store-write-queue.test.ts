import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/engine/store/index.js';
import { connectionPragmas, databasePath, openDatabase } from '../../src/engine/store/open-database.js';
import { WriteQueue, type StoreLog } from '../../src/engine/store/write-queue.js';
import { makeLead, makeTempDir, removeDir } from './fixtures/store-records.js';

let dir: string;
let store: Store | null = null;
let reader: Database.Database | null = null;

beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => {
  reader?.close();
  store?.close();
  reader = null;
  store = null;
  removeDir(dir);
});

function openReaderOn(d: string): Database.Database {
  return new Database(databasePath(d), { readonly: true });
}

const countLeads = (db: Database.Database): number => (db.prepare('SELECT COUNT(*) AS n FROM leads').get() as { n: number }).n;

const MODES = [
  { where: 'writer thread', writerThread: true },
  { where: 'main thread', writerThread: false },
] as const;

describe.each(MODES)('write queue committing in the $where', ({ where, writerThread }) => {
  it('commits where it was asked to', () => {
    store = Store.open({ dataDir: dir, writerThread });
    expect(store.writeCommitter()).toBe(where);
  });

  it('commits a burst of writes in a few transactions, not one per write', async () => {
    store = Store.open({ dataDir: dir, writerThread, maxBatchOps: 2000 });
    for (let i = 0; i < 5000; i++) {
      store.insertLead(makeLead(`lead-${i}`));
      store.appendAudit({ leadId: `lead-${i}`, type: 'received', actor: 'intake', data: { i } });
    }
    await store.flush();
    const stats = store.writeStats();
    expect(stats.ops).toBe(10_000);
    expect(stats.batches).toBeLessThanOrEqual(6);
    reader = openReaderOn(dir);
    expect(countLeads(reader)).toBe(5000);
  });

  it('flush resolves only once the writes are visible to another connection', async () => {
    store = Store.open({ dataDir: dir, writerThread });
    reader = openReaderOn(dir);
    store.insertLead(makeLead('lead-1'));
    store.insertLead(makeLead('lead-2'));
    expect(countLeads(reader)).toBe(0);
    const flushed = store.flush();
    expect(countLeads(reader)).toBe(0);
    await flushed;
    expect(countLeads(reader)).toBe(2);
  });

  it('many concurrent flushes share one transaction', async () => {
    store = Store.open({ dataDir: dir, writerThread });
    const before = store.writeStats().batches;
    const waits: Array<Promise<void>> = [];
    for (let i = 0; i < 50; i++) {
      store.insertLead(makeLead(`lead-${i}`));
      waits.push(store.flush());
    }
    await Promise.all(waits);
    expect(store.writeStats().batches - before).toBe(1);
  });

  it('a bad write fails its waiters, keeps the good writes of its batch and is logged', async () => {
    const logged: string[] = [];
    const log: StoreLog = (level, msg) => logged.push(`${level}: ${msg}`);
    store = Store.open({ dataDir: dir, writerThread, log });
    store.insertLead(makeLead('lead-1'));
    await store.flush();
    store.insertLead(makeLead('lead-2'));
    store.insertLead(makeLead('lead-1')); // duplicate primary key
    store.insertLead(makeLead('lead-3'));
    await expect(store.flush()).rejects.toThrow(/UNIQUE/);
    reader = openReaderOn(dir);
    expect(countLeads(reader)).toBe(3);
    expect(store.writeStats().droppedOps).toBe(1);
    expect(logged.some((l) => l.startsWith('error:'))).toBe(true);
    // The queue keeps working afterwards.
    store.insertLead(makeLead('lead-4'));
    await store.flush();
    expect(countLeads(reader)).toBe(4);
  });

  it('a failing critical write rolls the whole batch back and tells the hooks', async () => {
    const db = openDatabase({ dataDir: dir });
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY)');
    const events: string[] = [];
    const queue = new WriteQueue(db, { log: () => undefined, writerThread: writerThread ? { file: databasePath(dir), pragmas: connectionPragmas('normal') } : undefined });
    expect(queue.committer).toBe(where);
    queue.addHook({ afterCommit: () => events.push('commit'), afterRollback: () => events.push('rollback') });
    const insert = db.prepare('INSERT INTO t (id) VALUES (?)');
    const settled: boolean[] = [];
    queue.enqueue({ stmt: insert, params: [1], settled: (ok) => settled.push(ok) });
    queue.enqueue({ stmt: insert, params: [1], critical: true });
    queue.enqueue({ stmt: insert, params: [2] });
    await expect(queue.flush()).rejects.toThrow(/UNIQUE/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(events).toEqual(['rollback']);
    expect(settled).toEqual([false]);
    expect(queue.stats.failedBatches).toBe(1);
    queue.close();
    db.close();
  });

  it('flush with nothing pending resolves at once', async () => {
    store = Store.open({ dataDir: dir, writerThread });
    await expect(store.flush()).resolves.toBeUndefined();
  });

  it('close commits what is still queued', () => {
    store = Store.open({ dataDir: dir, writerThread });
    store.insertLead(makeLead('lead-1'));
    store.close();
    store.close();
    store = null;
    reader = openReaderOn(dir);
    expect(countLeads(reader)).toBe(1);
  });
});

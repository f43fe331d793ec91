import fs from 'node:fs';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, Store } from '../../src/engine/store/index.js';
import { makeLead, makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) removeDir(dir);
  dir = null;
});

const walSize = (d: string) => {
  try {
    return fs.statSync(`${databasePath(d)}-wal`).size;
  } catch {
    return 0;
  }
};

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('WAL checkpoints in a worker thread', () => {
  it('copy committed pages into the database off the loop, and close leaves no WAL behind', async () => {
    dir = makeTempDir();
    const store = Store.open({ dataDir: dir, now: () => T0 });
    const checkpoints = store.startWalCheckpoints(25);
    // Far more than SQLite's own 1000-page autocheckpoint threshold.
    const filler = 'x'.repeat(4000);
    for (let i = 0; i < 1500; i++) store.insertLead(makeLead(`l${i}`, { receivedAt: T0 + i, fields: { first_name: filler, i } }));
    await store.flush();
    await until(() => checkpoints.stats.pagesCopied >= 1000);
    expect(checkpoints.stats.lastError).toBeNull();
    expect(walSize(dir)).toBeGreaterThan(0);
    store.close();
    expect(walSize(dir)).toBe(0);

    const db = new Database(databasePath(dir), { readonly: true });
    expect((db.prepare('SELECT COUNT(*) AS n FROM leads').get() as { n: number }).n).toBe(1500);
    db.close();
  });

  it('the engine connection no longer checkpoints on commit while the worker runs', async () => {
    dir = makeTempDir();
    const store = Store.open({ dataDir: dir, now: () => T0 });
    // A long interval: only SQLite's own autocheckpoint could copy pages before the end of the test.
    const checkpoints = store.startWalCheckpoints(60_000);
    const fileSize = () => fs.statSync(databasePath(dir as string)).size;
    const before = fileSize();
    for (let i = 0; i < 1500; i++) store.insertLead(makeLead(`l${i}`, { receivedAt: T0 + i, fields: { first_name: 'y'.repeat(4000), i } }));
    await store.flush();
    // ~6 MB committed, all of it still in the WAL: the database file has not grown.
    expect(walSize(dir)).toBeGreaterThan(1000 * 4096);
    expect(fileSize() - before).toBeLessThan(1024 * 1024);
    expect(checkpoints.stats.checkpoints).toBe(0);
    store.close();
    expect(fileSize() - before).toBeGreaterThan(5 * 1024 * 1024);
    expect(walSize(dir)).toBe(0);
  });
});

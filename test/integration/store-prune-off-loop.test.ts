import Database from 'better-sqlite3';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { databasePath, Store } from '../../src/engine/store/index.js';
import { openDatabase } from '../../src/engine/store/open-database.js';
import { autoCampaign, makeDataDir, startTestEngine, workspaceOf } from './fixtures/engine-harness.js';
import { mainThreadStatements } from './fixtures/statement-spy.js';
import { makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

const DAY = 86_400_000;
let dir: string;
let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
  removeDir(dir);
});

/** 2,500 expired and 700 live fingerprints over three campaigns; 1,300 expired and 200 live idempotency keys. */
async function fill(s: Store): Promise<void> {
  for (let i = 0; i < 3_200; i++) {
    const at = i < 2_500 ? T0 - 100 * DAY + i : T0 - i;
    s.insertFingerprints(`camp-${i % 3}`, `lead-${i}`, at, { phone: s.hashContact(`+1512555${String(i).padStart(4, '0')}`), ...(i % 2 ? { email: s.hashContact(`p${i}@example.com`) } : {}) });
  }
  for (let i = 0; i < 1_500; i++) {
    s.insertIdempotencyKey({ sourceId: `pub-${i % 2}`, key: `k-${i}`, route: 'leads', bodyHash: 'h', leadId: null, createdAt: i < 1_300 ? T0 - 3 * DAY + i : T0 - i });
  }
  await s.flush();
}

const counts = (db: Database.Database) => ({
  fingerprints: db.prepare('SELECT COUNT(*) FROM fingerprints').pluck().get(),
  expired: db.prepare('SELECT COUNT(*) FROM fingerprints WHERE at < ?').pluck().get(T0 - 90 * DAY),
  keys: db.prepare('SELECT COUNT(*) FROM idempotency_keys').pluck().get(),
});

describe('pruning expired fingerprints and idempotency keys', () => {
  it('runs in the checkpoint worker, page after page, and the event loop runs none of its statements', async () => {
    dir = makeTempDir();
    store = Store.open({ dataDir: dir, now: () => T0 });
    await fill(store);
    store.startWalCheckpoints(60_000);
    const db = new Database(databasePath(dir), { readonly: true });
    const expiredPhones = 2_500;
    const expiredEmails = 1_250;
    expect(counts(db)).toEqual({ fingerprints: 3_200 + 1_600, expired: expiredPhones + expiredEmails, keys: 1_500 });

    const calls = mainThreadStatements(db);
    let pruned;
    try {
      pruned = await store.pruneExpired({ fingerprintsBefore: T0 - 90 * DAY, keysBefore: T0 - 2 * DAY });
      expect(calls.count(), 'statements run on the main thread').toBe(0);
    } finally {
      calls.restore();
    }
    expect(pruned).toEqual({ fingerprints: expiredPhones + expiredEmails, keys: 1_300 });
    expect(counts(db)).toEqual({ fingerprints: 700 + 350, expired: 0, keys: 200 });
    // What is left still finds its duplicates.
    expect(store.findDuplicate('camp-1', { phone: store.hashContact('+15125553199') }, 0)).toBe('lead-3199');
    db.close();
  });

  it('waits while another connection holds the write lock, then finishes', async () => {
    dir = makeTempDir();
    store = Store.open({ dataDir: dir, now: () => T0 });
    await fill(store);
    store.startWalCheckpoints(60_000);
    const other = openDatabase({ dataDir: dir });
    other.exec('BEGIN IMMEDIATE');
    const running = store.pruneExpired({ fingerprintsBefore: T0 - 90 * DAY, keysBefore: T0 - 2 * DAY });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(counts(other).expired).toBe(3_750);
    other.exec('COMMIT');
    expect(await running).toEqual({ fingerprints: 3_750, keys: 1_300 });
    expect(counts(other)).toMatchObject({ expired: 0, keys: 200 });
    other.close();
  });

  it('without the worker, prunes on the store’s connection with the same result', async () => {
    dir = makeTempDir();
    store = Store.open({ dataDir: dir, now: () => T0 });
    await fill(store);
    expect(await store.pruneExpired({ fingerprintsBefore: T0 - 90 * DAY, keysBefore: T0 - 2 * DAY })).toEqual({ fingerprints: 3_750, keys: 1_300 });
  });
});

describe('the engine', () => {
  it('prunes at start, off the event loop, and says how many in its log', async () => {
    dir = makeDataDir('pingdesk-prune-');
    const first = await startTestEngine({ dir, workspace: workspaceOf(autoCampaign([]), []) });
    await first.close();
    const s = Store.open({ dataDir: dir });
    const old = Date.now() - 400 * DAY;
    for (let i = 0; i < 1_200; i++) s.insertFingerprints('auto', `old-${i}`, old + i, { phone: s.hashContact(`+1512444${String(i).padStart(4, '0')}`) });
    s.insertFingerprints('auto', 'fresh', Date.now(), { phone: s.hashContact('+15124449999') });
    await s.flush();
    s.close();

    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const h = await startTestEngine({ dir, logger });
    const db = h.db();
    const deadline = Date.now() + 10_000;
    while (db.prepare('SELECT COUNT(*) FROM fingerprints').pluck().get() !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(db.prepare('SELECT lead_id FROM fingerprints').pluck().all()).toEqual(['fresh']);
    await h.close();
    expect(lines.map((l) => JSON.parse(l) as { msg: string; pruned?: number }).find((l) => l.msg === 'pruned expired duplicate fingerprints')).toMatchObject({ pruned: 1_200 });
  });
});

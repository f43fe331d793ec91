import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LATEST_VERSION, MIGRATIONS, runMigrations } from '../../src/engine/store/migrations/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

describe('migration 0110: intake refusals', () => {
  it('carries a version-100 database with a stored lead to refusal counts per source, reason and hour that survive a reopen', async () => {
    const raw = new Database(databasePath(dir));
    raw.pragma('journal_mode = WAL');
    runMigrations(raw, { now: () => T0 }, MIGRATIONS.filter((m) => m.version <= 100));
    raw.prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, state, zip)
      VALUES ('lead-old', 'auto', 'pub', ?, 0, 'sold', '{"state":"TX"}', '{"text":"x","captured_at":"x"}', 'TX', '78701')`).run(T0);
    raw.close();

    const store = Store.open({ dataDir: dir });
    const hour = T0 - (T0 % 3_600_000);
    store.countRefusal('pub', 'duplicate', hour + 10);
    store.countRefusal('pub', 'duplicate', hour + 20);
    store.countRefusal('pub', 'suppressed', hour + 30);
    store.countRefusal('pub', 'duplicate', hour + 3_600_000 + 5);
    store.countRefusal('other', 'rate_limited', hour + 40);
    await store.flush();
    store.close();

    const reopened = Store.open({ dataDir: dir });
    expect(reopened.refusalCounts(hour, hour + 3_600_000)).toEqual([
      { sourceId: 'other', reason: 'rate_limited', count: 1 },
      { sourceId: 'pub', reason: 'duplicate', count: 2 },
      { sourceId: 'pub', reason: 'suppressed', count: 1 },
    ]);
    expect(reopened.refusalCounts(hour + 1000, hour + 7_200_000)).toContainEqual({ sourceId: 'pub', reason: 'duplicate', count: 3 });
    expect(reopened.getLead('lead-old')?.status).toBe('sold');
    reopened.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(after.prepare('SELECT COUNT(*) AS n FROM intake_refusals').get()).toEqual({ n: 4 });
    after.close();
  });
});

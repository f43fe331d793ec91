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

describe('migration 0080: lead screenings', () => {
  it('carries a version-60 database with a stored lead to screening rows that survive a reopen, in rule order', async () => {
    const raw = new Database(databasePath(dir));
    raw.pragma('journal_mode = WAL');
    runMigrations(raw, { now: () => T0 }, MIGRATIONS.filter((m) => m.version <= 60));
    raw.prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, state, zip)
      VALUES ('lead-old', 'auto', 'pub', ?, 0, 'sold', '{"state":"TX"}', '{"text":"x","captured_at":"x"}', 'TX', '78701')`).run(T0);
    raw.close();

    const store = Store.open({ dataDir: dir });
    expect(store.screeningsForLead('lead-old')).toEqual([]);
    store.insertScreenings('lead-old', [
      { vendor: 'trestle', outcome: 'FAIL', code: 'LOW_ACTIVITY', score: 12, httpStatus: 200, latencyMs: 41.6, verdict: 'flag', at: T0 + 5 },
      { vendor: 'ipqs', outcome: 'TIMEOUT', code: 'TIMEOUT', score: null, httpStatus: null, latencyMs: 300, verdict: 'flag', at: T0 + 5 },
    ]);
    await store.flush();
    store.close();

    const reopened = Store.open({ dataDir: dir });
    expect(reopened.screeningsForLead('lead-old')).toEqual([
      { vendor: 'trestle', outcome: 'FAIL', code: 'LOW_ACTIVITY', score: 12, httpStatus: 200, latencyMs: 42, verdict: 'flag', at: T0 + 5 },
      { vendor: 'ipqs', outcome: 'TIMEOUT', code: 'TIMEOUT', score: null, httpStatus: null, latencyMs: 300, verdict: 'flag', at: T0 + 5 },
    ]);
    expect(reopened.getLead('lead-old')?.status).toBe('sold');
    reopened.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(LATEST_VERSION).toBeGreaterThanOrEqual(80);
    after.close();
  });
});

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

describe('migration 0140: lead value estimates and dynamic floor changes', () => {
  it('carries a version-110 database with finished auctions to a market that learns from them and records estimates and floor changes', async () => {
    const raw = new Database(databasePath(dir));
    raw.pragma('journal_mode = WAL');
    runMigrations(raw, { now: () => T0 }, MIGRATIONS.filter((m) => m.version <= 110));
    const lead = raw.prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, state, zip)
      VALUES (?, 'auto', 'pub', ?, 0, ?, '{"state":"TX"}', '{"text":"x","captured_at":"x"}', 'TX', '78701')`);
    const auction = raw.prepare(`INSERT INTO auctions (id, lead_id, campaign_id, source_id, started_at, test, status, tier_reached, price_cents)
      VALUES (?, ?, 'auto', 'pub', ?, 0, ?, ?, ?)`);
    lead.run('L1', T0, 'sold');
    auction.run('A1', 'L1', T0, 'sold', 0, 2500);
    lead.run('L2', T0 + 1, 'unsold');
    auction.run('A2', 'L2', T0 + 1, 'unsold', 0, null);
    raw.close();

    const store = Store.open({ dataDir: dir, now: () => T0 + 10 });
    expect(store.market().winningBids('auto', 0, T0 - 1, 10)).toEqual([2500]);
    const row = { campaignId: 'auto', sourceId: 'pub', state: 'TX' };
    expect(store.market().trainingPage(T0 - 1, { startedAt: T0 + 10, id: '' }, 10)).toEqual([
      { ...row, startedAt: T0 + 1, id: 'A2', valueCents: 0 },
      { ...row, startedAt: T0, id: 'A1', valueCents: 2500 },
    ]);
    expect(store.market().trainingPage(T0 - 1, { startedAt: T0 + 1, id: 'A2' }, 10)).toEqual([{ ...row, startedAt: T0, id: 'A1', valueCents: 2500 }]);
    store.market().recordEstimate({ leadId: 'L2', campaignId: 'auto', sourceId: 'pub', at: T0 + 1, predictedCents: 1250, level: 'sourceState', samples: 2, modelTrainedAt: T0 });
    store.market().recordFloorChange({ at: T0 + 5, campaignId: 'auto', tierName: 'Premium', fromCents: 2000, toCents: 2200, targetCents: 2500, basis: 'winningBids', percentile: 25, samples: 2, limitedBy: 'step' });
    await store.flush();
    store.close();

    const reopened = Store.open({ dataDir: dir, readonly: true });
    expect(reopened.market().estimate('L2')).toMatchObject({ predictedCents: 1250, level: 'sourceState' });
    expect(reopened.market().lastFloorChange('auto', 'Premium')).toMatchObject({ fromCents: 2000, toCents: 2200, limitedBy: 'step' });
    expect(reopened.market().predictionError(T0, T0 + 10)).toEqual([{ outcome: 'unsold', leads: 1, predictedCents: 1250, actualCents: 0, absErrorCents: 1250 }]);
    reopened.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    after.close();
  });
});

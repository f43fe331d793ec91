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

describe('migration 0150: the A/B variant of an auction', () => {
  it('keeps older auctions out of every test and records new ones with their test and variant', async () => {
    const raw = new Database(databasePath(dir));
    raw.pragma('journal_mode = WAL');
    runMigrations(raw, { now: () => T0 }, MIGRATIONS.filter((m) => m.version < 150));
    raw.prepare(`INSERT INTO auctions (id, lead_id, campaign_id, source_id, started_at, test, status, price_cents, margin_cents)
      VALUES ('auc-old', 'lead-old', 'auto', 'pub', ?, 0, 'sold', 2500, 700)`).run(T0);
    raw.close();

    const store = Store.open({ dataDir: dir });
    const sold = (id: string, variant: 'A' | 'B', priceCents: number, at: number) => {
      store.insertAuction({ id, leadId: `lead-${id}`, campaignId: 'auto', sourceId: 'pub', startedAt: at, test: false, status: 'open', abTest: 'floors', abVariant: variant });
      store.updateAuction(id, { status: 'sold', priceCents, marginCents: 100 });
    };
    sold('a1', 'A', 2000, T0 + 1);
    sold('b1', 'B', 3000, T0 + 2);
    sold('b2', 'B', 1000, T0 + 3);
    store.insertAuction({ id: 'b3', leadId: 'lead-b3', campaignId: 'auto', sourceId: 'pub', startedAt: T0 + 4, test: false, status: 'unsold', abTest: 'floors', abVariant: 'B' });
    await store.flush();
    store.close();

    const reopened = Store.open({ dataDir: dir });
    const ab = reopened.abTests();
    expect(ab.latestTest('auto')).toBe('floors');
    expect(ab.firstAuctionAt('auto', 'floors')).toBe(T0 + 1);
    expect(ab.variantTotals('auto', 'floors', T0, T0 + 10)).toEqual([
      { variant: 'A', leads: 1, sold: 1, revenueCents: 2000, revenueSquaresCents2: 2000 * 2000, marginCents: 100 },
      { variant: 'B', leads: 3, sold: 2, revenueCents: 4000, revenueSquaresCents2: 3000 * 3000 + 1000 * 1000, marginCents: 200 },
    ]);
    reopened.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    expect(after.prepare("SELECT ab_test, ab_variant, price_cents FROM auctions WHERE id = 'auc-old'").get()).toEqual({ ab_test: null, ab_variant: null, price_cents: 2500 });
    after.close();
  });

  it('refuses a variant other than A or B', () => {
    const store = Store.open({ dataDir: dir });
    store.close();
    const raw = new Database(databasePath(dir));
    expect(() => raw.prepare(`INSERT INTO auctions (id, lead_id, campaign_id, source_id, started_at, status, ab_test, ab_variant) VALUES ('x', 'l', 'c', 's', 1, 'open', 't', 'C')`).run()).toThrow(/CHECK/);
    raw.close();
  });
});

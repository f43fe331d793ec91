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

  it('reports whole hours from the rollup and partial hours from the rows, equal to a plain sum over the rows through every change', async () => {
    const store = Store.open({ dataDir: dir });
    const HOUR = 3_600_000;
    const base = Math.floor(T0 / HOUR) * HOUR;
    const statuses = ['sold', 'unsold', 'unconfirmed', 'open', 'interrupted'] as const;
    for (let i = 0; i < 300; i++) {
      const id = `auc-${i}`;
      store.insertAuction({ id, leadId: `lead-${i}`, campaignId: 'auto', sourceId: 'pub', startedAt: base + i * 61_000, test: i % 17 === 0, status: 'open', abTest: 'floors', abVariant: i % 3 ? 'A' : 'B' });
      const status = statuses[i % statuses.length];
      if (status !== 'open') store.updateAuction(id, status === 'sold' ? { status, priceCents: 500 + i * 7, marginCents: 150 + i } : { status });
    }
    // An operator settles unconfirmed leads: some sold at their held price, some released.
    for (let i = 2; i < 300; i += 5) store.updateAuction(`auc-${i}`, i % 2 ? { status: 'sold', priceCents: 900, marginCents: 270 } : { status: 'unsold' });
    // An auction of another test and one in no test stay out.
    store.insertAuction({ id: 'other', leadId: 'lead-o', campaignId: 'auto', sourceId: 'pub', startedAt: base + 10, test: false, status: 'sold', priceCents: 99_999, abTest: 'other', abVariant: 'A' });
    store.insertAuction({ id: 'none', leadId: 'lead-n', campaignId: 'auto', sourceId: 'pub', startedAt: base + 10, test: false, status: 'sold', priceCents: 99_999 });
    await store.flush();

    const raw = new Database(databasePath(dir), { readonly: true });
    const plain = (variant: string, from: number, to: number) =>
      raw.prepare(`SELECT COUNT(*) AS leads, COALESCE(SUM(status = 'sold'), 0) AS sold,
          COALESCE(SUM(CASE WHEN status = 'sold' THEN price_cents END), 0) AS revenueCents,
          COALESCE(SUM(CASE WHEN status = 'sold' THEN price_cents * price_cents END), 0) AS revenueSquaresCents2,
          COALESCE(SUM(CASE WHEN status = 'sold' THEN margin_cents END), 0) AS marginCents
        FROM auctions WHERE ab_test = 'floors' AND ab_variant = ? AND test = 0 AND status IN ('sold', 'unsold', 'unconfirmed') AND started_at >= ? AND started_at < ?`).get(variant, from, to);
    for (const [from, to] of [[base, base + 6 * HOUR], [base + 1_234_567, base + 4 * HOUR + 99_999], [base + HOUR + 5, base + HOUR + 600_000], [0, base + 10 * HOUR]]) {
      const [a, b] = store.abTests().variantTotals('auto', 'floors', from, to);
      expect(a, `${from}..${to}`).toEqual({ variant: 'A', ...(plain('A', from, to) as object) });
      expect(b, `${from}..${to}`).toEqual({ variant: 'B', ...(plain('B', from, to) as object) });
    }
    expect((raw.prepare('SELECT COUNT(*) AS n FROM ab_test_hours').get() as { n: number }).n).toBeGreaterThan(4);
    raw.close();
    store.close();
  });
});

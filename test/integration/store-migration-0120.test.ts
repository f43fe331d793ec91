import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rebuildSignals } from '../../src/engine/signals/rebuild-signals.js';
import { BuyerSignals } from '../../src/engine/signals/rolling-signals.js';
import { SourceSignals } from '../../src/engine/signals/source-signals.js';
import { LATEST_VERSION, MIGRATIONS, runMigrations } from '../../src/engine/store/migrations/index.js';
import { databasePath } from '../../src/engine/store/open-database.js';
import { Store } from '../../src/engine/store/index.js';
import { makeTempDir, removeDir, T0 } from './fixtures/store-records.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir();
});
afterEach(() => removeDir(dir));

const WEEK = 7 * 86_400_000;

/** Rows as a version-110 engine wrote them: two campaigns, one buyer in both, a sale converted, one returned. */
function seedVersion110(): void {
  const raw = new Database(databasePath(dir));
  raw.pragma('journal_mode = WAL');
  runMigrations(raw, { now: () => T0 }, MIGRATIONS.filter((m) => m.version <= 110));
  const lead = raw.prepare(`INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, price_cents, payout_cents, buyer_id)
    VALUES (?, ?, 'pub', ?, 0, ?, '{}', '{"text":"x","captured_at":"x"}', ?, ?, ?)`);
  const auction = raw.prepare(`INSERT INTO auctions (id, lead_id, campaign_id, source_id, started_at, test, status, winner_buyer_id, price_cents, payout_cents)
    VALUES (?, ?, ?, 'pub', ?, 0, ?, ?, ?, ?)`);
  const ping = raw.prepare(`INSERT INTO pings (auction_id, lead_id, buyer_id, tier_index, sent_at, latency_ms, outcome, bid_cents, floor_cents) VALUES (?, ?, 'acme', 0, ?, ?, ?, ?, 500)`);
  const post = raw.prepare(`INSERT INTO posts (auction_id, lead_id, buyer_id, attempt, sent_at, latency_ms, outcome, price_cents) VALUES (?, ?, 'acme', 1, ?, 40, ?, 3000)`);
  const feedback = raw.prepare(`INSERT INTO feedback (lead_id, buyer_id, event, at) VALUES (?, 'acme', ?, ?)`);
  // auto: three sold at $30, one of them converted and one returned; home: one unsold, acme timed out.
  for (let i = 0; i < 3; i++) {
    const at = T0 - 10 * 60_000 + i * 60_000;
    lead.run(`L${i}`, 'auto', at, 'sold', 3000, 2100, 'acme');
    auction.run(`A${i}`, `L${i}`, 'auto', at, 'sold', 'acme', 3000, 2100);
    ping.run(`A${i}`, `L${i}`, at + 1, 50 + i * 10, 'BID', 3000);
    post.run(`A${i}`, `L${i}`, at + 100, 'ACCEPTED');
  }
  feedback.run('L0', 'converted', T0 - 60_000);
  feedback.run('L1', 'returned', T0 - 60_000);
  lead.run('L9', 'home', T0 - 5 * 60_000, 'unsold', null, null, null);
  auction.run('A9', 'L9', 'home', T0 - 5 * 60_000, 'unsold', null, null, null);
  ping.run('A9', 'L9', T0 - 5 * 60_000 + 1, 300, 'TIMEOUT', null);
  // Older than the hour: counts as a sale (week window) but not as traffic.
  lead.run('L8', 'auto', T0 - 2 * 3_600_000, 'sold', 2000, 1400, 'acme');
  auction.run('A8', 'L8', 'auto', T0 - 2 * 3_600_000, 'sold', 'acme', 2000, 1400);
  ping.run('A8', 'L8', T0 - 2 * 3_600_000 + 1, 60, 'BID', 2000);
  post.run('A8', 'L8', T0 - 2 * 3_600_000 + 100, 'ACCEPTED');
  raw.close();
}

describe('migration 0120: tier placement moves, and signals rebuilt from stored rows', () => {
  it('carries a version-110 database to one whose placement moves survive a reopen', () => {
    seedVersion110();
    const store = Store.open({ dataDir: dir });
    expect(store.placementMoves().lastMove('auto', 'acme')).toBeNull();
    store.placementMoves().record({ at: T0, campaignId: 'auto', buyerId: 'acme', action: 'demote', fromTier: 0, toTier: 1, appliedBy: 'engine:placement', evidence: { conversionRate: 0.05 } });
    store.placementMoves().record({ at: T0 + 1000, campaignId: 'auto', buyerId: 'acme', action: 'promote', fromTier: 1, toTier: 0, appliedBy: 'console:test', evidence: {} });
    store.close();

    const reopened = Store.open({ dataDir: dir });
    expect(reopened.placementMoves().lastMove('auto', 'acme')).toMatchObject({ at: T0 + 1000, action: 'promote', appliedBy: 'console:test' });
    expect(reopened.placementMoves().lastMove('home', 'acme')).toBeNull();
    expect(reopened.placementMoves().recentMoves(T0 - 1, 'auto', 10)).toHaveLength(2);
    expect(reopened.getLead('L0')?.status).toBe('sold');
    reopened.close();
    const after = new Database(databasePath(dir), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    after.close();
  });

  it('rebuilds per-campaign buyer and source figures from the stored pings, posts, feedback and auctions', () => {
    seedVersion110();
    const store = Store.open({ dataDir: dir });
    const buyers = new BuyerSignals();
    const sources = new SourceSignals();
    const counts = rebuildSignals(store.signalHistory(), { buyers, sources, sourceWindowMs: WEEK }, { now: T0, isFixedPrice: () => false });
    expect(counts).toMatchObject({ pings: 4, posts: 4, feedback: 2, auctions: 5 });
    expect(buyers.snapshot('acme', 'auto', T0)).toMatchObject({ pings: 3, bids: 3, avgBidCents: 3000, avgLatencyMs: 60, wins: 3, accepted: 3, sold: 4, converted: 1, returned: 1, conversionRate: 0.25, returnRate: 0.25, timeouts: 0 });
    expect(buyers.snapshot('acme', 'home', T0)).toMatchObject({ pings: 1, bids: 0, timeouts: 1, sold: 0 });
    expect(sources.snapshot('pub', 'auto', T0)).toEqual({ leads: 4, sold: 4, soldRate: 1, avgPriceCents: 2750, avgPayoutCents: 1925, returned: 1, returnRate: 0.25 });
    expect(sources.snapshot('pub', 'home', T0)).toMatchObject({ leads: 1, sold: 0 });
    // A fixed-price buyer's recorded rows are not pings.
    const fixed = new BuyerSignals();
    rebuildSignals(store.signalHistory(), { buyers: fixed, sources: new SourceSignals(), sourceWindowMs: WEEK }, { now: T0, isFixedPrice: (id) => id === 'acme' });
    expect(fixed.snapshot('acme', null, T0).pings).toBe(0);
    store.close();
  });
});

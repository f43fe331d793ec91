import type { Migration } from './migration.js';

/**
 * The A/B test an auction ran under and its variant ('A' or 'B'), so reports and replays know which
 * ping tree decided it. Both stay NULL for auctions in no test (all auctions before this version).
 * The partial index serves the per-variant report: only auctions in a test are indexed.
 */
export const auctionAbVariant: Migration = {
  version: 150,
  name: 'auction-ab-variant',
  up(db) {
    db.exec(`
ALTER TABLE auctions ADD COLUMN ab_test TEXT;
ALTER TABLE auctions ADD COLUMN ab_variant TEXT CHECK (ab_variant IN ('A', 'B'));
CREATE INDEX auctions_ab_test ON auctions (campaign_id, ab_test, started_at) WHERE ab_test IS NOT NULL;
`);
  },
};

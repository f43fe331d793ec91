import type { Migration } from './migration.js';

const FINISHED = `('sold', 'unsold', 'unconfirmed')`;
const HOUR_MS = 3_600_000;

/** One auction's share of its variant's hour, as SQL over the row `r` (NEW or OLD). */
const share = (r: 'NEW' | 'OLD') => ({
  leads: `(${r}.status IN ${FINISHED})`,
  sold: `(${r}.status = 'sold')`,
  revenue: `(CASE WHEN ${r}.status = 'sold' THEN COALESCE(${r}.price_cents, 0) ELSE 0 END)`,
  squares: `(CASE WHEN ${r}.status = 'sold' THEN COALESCE(${r}.price_cents, 0) * COALESCE(${r}.price_cents, 0) ELSE 0 END)`,
  margin: `(CASE WHEN ${r}.status = 'sold' THEN COALESCE(${r}.margin_cents, 0) ELSE 0 END)`,
});

/** Adds `values` (leads, sold, revenue, squares, margin) to NEW's variant hour. */
const addToHour = (values: string[]) => `
  INSERT INTO ab_test_hours (campaign_id, ab_test, ab_variant, hour_start, leads, sold, revenue_cents, revenue_squares, margin_cents)
  VALUES (NEW.campaign_id, NEW.ab_test, NEW.ab_variant, NEW.started_at - NEW.started_at % ${HOUR_MS}, ${values.join(', ')})
  ON CONFLICT (campaign_id, ab_test, ab_variant, hour_start) DO UPDATE SET
    leads = leads + excluded.leads, sold = sold + excluded.sold, revenue_cents = revenue_cents + excluded.revenue_cents,
    revenue_squares = revenue_squares + excluded.revenue_squares, margin_cents = margin_cents + excluded.margin_cents;`;

const n = share('NEW');
const o = share('OLD');

/**
 * The A/B test an auction ran under and its variant ('A' or 'B'), so reports and replays know which
 * ping tree decided it; both NULL for auctions in no test (all auctions before this version).
 *
 * `ab_test_hours` is the report's rollup: per campaign, test, variant and hour, the finished non-test
 * auctions (sold, unsold, unconfirmed), sales, revenue, Σ revenue² and margin, in integer cents.
 * Triggers keep it equal to the rows whatever path changes an auction (the auction's end, an
 * operator settling an unconfirmed lead, recovery): each change adds the row's new share and takes
 * its old one away. They fire only for tested, non-test auctions, so other auctions pay nothing.
 * The covering partial index serves the partial hours at a report's edges.
 */
export const auctionAbVariant: Migration = {
  version: 150,
  name: 'auction-ab-variant',
  up(db) {
    db.exec(`
ALTER TABLE auctions ADD COLUMN ab_test TEXT;
ALTER TABLE auctions ADD COLUMN ab_variant TEXT CHECK (ab_variant IN ('A', 'B'));
CREATE INDEX auctions_ab_test ON auctions (campaign_id, ab_test, ab_variant, started_at, test, status, price_cents, margin_cents) WHERE ab_test IS NOT NULL;

CREATE TABLE ab_test_hours (
  campaign_id TEXT NOT NULL,
  ab_test TEXT NOT NULL,
  ab_variant TEXT NOT NULL,
  hour_start INTEGER NOT NULL,
  leads INTEGER NOT NULL,
  sold INTEGER NOT NULL,
  revenue_cents INTEGER NOT NULL,
  revenue_squares INTEGER NOT NULL,
  margin_cents INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, ab_test, ab_variant, hour_start)
) WITHOUT ROWID;

CREATE TRIGGER ab_test_hours_on_insert AFTER INSERT ON auctions
WHEN NEW.ab_test IS NOT NULL AND NEW.test = 0 AND NEW.status IN ${FINISHED}
BEGIN${addToHour([n.leads, n.sold, n.revenue, n.squares, n.margin])}
END;

CREATE TRIGGER ab_test_hours_on_update AFTER UPDATE OF status, price_cents, margin_cents ON auctions
WHEN NEW.ab_test IS NOT NULL AND NEW.test = 0 AND (NEW.status IN ${FINISHED} OR OLD.status IN ${FINISHED})
BEGIN${addToHour([`${n.leads} - ${o.leads}`, `${n.sold} - ${o.sold}`, `${n.revenue} - ${o.revenue}`, `${n.squares} - ${o.squares}`, `${n.margin} - ${o.margin}`])}
END;
`);
  },
};

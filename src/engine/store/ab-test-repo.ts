import type { Database, Statement } from 'better-sqlite3';

/** One variant's finished auctions in a window: counts and sums in integer cents. */
export interface AbVariantTotals {
  variant: 'A' | 'B';
  /** Finished auctions (sold, unsold or unconfirmed), test leads left out. */
  leads: number;
  sold: number;
  revenueCents: number;
  /** Σ price², for the variance of revenue per lead (an unsold lead counts as 0). */
  revenueSquaresCents2: number;
  marginCents: number;
}

/**
 * Reads of the auctions recorded under an A/B test (columns ab_test, ab_variant; migration 0150).
 * The report reads the partial index of tested auctions only, never the whole table.
 */
export class AbTestRepo {
  private readonly totals: Statement;
  private readonly latest: Statement;
  private readonly firstAt: Statement;

  constructor(db: Database) {
    this.totals = db.prepare(
      `SELECT ab_variant AS variant, COUNT(*) AS leads,
              COALESCE(SUM(status = 'sold'), 0) AS sold,
              COALESCE(SUM(CASE WHEN status = 'sold' THEN price_cents ELSE 0 END), 0) AS revenueCents,
              COALESCE(SUM(CASE WHEN status = 'sold' THEN price_cents * price_cents ELSE 0 END), 0) AS revenueSquaresCents2,
              COALESCE(SUM(CASE WHEN status = 'sold' THEN margin_cents ELSE 0 END), 0) AS marginCents
         FROM auctions
        WHERE campaign_id = ? AND ab_test = ? AND started_at >= ? AND started_at < ? AND ab_test IS NOT NULL
          AND test = 0 AND status IN ('sold', 'unsold', 'unconfirmed')
        GROUP BY ab_variant`,
    );
    this.latest = db.prepare(`SELECT ab_test AS name FROM auctions WHERE campaign_id = ? AND ab_test IS NOT NULL ORDER BY started_at DESC LIMIT 1`);
    this.firstAt = db.prepare(`SELECT MIN(started_at) AS at FROM auctions WHERE campaign_id = ? AND ab_test = ? AND ab_test IS NOT NULL`);
  }

  /** Both variants' totals, a variant without auctions as zeros. */
  variantTotals(campaignId: string, test: string, from: number, to: number): [AbVariantTotals, AbVariantTotals] {
    const rows = this.totals.all(campaignId, test, from, to) as AbVariantTotals[];
    const of = (variant: 'A' | 'B'): AbVariantTotals => rows.find((r) => r.variant === variant) ?? { variant, leads: 0, sold: 0, revenueCents: 0, revenueSquaresCents2: 0, marginCents: 0 };
    return [of('A'), of('B')];
  }

  /** The test the campaign's most recent tested auction ran under, if any. */
  latestTest(campaignId: string): string | null {
    return (this.latest.get(campaignId) as { name: string } | undefined)?.name ?? null;
  }

  /** When the first auction under this test started; null when none was recorded. */
  firstAuctionAt(campaignId: string, test: string): number | null {
    return (this.firstAt.get(campaignId, test) as { at: number | null }).at;
  }
}

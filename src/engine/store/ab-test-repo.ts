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

const HOUR_MS = 3_600_000;

type Sums = Omit<AbVariantTotals, 'variant'>;

/**
 * Reads of the auctions recorded under an A/B test (columns ab_test, ab_variant; migration 0150).
 * A report reads whole hours from the `ab_test_hours` rollup and only the partial hours at its
 * edges from the auctions (a covering index), so its cost does not grow with the test's size.
 */
export class AbTestRepo {
  private readonly scan: Statement;
  private readonly hours: Statement;
  private readonly latest: Statement;
  private readonly firstAt: Statement;

  constructor(db: Database) {
    const sums = (leads: string, sold: string, revenue: string, squares: string, margin: string) =>
      `COALESCE(SUM(${leads}), 0) AS leads, COALESCE(SUM(${sold}), 0) AS sold, COALESCE(SUM(${revenue}), 0) AS revenueCents,
       COALESCE(SUM(${squares}), 0) AS revenueSquaresCents2, COALESCE(SUM(${margin}), 0) AS marginCents`;
    this.scan = db.prepare(
      `SELECT ${sums('1', "status = 'sold'", "CASE WHEN status = 'sold' THEN price_cents ELSE 0 END", "CASE WHEN status = 'sold' THEN price_cents * price_cents ELSE 0 END", "CASE WHEN status = 'sold' THEN margin_cents ELSE 0 END")}
         FROM auctions
        WHERE campaign_id = ? AND ab_test = ? AND ab_variant = ? AND started_at >= ? AND started_at < ? AND ab_test IS NOT NULL
          AND test = 0 AND status IN ('sold', 'unsold', 'unconfirmed')`,
    );
    this.hours = db.prepare(
      `SELECT ${sums('leads', 'sold', 'revenue_cents', 'revenue_squares', 'margin_cents')}
         FROM ab_test_hours WHERE campaign_id = ? AND ab_test = ? AND ab_variant = ? AND hour_start >= ? AND hour_start < ?`,
    );
    this.latest = db.prepare(`SELECT ab_test AS name FROM auctions WHERE campaign_id = ? AND ab_test IS NOT NULL ORDER BY started_at DESC LIMIT 1`);
    // Per variant, so each MIN is one seek on the index (campaign, test, variant, started_at).
    const first = (variant: 'A' | 'B') => `SELECT MIN(started_at) AS at FROM auctions WHERE campaign_id = @campaignId AND ab_test = @test AND ab_variant = '${variant}' AND ab_test IS NOT NULL`;
    this.firstAt = db.prepare(`SELECT MIN(at) AS at FROM (${first('A')} UNION ALL ${first('B')})`);
  }

  /** Both variants' totals over [from, to); a variant without auctions as zeros. */
  variantTotals(campaignId: string, test: string, from: number, to: number): [AbVariantTotals, AbVariantTotals] {
    return [{ variant: 'A', ...this.sums(campaignId, test, 'A', from, to) }, { variant: 'B', ...this.sums(campaignId, test, 'B', from, to) }];
  }

  private sums(campaignId: string, test: string, variant: 'A' | 'B', from: number, to: number): Sums {
    const firstHour = Math.ceil(from / HOUR_MS) * HOUR_MS;
    const lastHour = Math.floor(to / HOUR_MS) * HOUR_MS;
    if (firstHour >= lastHour) return this.scan.get(campaignId, test, variant, from, to) as Sums;
    const parts = [
      this.scan.get(campaignId, test, variant, from, firstHour) as Sums,
      this.hours.get(campaignId, test, variant, firstHour, lastHour) as Sums,
      this.scan.get(campaignId, test, variant, lastHour, to) as Sums,
    ];
    const total = (k: keyof Sums) => parts.reduce((sum, p) => sum + p[k], 0);
    return { leads: total('leads'), sold: total('sold'), revenueCents: total('revenueCents'), revenueSquaresCents2: total('revenueSquaresCents2'), marginCents: total('marginCents') };
  }

  /** The test the campaign's most recent tested auction ran under, if any. */
  latestTest(campaignId: string): string | null {
    return (this.latest.get(campaignId) as { name: string } | undefined)?.name ?? null;
  }

  /** When the first auction under this test started; null when none was recorded. */
  firstAuctionAt(campaignId: string, test: string): number | null {
    return (this.firstAt.get({ campaignId, test }) as { at: number | null }).at;
  }
}

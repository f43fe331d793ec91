import type { Database, Statement } from 'better-sqlite3';
import { allRows, getRow, runSteps, type ReadSteps } from './read-steps.js';
import type { BuyerStats, RangeQuery } from './report-repo.js';

const ERROR_OUTCOMES = "('BAD_RESPONSE', 'HTTP_ERROR', 'UNREACHABLE')";

/**
 * The buyers' figures of one campaign (the Ping tree's cards), counted like ReportRepo.buyerStats but
 * only over that campaign's auctions: a buyer's pings for another campaign are not this tree's figures.
 * Pings and posts carry no campaign, so each row is matched to its auction by primary key; the buyers
 * come from the campaign's own auctions in the range (auctions_campaign index).
 */
export class CampaignBuyerStats {
  private readonly buyers: Statement;
  private readonly pingStats: Statement;
  private readonly postStats: Statement;
  private readonly winStats: Statement;

  constructor(private readonly db: Database) {
    const inCampaign = 'a.id = x.auction_id AND a.campaign_id = @campaignId';
    this.buyers = db.prepare(`SELECT DISTINCT x.buyer_id AS buyerId FROM auctions a JOIN pings x ON ${inCampaign}
      WHERE a.campaign_id = @campaignId AND a.started_at >= @from - 3600000 AND a.started_at < @to
      UNION SELECT DISTINCT x.buyer_id FROM auctions a JOIN posts x ON ${inCampaign}
      WHERE a.campaign_id = @campaignId AND a.started_at >= @from - 3600000 AND a.started_at < @to`);
    this.pingStats = db.prepare(`SELECT COUNT(*) AS pings, TOTAL(x.bid_cents IS NOT NULL) AS bids, TOTAL(x.outcome = 'TIMEOUT') AS timeouts,
        TOTAL(x.outcome IN ${ERROR_OUTCOMES}) AS errors, AVG(x.bid_cents) AS avgBid, AVG(x.latency_ms) AS avgLatency
      FROM pings x JOIN auctions a ON ${inCampaign} WHERE x.buyer_id = @buyerId AND x.sent_at >= @from AND x.sent_at < @to`);
    this.postStats = db.prepare(`SELECT TOTAL(x.outcome NOT IN ('LATE_ACCEPTED', 'SETTLED_SOLD')) AS posts, TOTAL(x.outcome IN ('ACCEPTED', 'SETTLED_SOLD')) AS accepted,
        TOTAL(CASE WHEN x.outcome IN ('ACCEPTED', 'SETTLED_SOLD') THEN x.price_cents END) AS revenue
      FROM posts x JOIN auctions a ON ${inCampaign} WHERE x.buyer_id = @buyerId AND x.sent_at >= @from AND x.sent_at < @to`);
    this.winStats = db.prepare(`SELECT COUNT(*) AS wins FROM auctions
      WHERE winner_buyer_id = @buyerId AND campaign_id = @campaignId AND started_at >= @from AND started_at < @to AND status = 'sold'`);
  }

  /** Buyers with at least one ping or post for the campaign in the range, by id. */
  of(q: RangeQuery & { campaignId: string }): BuyerStats[] {
    return runSteps(this.db, this.steps(q));
  }

  *steps(q: RangeQuery & { campaignId: string }): ReadSteps<BuyerStats[]> {
    const params = { from: q.from, to: q.to, campaignId: q.campaignId };
    const out: BuyerStats[] = [];
    const ids = ((yield allRows(this.buyers, params)) as Array<{ buyerId: string }>).map((r) => r.buyerId).sort();
    for (const buyerId of ids) {
      const p = (yield getRow(this.pingStats, { ...params, buyerId })) as { pings: number; bids: number; timeouts: number; errors: number; avgBid: number | null; avgLatency: number | null };
      const s = (yield getRow(this.postStats, { ...params, buyerId })) as { posts: number; accepted: number; revenue: number };
      if (p.pings === 0 && s.posts === 0) continue;
      const w = (yield getRow(this.winStats, { ...params, buyerId })) as { wins: number };
      out.push({
        buyerId,
        pings: p.pings,
        bids: p.bids,
        wins: w.wins,
        posts: s.posts,
        accepted: s.accepted,
        timeouts: p.timeouts,
        errors: p.errors,
        avgBidCents: p.avgBid === null ? null : Math.round(p.avgBid),
        avgLatencyMs: p.avgLatency,
        revenueCents: s.revenue,
      });
    }
    return out;
  }
}

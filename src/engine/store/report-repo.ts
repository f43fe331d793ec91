import type { Database, Statement } from 'better-sqlite3';
import { DistinctValues } from './distinct-values.js';
import type { HistogramBin } from './percentiles.js';
import { percentileOf } from './percentiles.js';

/** Every range is from inclusive, to exclusive, in epoch ms. */
export interface RangeQuery {
  from: number;
  to: number;
}

export interface Overview {
  leads: number;
  sold: number;
  unsold: number;
  interrupted: number;
  revenueCents: number;
  payoutCents: number;
  marginCents: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
}

export interface BuyerStats {
  buyerId: string;
  pings: number;
  /** Pings answered with a bid amount, valid or not (late and below-floor bids included). */
  bids: number;
  /** Sold auctions this buyer won. */
  wins: number;
  posts: number;
  accepted: number;
  timeouts: number;
  errors: number;
  avgBidCents: number | null;
  avgLatencyMs: number | null;
  /** Sum of accepted post prices. */
  revenueCents: number;
}

export interface SourceStats {
  sourceId: string;
  leads: number;
  sold: number;
  revenueCents: number;
  payoutCents: number;
}

export interface TimeseriesPoint {
  t: number;
  leads: number;
  sold: number;
  revenueCents: number;
  marginCents: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
}

/** Charts never need more points than this; a finer bucket is widened. */
export const MAX_BUCKETS = 500;

const ERROR_OUTCOMES = "('BAD_RESPONSE', 'HTTP_ERROR', 'UNREACHABLE')";

/** Aggregates for the console's reports, read from indexed ranges. Test leads are left out unless asked for. */
export class ReportRepo {
  private readonly overviewStmt: Statement;
  private readonly latencyStmt: Statement;
  private readonly pingBuyers: DistinctValues;
  private readonly postBuyers: DistinctValues;
  private readonly winners: DistinctValues;
  private readonly pingStats: Statement;
  private readonly postStats: Statement;
  private readonly winStats: Statement;
  private readonly sourceStmt: Statement;
  private readonly seriesStmt: Statement;
  private readonly seriesLatency: Statement;

  constructor(db: Database) {
    const range = 'received_at >= @from AND received_at < @to AND (@includeTest = 1 OR test = 0)';
    this.overviewStmt = db.prepare(`SELECT COUNT(*) AS leads, TOTAL(status = 'sold') AS sold, TOTAL(status = 'unsold') AS unsold,
      TOTAL(status = 'interrupted') AS interrupted, TOTAL(CASE WHEN status = 'sold' THEN price_cents END) AS revenue,
      TOTAL(CASE WHEN status = 'sold' THEN payout_cents END) AS payout FROM leads WHERE ${range}`);
    this.latencyStmt = db.prepare(`SELECT CAST(ROUND(latency_ms * 10) AS INTEGER) AS v, COUNT(*) AS n FROM auctions
      WHERE started_at >= @from AND started_at < @to AND (@includeTest = 1 OR test = 0) AND latency_ms IS NOT NULL GROUP BY v`);
    this.pingBuyers = new DistinctValues(db, 'pings', 'buyer_id');
    this.postBuyers = new DistinctValues(db, 'posts', 'buyer_id');
    this.winners = new DistinctValues(db, 'auctions', 'winner_buyer_id');
    this.pingStats = db.prepare(`SELECT COUNT(*) AS pings, TOTAL(bid_cents IS NOT NULL) AS bids, TOTAL(outcome = 'TIMEOUT') AS timeouts,
        TOTAL(outcome IN ${ERROR_OUTCOMES}) AS errors, AVG(bid_cents) AS avgBid, AVG(latency_ms) AS avgLatency
      FROM pings WHERE buyer_id = @buyerId AND sent_at >= @from AND sent_at < @to`);
    // A late acceptance and an operator's settlement are rows about a post already counted; a settled
    // sale (SETTLED_SOLD) is a sale like an accepted post.
    this.postStats = db.prepare(`SELECT TOTAL(outcome NOT IN ('LATE_ACCEPTED', 'SETTLED_SOLD')) AS posts, TOTAL(outcome IN ('ACCEPTED', 'SETTLED_SOLD')) AS accepted,
        TOTAL(CASE WHEN outcome IN ('ACCEPTED', 'SETTLED_SOLD') THEN price_cents END) AS revenue
      FROM posts WHERE buyer_id = @buyerId AND sent_at >= @from AND sent_at < @to`);
    this.winStats = db.prepare(`SELECT COUNT(*) AS wins FROM auctions
      WHERE winner_buyer_id = @buyerId AND started_at >= @from AND started_at < @to AND status = 'sold'`);
    this.sourceStmt = db.prepare(`SELECT source_id AS sourceId, COUNT(*) AS leads, TOTAL(status = 'sold') AS sold,
      TOTAL(CASE WHEN status = 'sold' THEN price_cents END) AS revenue, TOTAL(CASE WHEN status = 'sold' THEN payout_cents END) AS payout
      FROM leads WHERE ${range} GROUP BY source_id ORDER BY source_id`);
    this.seriesStmt = db.prepare(`SELECT CAST((received_at - @from) / @bucket AS INTEGER) AS b, COUNT(*) AS leads, TOTAL(status = 'sold') AS sold,
      TOTAL(CASE WHEN status = 'sold' THEN price_cents END) AS revenue, TOTAL(CASE WHEN status = 'sold' THEN payout_cents END) AS payout
      FROM leads WHERE ${range} GROUP BY b`);
    this.seriesLatency = db.prepare(`SELECT CAST((started_at - @from) / @bucket AS INTEGER) AS b, CAST(ROUND(latency_ms) AS INTEGER) AS v, COUNT(*) AS n
      FROM auctions WHERE started_at >= @from AND started_at < @to AND (@includeTest = 1 OR test = 0) AND latency_ms IS NOT NULL GROUP BY b, v`);
  }

  overview(q: RangeQuery & { includeTest?: boolean }): Overview {
    const params = { from: q.from, to: q.to, includeTest: q.includeTest ? 1 : 0 };
    const r = this.overviewStmt.get(params) as { leads: number; sold: number; unsold: number; interrupted: number; revenue: number; payout: number };
    const bins = this.latencyStmt.all(params) as HistogramBin[];
    return {
      leads: r.leads,
      sold: r.sold,
      unsold: r.unsold,
      interrupted: r.interrupted,
      revenueCents: r.revenue,
      payoutCents: r.payout,
      marginCents: r.revenue - r.payout,
      p50LatencyMs: percentileOf(bins, 0.5, 0.1),
      p99LatencyMs: percentileOf(bins, 0.99, 0.1),
    };
  }

  /** Pings, bids and latency over every ping sent in the range (test leads included: they reach real buyers). */
  buyerStats(q: RangeQuery): BuyerStats[] {
    const params = { from: q.from, to: q.to };
    const out = new Map<string, BuyerStats>();
    const get = (buyerId: string): BuyerStats => {
      let s = out.get(buyerId);
      if (!s) {
        s = { buyerId, pings: 0, bids: 0, wins: 0, posts: 0, accepted: 0, timeouts: 0, errors: 0, avgBidCents: null, avgLatencyMs: null, revenueCents: 0 };
        out.set(buyerId, s);
      }
      return s;
    };
    // One index range per buyer and table; buyers come from the indexes themselves.
    type PingAgg = { pings: number; bids: number; timeouts: number; errors: number; avgBid: number | null; avgLatency: number | null };
    for (const buyerId of this.pingBuyers.all()) {
      const r = this.pingStats.get({ ...params, buyerId }) as PingAgg;
      if (r.pings === 0) continue;
      Object.assign(get(buyerId), { pings: r.pings, bids: r.bids, timeouts: r.timeouts, errors: r.errors, avgLatencyMs: r.avgLatency });
      get(buyerId).avgBidCents = r.avgBid === null ? null : Math.round(r.avgBid);
    }
    for (const buyerId of this.postBuyers.all()) {
      const r = this.postStats.get({ ...params, buyerId }) as { posts: number; accepted: number; revenue: number };
      if (r.posts > 0) Object.assign(get(buyerId), { posts: r.posts, accepted: r.accepted, revenueCents: r.revenue });
    }
    for (const buyerId of this.winners.all()) {
      const r = this.winStats.get({ ...params, buyerId }) as { wins: number };
      if (r.wins > 0) get(buyerId).wins = r.wins;
    }
    return [...out.values()].sort((a, b) => a.buyerId.localeCompare(b.buyerId));
  }

  sourceStats(q: RangeQuery & { includeTest?: boolean }): SourceStats[] {
    const rows = this.sourceStmt.all({ from: q.from, to: q.to, includeTest: q.includeTest ? 1 : 0 }) as Array<{
      sourceId: string; leads: number; sold: number; revenue: number; payout: number;
    }>;
    return rows.map((r) => ({ sourceId: r.sourceId, leads: r.leads, sold: r.sold, revenueCents: r.revenue, payoutCents: r.payout }));
  }

  /** Every bucket of the range, empty ones included, so a chart needs no gap filling. */
  timeseries(q: RangeQuery & { bucketMs: number; includeTest?: boolean }): TimeseriesPoint[] {
    const span = Math.max(0, q.to - q.from);
    const bucket = Math.max(1, Math.trunc(q.bucketMs), Math.ceil(span / MAX_BUCKETS));
    const count = Math.ceil(span / bucket);
    const params = { from: q.from, to: q.to, bucket, includeTest: q.includeTest ? 1 : 0 };
    const points: TimeseriesPoint[] = Array.from({ length: count }, (_, i) => ({
      t: q.from + i * bucket, leads: 0, sold: 0, revenueCents: 0, marginCents: 0, p50LatencyMs: null, p99LatencyMs: null,
    }));
    for (const r of this.seriesStmt.all(params) as Array<{ b: number; leads: number; sold: number; revenue: number; payout: number }>) {
      const p = points[r.b];
      if (!p) continue;
      Object.assign(p, { leads: r.leads, sold: r.sold, revenueCents: r.revenue, marginCents: r.revenue - r.payout });
    }
    const bins = new Map<number, HistogramBin[]>();
    for (const r of this.seriesLatency.all(params) as Array<{ b: number; v: number; n: number }>) {
      const list = bins.get(r.b) ?? [];
      list.push({ v: r.v, n: r.n });
      bins.set(r.b, list);
    }
    for (const [b, list] of bins) {
      const p = points[b];
      if (!p) continue;
      p.p50LatencyMs = percentileOf(list, 0.5, 1);
      p.p99LatencyMs = percentileOf(list, 0.99, 1);
    }
    return points;
  }
}

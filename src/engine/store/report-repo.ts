import type { Database, Statement } from 'better-sqlite3';
import { DistinctValues } from './distinct-values.js';
import type { HistogramBin } from './percentiles.js';
import { percentileOf } from './percentiles.js';
import { LATENCY_BIN_SQL, LATENCY_COARSE_GRAIN_MS, ROLLUP_GRAIN_MS } from './migrations/0160-report-rollups.js';
import { PING_SUMS_SQL, POST_SUMS_SQL, watermarkSql } from './rollup-catch-up.js';
import { allRows, getRow, runSteps, type ReadSteps } from './read-steps.js';

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
const HOUR = ROLLUP_GRAIN_MS;

/** A stretch of a range, from inclusive, to exclusive (epoch ms). */
interface Span {
  lo: number;
  hi: number;
}

/**
 * The whole hours inside [from, to), read from the rollups, and the ragged ends, read from the rows.
 * A range shorter than one whole hour is all ragged end.
 */
export function splitRange(from: number, to: number): { hours: Span | null; ends: Span[] } {
  const a = Math.ceil(from / HOUR) * HOUR;
  const b = Math.floor(to / HOUR) * HOUR;
  if (a >= b) return { hours: null, ends: from < to ? [{ lo: from, hi: to }] : [] };
  const ends: Span[] = [];
  if (from < a) ends.push({ lo: from, hi: a });
  if (b < to) ends.push({ lo: b, hi: to });
  return { hours: { lo: a, hi: b }, ends };
}

/**
 * [from, to) as pieces of the coarsest grains that fit whole (`grains` coarsest first, each a
 * multiple of the next), with the ragged ends as pieces of grain null: read from the rows.
 */
export function coverRange(from: number, to: number, grains: readonly number[]): Array<Span & { grain: number | null }> {
  if (from >= to) return [];
  const [g, ...finer] = grains;
  if (g === undefined) return [{ grain: null, lo: from, hi: to }];
  const a = Math.ceil(from / g) * g;
  const b = Math.floor(to / g) * g;
  if (a >= b) return coverRange(from, to, finer);
  return [...coverRange(from, a, finer), { grain: g, lo: a, hi: b }, ...coverRange(b, to, finer)];
}

interface LeadAgg {
  leads: number;
  sold: number;
  unsold: number;
  interrupted: number;
  revenue: number;
  payout: number;
}
interface PingAgg {
  pings: number;
  bids: number;
  timeouts: number;
  errors: number;
  bidSum: number;
  latencyN: number;
  latencySum: number;
}
interface PostAgg {
  posts: number;
  accepted: number;
  revenue: number;
}

const LEAD_SUMS = ['leads', 'sold', 'unsold', 'interrupted', 'revenue', 'payout'] as const;
const PING_SUMS = ['pings', 'bids', 'timeouts', 'errors', 'bidSum', 'latencyN', 'latencySum'] as const;
const POST_SUMS = ['posts', 'accepted', 'revenue'] as const;

function add<T extends object>(into: T, from: T, keys: ReadonlyArray<keyof T>): void {
  for (const k of keys) (into[k] as number) += from[k] as number;
}

function addBins(into: Map<number, number>, bins: HistogramBin[]): void {
  for (const b of bins) into.set(b.v, (into.get(b.v) ?? 0) + b.n);
}

/** Percentile in ms of bins in tenths of a millisecond (see LATENCY_BIN_SQL). */
function latencyPercentile(bins: Map<number, number>, p: number): number | null {
  const v = percentileOf([...bins].map(([bin, n]) => ({ v: bin, n })), p, 1);
  return v === null ? null : v / 10;
}

const emptyLeads = (): LeadAgg => ({ leads: 0, sold: 0, unsold: 0, interrupted: 0, revenue: 0, payout: 0 });
const emptyPings = (): PingAgg => ({ pings: 0, bids: 0, timeouts: 0, errors: 0, bidSum: 0, latencyN: 0, latencySum: 0 });
const emptyPosts = (): PostAgg => ({ posts: 0, accepted: 0, revenue: 0 });
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export interface ReportRepoOptions {
  /** Off: every figure is scanned from the rows, as before migration 0160 (for checking the rollups). */
  rollups?: boolean;
}

/**
 * Aggregates for the console's reports. Whole hours come from the rollup tables of migration 0160
 * (kept by triggers with every write; pings and posts up to their watermark, migration 0180, plus
 * the few rows past it, read by rowid), the ragged ends of a range from indexed ranges of the rows,
 * so a month of a million auctions reads a few thousand rollup rows. Test leads are left out unless
 * asked for.
 */
export class ReportRepo {
  private readonly rollups: boolean;
  private readonly pingBuyers: DistinctValues;
  private readonly postBuyers: DistinctValues;
  private readonly winners: DistinctValues;
  private readonly scan: Record<'leads' | 'latency' | 'ping' | 'post' | 'win' | 'sources' | 'series' | 'seriesLatency', Statement>;
  private readonly roll: Record<'leads' | 'latency' | 'latency6h' | 'pings' | 'posts' | 'wins' | 'sources' | 'series' | 'seriesLatency' | 'seriesLatency6h', Statement>;
  /** Ping and post rows past the rollups' watermarks in a range, per buyer (rollups only). */
  private readonly tail: Record<'pings' | 'posts', Statement> | null;

  constructor(private readonly db: Database, opts: ReportRepoOptions = {}) {
    this.rollups = opts.rollups ?? true;
    const testFilter = '(@includeTest = 1 OR test = 0)';
    const range = `received_at >= @lo AND received_at < @hi AND ${testFilter}`;
    const leadSums = `COUNT(*) AS leads, TOTAL(status = 'sold') AS sold, TOTAL(status = 'unsold') AS unsold,
      TOTAL(status = 'interrupted') AS interrupted, TOTAL(CASE WHEN status = 'sold' THEN price_cents END) AS revenue,
      TOTAL(CASE WHEN status = 'sold' THEN payout_cents END) AS payout`;
    const rollSums = `TOTAL(leads) AS leads, TOTAL(sold) AS sold, TOTAL(unsold) AS unsold, TOTAL(interrupted) AS interrupted,
      TOTAL(revenue_cents) AS revenue, TOTAL(payout_cents) AS payout`;
    const hours = `hour >= @lo AND hour < @hi`;
    const auctionsRange = `started_at >= @lo AND started_at < @hi AND ${testFilter} AND latency_ms IS NOT NULL`;
    this.scan = {
      leads: db.prepare(`SELECT ${leadSums} FROM leads WHERE ${range}`),
      latency: db.prepare(`SELECT ${LATENCY_BIN_SQL('latency_ms')} AS v, COUNT(*) AS n FROM auctions WHERE ${auctionsRange} GROUP BY v`),
      ping: db.prepare(`SELECT COUNT(*) AS pings, TOTAL(bid_cents IS NOT NULL) AS bids, TOTAL(outcome = 'TIMEOUT') AS timeouts,
          TOTAL(outcome IN ${ERROR_OUTCOMES}) AS errors, TOTAL(bid_cents) AS bidSum, COUNT(latency_ms) AS latencyN, TOTAL(latency_ms) AS latencySum
        FROM pings WHERE buyer_id = @buyerId AND sent_at >= @lo AND sent_at < @hi`),
      // A late acceptance and an operator's settlement are rows about a post already counted; a settled
      // sale (SETTLED_SOLD) is a sale like an accepted post.
      post: db.prepare(`SELECT TOTAL(outcome NOT IN ('LATE_ACCEPTED', 'SETTLED_SOLD')) AS posts, TOTAL(outcome IN ('ACCEPTED', 'SETTLED_SOLD')) AS accepted,
          TOTAL(CASE WHEN outcome IN ('ACCEPTED', 'SETTLED_SOLD') THEN price_cents END) AS revenue
        FROM posts WHERE buyer_id = @buyerId AND sent_at >= @lo AND sent_at < @hi`),
      win: db.prepare(`SELECT COUNT(*) AS wins FROM auctions WHERE winner_buyer_id = @buyerId AND started_at >= @lo AND started_at < @hi AND status = 'sold'`),
      sources: db.prepare(`SELECT source_id AS sourceId, ${leadSums} FROM leads WHERE ${range} GROUP BY source_id`),
      series: db.prepare(`SELECT CAST((received_at - @from) / @bucket AS INTEGER) AS b, ${leadSums} FROM leads WHERE ${range} GROUP BY b`),
      seriesLatency: db.prepare(`SELECT CAST((started_at - @from) / @bucket AS INTEGER) AS b, ${LATENCY_BIN_SQL('latency_ms')} AS v, COUNT(*) AS n
        FROM auctions WHERE ${auctionsRange} GROUP BY b, v`),
    };
    this.roll = {
      leads: db.prepare(`SELECT ${rollSums} FROM rollup_leads WHERE ${hours} AND ${testFilter}`),
      latency: db.prepare(`SELECT v, SUM(n) AS n FROM rollup_latency WHERE ${hours} AND ${testFilter} GROUP BY v`),
      latency6h: db.prepare(`SELECT v, SUM(n) AS n FROM rollup_latency_6h WHERE ${hours} AND ${testFilter} GROUP BY v`),
      pings: db.prepare(`SELECT buyer_id AS buyerId, TOTAL(pings) AS pings, TOTAL(bids) AS bids, TOTAL(timeouts) AS timeouts, TOTAL(errors) AS errors,
          TOTAL(bid_sum) AS bidSum, TOTAL(latency_n) AS latencyN, TOTAL(latency_sum) AS latencySum FROM rollup_pings WHERE ${hours} GROUP BY buyer_id`),
      posts: db.prepare(`SELECT buyer_id AS buyerId, TOTAL(posts) AS posts, TOTAL(accepted) AS accepted, TOTAL(revenue_cents) AS revenue
        FROM rollup_posts WHERE ${hours} GROUP BY buyer_id`),
      wins: db.prepare(`SELECT buyer_id AS buyerId, TOTAL(wins) AS wins FROM rollup_wins WHERE ${hours} GROUP BY buyer_id`),
      sources: db.prepare(`SELECT source_id AS sourceId, ${rollSums} FROM rollup_leads WHERE ${hours} AND ${testFilter} GROUP BY source_id`),
      series: db.prepare(`SELECT CAST((hour - @from) / @bucket AS INTEGER) AS b, ${rollSums} FROM rollup_leads WHERE ${hours} AND ${testFilter} GROUP BY b`),
      seriesLatency: db.prepare(`SELECT CAST((hour - @from) / @bucket AS INTEGER) AS b, v, SUM(n) AS n FROM rollup_latency WHERE ${hours} AND ${testFilter} GROUP BY b, v`),
      seriesLatency6h: db.prepare(`SELECT CAST((hour - @from) / @bucket AS INTEGER) AS b, v, SUM(n) AS n FROM rollup_latency_6h WHERE ${hours} AND ${testFilter} GROUP BY b, v`),
    };
    // The rowid range past the watermark is the few rows the catch-up has not folded in yet (NOT INDEXED:
    // a rowid range, not a walk of the buyer index for the GROUP BY).
    this.tail = this.rollups ? {
      pings: db.prepare(`SELECT buyer_id AS buyerId, ${PING_SUMS_SQL} FROM pings NOT INDEXED WHERE id > ${watermarkSql('pings')} AND sent_at >= @lo AND sent_at < @hi GROUP BY buyer_id`),
      posts: db.prepare(`SELECT buyer_id AS buyerId, ${POST_SUMS_SQL} FROM posts NOT INDEXED WHERE id > ${watermarkSql('posts')} AND sent_at >= @lo AND sent_at < @hi GROUP BY buyer_id`),
    } : null;
    this.pingBuyers = new DistinctValues(db, 'pings', 'buyer_id');
    this.postBuyers = new DistinctValues(db, 'posts', 'buyer_id');
    this.winners = new DistinctValues(db, 'auctions', 'winner_buyer_id');
  }

  private split(from: number, to: number): { hours: Span | null; ends: Span[] } {
    if (this.rollups) return splitRange(from, to);
    return { hours: null, ends: from < to ? [{ lo: from, hi: to }] : [] };
  }

  /**
   * Each report is written as ReadSteps (read-steps.ts): the methods below run its reads here, in one
   * snapshot; the store's `…Async` methods run them in the read thread, off the event loop.
   */
  overview(q: RangeQuery & { includeTest?: boolean }): Overview {
    return runSteps(this.db, this.overviewSteps(q));
  }

  buyerStats(q: RangeQuery): BuyerStats[] {
    return runSteps(this.db, this.buyerStatsSteps(q));
  }

  sourceStats(q: RangeQuery & { includeTest?: boolean }): SourceStats[] {
    return runSteps(this.db, this.sourceStatsSteps(q));
  }

  timeseries(q: RangeQuery & { bucketMs: number; includeTest?: boolean }): TimeseriesPoint[] {
    return runSteps(this.db, this.timeseriesSteps(q));
  }

  *overviewSteps(q: RangeQuery & { includeTest?: boolean }): ReadSteps<Overview> {
    const includeTest = q.includeTest ? 1 : 0;
    const { hours, ends } = this.split(q.from, q.to);
    const total = emptyLeads();
    const bins = new Map<number, number>();
    if (hours) add(total, (yield getRow(this.roll.leads, { ...hours, includeTest })) as LeadAgg, LEAD_SUMS);
    for (const end of ends) add(total, (yield getRow(this.scan.leads, { ...end, includeTest })) as LeadAgg, LEAD_SUMS);
    const latencyGrains = this.rollups ? [LATENCY_COARSE_GRAIN_MS, HOUR] : [];
    for (const piece of coverRange(q.from, q.to, latencyGrains)) {
      const stmt = piece.grain === null ? this.scan.latency : piece.grain === HOUR ? this.roll.latency : this.roll.latency6h;
      addBins(bins, (yield allRows(stmt, { lo: piece.lo, hi: piece.hi, includeTest })) as HistogramBin[]);
    }
    return {
      leads: total.leads,
      sold: total.sold,
      unsold: total.unsold,
      interrupted: total.interrupted,
      revenueCents: total.revenue,
      payoutCents: total.payout,
      marginCents: total.revenue - total.payout,
      p50LatencyMs: latencyPercentile(bins, 0.5),
      p99LatencyMs: latencyPercentile(bins, 0.99),
    };
  }

  /**
   * Pings, bids and latency over every ping sent in the range (test leads included: they reach real buyers).
   * Read in one snapshot (as every report is): the catch-up moves rows from the tail into the rollups in its own transaction.
   */
  *buyerStatsSteps(q: RangeQuery): ReadSteps<BuyerStats[]> {
    const { hours, ends } = this.split(q.from, q.to);
    const pings = new Map<string, PingAgg>();
    const posts = new Map<string, PostAgg>();
    const wins = new Map<string, number>();
    const into = <T extends object>(m: Map<string, T>, id: string, empty: () => T, r: T, keys: ReadonlyArray<keyof T>) => {
      let t = m.get(id);
      if (!t) m.set(id, (t = empty()));
      add(t, r, keys);
    };
    if (hours) {
      for (const r of (yield allRows(this.roll.pings, hours)) as Array<PingAgg & { buyerId: string }>) into(pings, r.buyerId, emptyPings, r, PING_SUMS);
      for (const r of (yield allRows(this.roll.posts, hours)) as Array<PostAgg & { buyerId: string }>) into(posts, r.buyerId, emptyPosts, r, POST_SUMS);
      for (const r of (yield allRows(this.roll.wins, hours)) as Array<{ buyerId: string; wins: number }>) wins.set(r.buyerId, (wins.get(r.buyerId) ?? 0) + r.wins);
      if (this.tail) {
        for (const r of (yield allRows(this.tail.pings, hours)) as Array<PingAgg & { buyerId: string }>) into(pings, r.buyerId, emptyPings, r, PING_SUMS);
        for (const r of (yield allRows(this.tail.posts, hours)) as Array<PostAgg & { buyerId: string }>) into(posts, r.buyerId, emptyPosts, r, POST_SUMS);
      }
    }
    if (ends.length) {
      // One index range per buyer and table; buyers come from the indexes themselves.
      const pingBuyers = yield* this.pingBuyers.steps();
      const postBuyers = yield* this.postBuyers.steps();
      const winners = yield* this.winners.steps();
      for (const end of ends) {
        for (const buyerId of pingBuyers) into(pings, buyerId, emptyPings, (yield getRow(this.scan.ping, { ...end, buyerId })) as PingAgg, PING_SUMS);
        for (const buyerId of postBuyers) into(posts, buyerId, emptyPosts, (yield getRow(this.scan.post, { ...end, buyerId })) as PostAgg, POST_SUMS);
        for (const buyerId of winners) {
          const r = (yield getRow(this.scan.win, { ...end, buyerId })) as { wins: number };
          wins.set(buyerId, (wins.get(buyerId) ?? 0) + r.wins);
        }
      }
    }
    const out = new Map<string, BuyerStats>();
    const get = (buyerId: string): BuyerStats => {
      let s = out.get(buyerId);
      if (!s) {
        s = { buyerId, pings: 0, bids: 0, wins: 0, posts: 0, accepted: 0, timeouts: 0, errors: 0, avgBidCents: null, avgLatencyMs: null, revenueCents: 0 };
        out.set(buyerId, s);
      }
      return s;
    };
    for (const [buyerId, r] of pings) {
      if (r.pings === 0) continue;
      Object.assign(get(buyerId), {
        pings: r.pings, bids: r.bids, timeouts: r.timeouts, errors: r.errors,
        avgBidCents: r.bids === 0 ? null : Math.round(r.bidSum / r.bids),
        avgLatencyMs: r.latencyN === 0 ? null : r.latencySum / r.latencyN,
      });
    }
    for (const [buyerId, r] of posts) {
      if (r.posts > 0) Object.assign(get(buyerId), { posts: r.posts, accepted: r.accepted, revenueCents: r.revenue });
    }
    for (const [buyerId, n] of wins) if (n > 0) get(buyerId).wins = n;
    return [...out.values()].sort((a, b) => a.buyerId.localeCompare(b.buyerId));
  }

  *sourceStatsSteps(q: RangeQuery & { includeTest?: boolean }): ReadSteps<SourceStats[]> {
    const includeTest = q.includeTest ? 1 : 0;
    const { hours, ends } = this.split(q.from, q.to);
    const rows: Array<LeadAgg & { sourceId: string }> = [];
    if (hours) rows.push(...((yield allRows(this.roll.sources, { ...hours, includeTest })) as typeof rows));
    for (const end of ends) rows.push(...((yield allRows(this.scan.sources, { ...end, includeTest })) as typeof rows));
    const by = new Map<string, LeadAgg>();
    for (const r of rows) {
      let t = by.get(r.sourceId);
      if (!t) by.set(r.sourceId, (t = emptyLeads()));
      add(t, r, LEAD_SUMS);
    }
    return [...by]
      .filter(([, t]) => t.leads > 0)
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([sourceId, t]) => ({ sourceId, leads: t.leads, sold: t.sold, revenueCents: t.revenue, payoutCents: t.payout }));
  }

  /** Every bucket of the range, empty ones included, so a chart needs no gap filling. */
  *timeseriesSteps(q: RangeQuery & { bucketMs: number; includeTest?: boolean }): ReadSteps<TimeseriesPoint[]> {
    const span = Math.max(0, q.to - q.from);
    const bucket = Math.max(1, Math.trunc(q.bucketMs), Math.ceil(span / MAX_BUCKETS));
    const count = Math.ceil(span / bucket);
    const base = { from: q.from, bucket, includeTest: q.includeTest ? 1 : 0 };
    const totals = Array.from({ length: count }, emptyLeads);
    const bins = Array.from({ length: count }, () => new Map<number, number>());
    // Whole grains come from the rollups when each falls inside one bucket; the rest is scanned.
    const fits = (g: number) => this.rollups && q.from % g === 0 && bucket % g === 0;
    const wholeUpTo = (g: number) => (fits(g) ? Math.max(q.from, Math.floor(q.to / g) * g) : q.from);
    const leadsEnd = wholeUpTo(HOUR);
    const latencyGrain = fits(LATENCY_COARSE_GRAIN_MS) ? LATENCY_COARSE_GRAIN_MS : HOUR;
    const latencyEnd = wholeUpTo(latencyGrain);
    const parts: Array<{ span: Span; stmt: Statement; into: 'leads' | 'latency' }> = [
      { span: { lo: q.from, hi: leadsEnd }, stmt: this.roll.series, into: 'leads' },
      { span: { lo: leadsEnd, hi: q.to }, stmt: this.scan.series, into: 'leads' },
      { span: { lo: q.from, hi: latencyEnd }, stmt: latencyGrain === HOUR ? this.roll.seriesLatency : this.roll.seriesLatency6h, into: 'latency' },
      { span: { lo: latencyEnd, hi: q.to }, stmt: this.scan.seriesLatency, into: 'latency' },
    ];
    for (const part of parts) {
      if (part.span.lo >= part.span.hi) continue;
      const rows = (yield allRows(part.stmt, { ...base, ...part.span })) as Array<LeadAgg & HistogramBin & { b: number }>;
      if (part.into === 'leads') for (const r of rows) if (totals[r.b]) add(totals[r.b], r, LEAD_SUMS);
      if (part.into === 'latency') for (const r of rows) bins[r.b]?.set(r.v, (bins[r.b].get(r.v) ?? 0) + r.n);
    }
    return totals.map((t, i) => ({
      t: q.from + i * bucket,
      leads: t.leads,
      sold: t.sold,
      revenueCents: t.revenue,
      marginCents: t.revenue - t.payout,
      p50LatencyMs: latencyPercentile(bins[i], 0.5),
      p99LatencyMs: latencyPercentile(bins[i], 0.99),
    }));
  }
}

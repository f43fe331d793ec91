import type { Database, Statement } from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { AuctionStatus, OutcomeCode } from '../../shared/domain.js';

/** One ping as an auction recorded it: the buyer's answer, which tier asked, and the floor it met. */
export interface RecordedPing {
  buyerId: string;
  tierIndex: number;
  outcome: OutcomeCode;
  bidCents: number | null;
  floorCents: number;
  latencyMs: number | null;
}

/** One post row: a buyer's answer to the full record (also late acceptances and settlements). */
export interface RecordedPost {
  buyerId: string;
  attempt: number;
  outcome: OutcomeCode;
  priceCents: number;
}

/** A buyer a tier considered and did not ping, with the code of the check that left it out (its `eligible` audit event). */
export interface RecordedExclusion {
  buyerId: string;
  code: OutcomeCode;
}

/** A finished auction with everything a replay reads: its pings (the bids), its posts (who took the lead) and who was left out. */
export interface RecordedAuction {
  id: string;
  leadId: string;
  sourceId: string;
  startedAt: number;
  status: AuctionStatus;
  tierReached: number | null;
  winnerBuyerId: string | null;
  priceCents: number | null;
  payoutCents: number | null;
  pings: RecordedPing[];
  posts: RecordedPost[];
  excluded: RecordedExclusion[];
}

export interface RecordedAuctionQuery {
  campaignId: string;
  from: number;
  to: number;
}

type AuctionRow = Omit<RecordedAuction, 'pings' | 'posts' | 'excluded'>;

const AUCTION_COLUMNS = `id, lead_id AS leadId, source_id AS sourceId, started_at AS startedAt, status, tier_reached AS tierReached,
  winner_buyer_id AS winnerBuyerId, price_cents AS priceCents, payout_cents AS payoutCents`;
/**
 * Finished, non-test auctions run on the campaign's own tree: an open or interrupted auction has no
 * outcome to compare, and an A/B test's variant B ran another tree than the one being changed.
 */
const FINISHED = "test = 0 AND status IN ('sold', 'unsold', 'unconfirmed') AND (ab_variant IS NULL OR ab_variant = 'A')";
const PAGE = 500;

/**
 * Reads a campaign's recorded auctions for the what-if replay, in pages along the
 * `auctions_campaign (campaign_id, started_at, id)` index, with each page's pings, posts and exclusions
 * read in one query each (`pings_auction`, `posts_auction`, `audit_lead`). Memory holds one page at a
 * time, never the window.
 */
export class RecordedAuctionRepo {
  private readonly countStmt: Statement;
  private readonly firstPage: Statement;
  private readonly nextPage: Statement;
  private readonly byPage: StatementCache;

  constructor(db: Database) {
    const window = `campaign_id = @campaignId AND started_at >= @from AND started_at < @to AND ${FINISHED}`;
    this.countStmt = db.prepare(`SELECT COUNT(*) AS n FROM auctions WHERE ${window}`);
    this.firstPage = db.prepare(`SELECT ${AUCTION_COLUMNS} FROM auctions WHERE ${window} ORDER BY started_at, id LIMIT ${PAGE}`);
    // The next page's one lower bound is the last row read (never also `@from`: with two, SQLite may seek to the earlier).
    this.nextPage = db.prepare(`SELECT ${AUCTION_COLUMNS} FROM auctions WHERE campaign_id = @campaignId AND started_at >= @afterAt AND started_at < @to
      AND ${FINISHED} AND (started_at > @afterAt OR id > @afterId) ORDER BY started_at, id LIMIT ${PAGE}`);
    this.byPage = new StatementCache(db);
  }

  /** How many finished auctions the window holds, counted along the campaign index before any replay work. */
  count(q: RecordedAuctionQuery): number {
    return (this.countStmt.get(q) as { n: number }).n;
  }

  /** The window's finished auctions, oldest first, one page of rows in memory at a time. */
  *auctions(q: RecordedAuctionQuery): Generator<RecordedAuction> {
    let rows = this.firstPage.all(q) as AuctionRow[];
    while (rows.length > 0) {
      const ids = rows.map((r) => r.id);
      const pings = this.grouped<RecordedPing>(PINGS_SQL, ids);
      const posts = this.grouped<RecordedPost>(POSTS_SQL, ids);
      const excluded = this.exclusions([...new Set(rows.map((r) => r.leadId))]);
      const page = rows.map((r) => ({ ...r, pings: pings.get(r.id) ?? [], posts: posts.get(r.id) ?? [], excluded: excluded.get(r.id) ?? [] }));
      yield* page;
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1] as AuctionRow;
      rows = this.nextPage.all({ campaignId: q.campaignId, to: q.to, afterAt: last.startedAt, afterId: last.id }) as AuctionRow[];
    }
  }

  /** Who each auction's tiers left out, from the page's leads' `eligible` events (read by the `audit_lead` index). */
  private exclusions(leadIds: readonly string[]): Map<string, RecordedExclusion[]> {
    const out = new Map<string, RecordedExclusion[]>();
    const rows = this.byPage.get(EXCLUDED_SQL(leadIds.map(() => '?').join(','))).all(...leadIds) as Array<{ auctionId: string | null; excluded: string | null }>;
    for (const row of rows) {
      if (!row.auctionId || !row.excluded) continue;
      const list = out.get(row.auctionId) ?? [];
      for (const x of JSON.parse(row.excluded) as Array<{ buyerId?: unknown; code?: unknown }>) {
        if (typeof x.buyerId === 'string' && typeof x.code === 'string') list.push({ buyerId: x.buyerId, code: x.code as OutcomeCode });
      }
      out.set(row.auctionId, list);
    }
    return out;
  }

  /** One query for a page's rows of a table, grouped by auction in the table's own order. */
  private grouped<T>(sql: (placeholders: string) => string, ids: readonly string[]): Map<string, T[]> {
    const out = new Map<string, T[]>();
    const rows = this.byPage.get(sql(ids.map(() => '?').join(','))).all(...ids) as Array<T & { auctionId: string }>;
    for (const { auctionId, ...row } of rows) {
      const list = out.get(auctionId);
      if (list) list.push(row as T);
      else out.set(auctionId, [row as T]);
    }
    return out;
  }
}

const PINGS_SQL = (ids: string): string => `SELECT auction_id AS auctionId, buyer_id AS buyerId, tier_index AS tierIndex, outcome, bid_cents AS bidCents,
  floor_cents AS floorCents, latency_ms AS latencyMs FROM pings WHERE auction_id IN (${ids}) ORDER BY auction_id, id`;
const POSTS_SQL = (ids: string): string => `SELECT auction_id AS auctionId, buyer_id AS buyerId, attempt, outcome, price_cents AS priceCents
  FROM posts WHERE auction_id IN (${ids}) ORDER BY auction_id, attempt, id`;
const EXCLUDED_SQL = (ids: string): string => `SELECT json_extract(data, '$.auctionId') AS auctionId, json_extract(data, '$.excluded') AS excluded
  FROM audit_events WHERE lead_id IN (${ids}) AND type = 'eligible'`;

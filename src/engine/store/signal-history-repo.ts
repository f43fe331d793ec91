import type { Database, Statement } from 'better-sqlite3';
import type { OutcomeCode } from '../../shared/domain.js';

/**
 * The recorded traffic the rolling signals are rebuilt from at start: pings, posts, feedback and
 * finished auctions since a given instant, each with its campaign. Every query starts from an
 * indexed time column (auctions_started, feedback_at) and reaches the rows of each auction by
 * pings_auction / posts_auction, so the work is bounded by the rows inside the signal windows,
 * not by the size of the store. Rows are streamed, never collected.
 */

export interface PingHistoryRow {
  buyerId: string;
  campaignId: string;
  outcome: OutcomeCode;
  latencyMs: number | null;
  bidCents: number | null;
  sentAt: number;
}

export interface PostHistoryRow {
  buyerId: string;
  campaignId: string;
  outcome: OutcomeCode;
  sentAt: number;
}

export interface FeedbackHistoryRow {
  buyerId: string;
  campaignId: string;
  sourceId: string;
  test: boolean;
  event: 'converted' | 'returned' | 'contacted';
  at: number;
}

export interface AuctionHistoryRow {
  sourceId: string;
  campaignId: string;
  status: string;
  priceCents: number | null;
  payoutCents: number | null;
  startedAt: number;
}

/** An auction's pings and posts are sent after it starts and within its timeout (at most 120 s). */
const AUCTION_SPAN_MS = 120_000;

export class SignalHistoryRepo {
  private readonly pings: Statement;
  private readonly posts: Statement;
  private readonly feedback: Statement;
  private readonly auctions: Statement;

  constructor(db: Database) {
    this.pings = db.prepare(`SELECT p.buyer_id AS buyerId, a.campaign_id AS campaignId, p.outcome, p.latency_ms AS latencyMs, p.bid_cents AS bidCents, p.sent_at AS sentAt
      FROM auctions a JOIN pings p ON p.auction_id = a.id WHERE a.started_at >= ? AND p.sent_at >= ?`);
    this.posts = db.prepare(`SELECT p.buyer_id AS buyerId, a.campaign_id AS campaignId, p.outcome, p.sent_at AS sentAt
      FROM auctions a JOIN posts p ON p.auction_id = a.id WHERE a.started_at >= ? AND p.sent_at >= ?`);
    this.feedback = db.prepare(`SELECT f.buyer_id AS buyerId, l.campaign_id AS campaignId, l.source_id AS sourceId, l.test AS test, f.event, f.at
      FROM feedback f JOIN leads l ON l.id = f.lead_id WHERE f.at >= ?`);
    this.auctions = db.prepare(`SELECT source_id AS sourceId, campaign_id AS campaignId, status, price_cents AS priceCents, payout_cents AS payoutCents, started_at AS startedAt
      FROM auctions WHERE started_at >= ? AND test = 0 AND status IN ('sold', 'unsold', 'unconfirmed')`);
  }

  pingsSince(sinceMs: number): IterableIterator<PingHistoryRow> {
    return this.pings.iterate(sinceMs - AUCTION_SPAN_MS, sinceMs) as IterableIterator<PingHistoryRow>;
  }

  postsSince(sinceMs: number): IterableIterator<PostHistoryRow> {
    return this.posts.iterate(sinceMs - AUCTION_SPAN_MS, sinceMs) as IterableIterator<PostHistoryRow>;
  }

  *feedbackSince(sinceMs: number): IterableIterator<FeedbackHistoryRow> {
    for (const r of this.feedback.iterate(sinceMs) as IterableIterator<Omit<FeedbackHistoryRow, 'test'> & { test: number }>) yield { ...r, test: r.test === 1 };
  }

  /** Finished, non-test auctions (the sources' leads) started since the instant. */
  auctionsSince(sinceMs: number): IterableIterator<AuctionHistoryRow> {
    return this.auctions.iterate(sinceMs) as IterableIterator<AuctionHistoryRow>;
  }
}

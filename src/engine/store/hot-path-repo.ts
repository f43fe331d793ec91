import type { Database, Statement } from 'better-sqlite3';
import type { AuctionRecord, AuctionUpdate, CapUsageRecord, FeedbackRecord, LeadRecord, LeadStatus, PingRecord, PostRecord } from './records.js';
import type { WriteQueue } from './write-queue.js';

export interface LeadUpdate {
  status?: LeadStatus;
  priceCents?: number | null;
  payoutCents?: number | null;
  buyerId?: string | null;
}

const LEAD_COLUMNS: Record<keyof LeadUpdate, string> = {
  status: 'status',
  priceCents: 'price_cents',
  payoutCents: 'payout_cents',
  buyerId: 'buyer_id',
};

const AUCTION_COLUMNS: Record<keyof AuctionUpdate, string> = {
  status: 'status',
  endedAt: 'ended_at',
  tierReached: 'tier_reached',
  winnerBuyerId: 'winner_buyer_id',
  priceCents: 'price_cents',
  payoutCents: 'payout_cents',
  marginCents: 'margin_cents',
  floorCents: 'floor_cents',
  latencyMs: 'latency_ms',
  reason: 'reason',
};

const bit = (b: boolean): number => (b ? 1 : 0);

/**
 * The writes of a lead's journey. Each call serialises its values at once (later mutation of the
 * caller's objects cannot leak in) and queues one bound statement; nothing here touches the disk.
 */
export class HotPathRepo {
  private readonly insertLeadStmt: Statement;
  private readonly insertAuctionStmt: Statement;
  private readonly insertPingStmt: Statement;
  private readonly insertPostStmt: Statement;
  private readonly insertFeedbackStmt: Statement;
  private readonly upsertCapStmt: Statement;
  /** UPDATE statements per set of patched columns; the sets in use are few. */
  private readonly updates = new Map<string, Statement>();

  constructor(private readonly db: Database, private readonly queue: WriteQueue) {
    this.insertLeadStmt = db.prepare(
      `INSERT INTO leads (id, campaign_id, source_id, received_at, test, status, fields_json, consent_json, phone_hash, email_hash,
         state, zip, price_cents, payout_cents, buyer_id, erased_at, contact_fields_json, lead_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
    );
    this.insertAuctionStmt = db.prepare(
      `INSERT INTO auctions (id, lead_id, campaign_id, source_id, started_at, test, status, ended_at, tier_reached, winner_buyer_id,
         price_cents, payout_cents, margin_cents, floor_cents, latency_ms, reason, ab_test, ab_variant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertPingStmt = db.prepare(
      `INSERT INTO pings (auction_id, lead_id, buyer_id, tier_index, sent_at, latency_ms, outcome, bid_cents, floor_cents, reason, http_status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertPostStmt = db.prepare(
      `INSERT INTO posts (auction_id, lead_id, buyer_id, attempt, sent_at, latency_ms, outcome, price_cents, reason, buyer_ref, http_status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertFeedbackStmt = db.prepare('INSERT INTO feedback (lead_id, buyer_id, event, reason, at) VALUES (?, ?, ?, ?, ?)');
    this.upsertCapStmt = db.prepare(
      `INSERT INTO cap_usage (buyer_id, "window", window_start, count, spend_cents) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (buyer_id, "window", window_start) DO UPDATE SET count = excluded.count, spend_cents = excluded.spend_cents`,
    );
  }

  /** `leadKey`: the lead's erasable key (see LeadKeys), written with its row. */
  insertLead(r: LeadRecord, leadKey: Buffer | null = null): void {
    this.queue.enqueue({
      stmt: this.insertLeadStmt,
      params: [
        r.id, r.campaignId, r.sourceId, r.receivedAt, bit(r.test), r.status, JSON.stringify(r.fields), JSON.stringify(r.consent),
        r.phoneHash, r.emailHash, r.state, r.zip, r.priceCents ?? null, r.payoutCents ?? null, r.buyerId ?? null,
        r.contactFields ? JSON.stringify([...r.contactFields].sort()) : null, leadKey,
      ],
    });
  }

  updateLead(id: string, patch: LeadUpdate): void {
    this.enqueueUpdate('leads', LEAD_COLUMNS, id, patch);
  }

  insertAuction(r: AuctionRecord): void {
    this.queue.enqueue({
      stmt: this.insertAuctionStmt,
      params: [
        r.id, r.leadId, r.campaignId, r.sourceId, r.startedAt, bit(r.test), r.status, r.endedAt ?? null, r.tierReached ?? null,
        r.winnerBuyerId ?? null, r.priceCents ?? null, r.payoutCents ?? null, r.marginCents ?? null, r.floorCents ?? null,
        r.latencyMs ?? null, r.reason ?? null, r.abTest ?? null, r.abVariant ?? null,
      ],
    });
  }

  updateAuction(id: string, patch: AuctionUpdate): void {
    this.enqueueUpdate('auctions', AUCTION_COLUMNS, id, patch);
  }

  insertPing(r: PingRecord): void {
    this.queue.enqueue({
      stmt: this.insertPingStmt,
      params: [r.auctionId, r.leadId, r.buyerId, r.tierIndex, r.sentAt, r.latencyMs, r.outcome, r.bidCents, r.floorCents, r.reason, r.httpStatus],
    });
  }

  insertPost(r: PostRecord): void {
    this.queue.enqueue({
      stmt: this.insertPostStmt,
      params: [r.auctionId, r.leadId, r.buyerId, r.attempt, r.sentAt, r.latencyMs, r.outcome, r.priceCents, r.reason, r.buyerRef, r.httpStatus],
    });
  }

  insertFeedback(r: FeedbackRecord): void {
    this.queue.enqueue({ stmt: this.insertFeedbackStmt, params: [r.leadId, r.buyerId, r.event, r.reason, r.at] });
  }

  /** Sets the window's absolute totals: the engine's in-memory counters are the truth, this is their copy. */
  upsertCapUsage(r: CapUsageRecord): void {
    this.queue.enqueue({ stmt: this.upsertCapStmt, params: [r.buyerId, r.window, r.windowStart, r.count, r.spendCents] });
  }

  private enqueueUpdate<P extends object>(table: 'leads' | 'auctions', columns: Record<keyof P, string>, id: string, patch: P): void {
    const keys = (Object.keys(patch) as Array<keyof P>).filter((k) => patch[k] !== undefined && k in columns).sort();
    if (keys.length === 0) return;
    const cacheKey = `${table}:${keys.join(',')}`;
    let stmt = this.updates.get(cacheKey);
    if (!stmt) {
      stmt = this.db.prepare(`UPDATE ${table} SET ${keys.map((k) => `${columns[k]} = ?`).join(', ')} WHERE id = ?`);
      this.updates.set(cacheKey, stmt);
    }
    this.queue.enqueue({ stmt, params: [...keys.map((k) => patch[k] ?? null), id] });
  }
}

import type { Database, Statement } from 'better-sqlite3';
import type { AuctionStatus, AuditEventType } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { AuctionRecord, AuditEvent, LeadRecord, PingRecord, PostRecord } from './records.js';
import type { AuctionRow, AuditRow, LeadRow, PingRow, PostRow } from './row-mappers.js';
import { AUCTION_VIEW_COLUMNS, toAuction, toAuditEvent, toLead, toPing, toPost } from './row-mappers.js';
import { SqlFilter } from './sql-filter.js';
import { StatementCache } from './statement-cache.js';

export interface FindLeadsQuery {
  leadId?: string;
  phoneHash?: string;
  emailHash?: string;
  limit: number;
}

export interface ListAuditQuery {
  /** First seq to return (inclusive); with order 'desc', the newest seq to return. */
  fromSeq?: number;
  limit: number;
  type?: AuditEventType;
  leadId?: string;
  order?: 'asc' | 'desc';
}

/** Opaque keyset cursor naming the last row of the previous page (`<startedAt>.<id>`). */
export type AuctionCursor = string;

export function encodeAuctionCursor(startedAt: number, id: string): AuctionCursor {
  return `${startedAt}.${id}`;
}

export function decodeAuctionCursor(cursor: AuctionCursor): { startedAt: number; id: string } {
  const dot = cursor.indexOf('.');
  const startedAt = Number(cursor.slice(0, dot));
  if (dot <= 0 || !Number.isFinite(startedAt)) throw new PingdeskError('validation_failed', 'Invalid auction cursor');
  return { startedAt, id: cursor.slice(dot + 1) };
}

export interface ListAuctionsQuery {
  campaignId?: string;
  /** Auctions the buyer won or was pinged in. */
  buyerId?: string;
  status?: AuctionStatus;
  /** started_at range, from inclusive, to exclusive (epoch ms). */
  from?: number;
  to?: number;
  limit: number;
  before?: AuctionCursor;
}

export interface AuctionPage {
  rows: AuctionRecord[];
  nextCursor: AuctionCursor | null;
}

export interface AuctionDetail {
  auction: AuctionRecord;
  pings: PingRecord[];
  posts: PostRecord[];
}

export const MAX_PAGE = 1000;

export function clampLimit(limit: number): number {
  return Math.min(Math.max(1, Math.trunc(limit) || 1), MAX_PAGE);
}

const PING_COLUMNS = 'auction_id, lead_id, buyer_id, tier_index, sent_at, latency_ms, outcome, bid_cents, floor_cents, reason, http_status';
const POST_COLUMNS = 'auction_id, lead_id, buyer_id, attempt, sent_at, latency_ms, outcome, price_cents, reason, buyer_ref, http_status';

/** Lookups for the console, the CLI and compliance review; every one is served by an index. */
export class QueryRepo {
  private readonly cache: StatementCache;
  private readonly leadById: Statement;
  private readonly auctionById: Statement;
  private readonly auctionsByLead: Statement;
  private readonly pingsByAuction: Statement;
  private readonly postsByAuction: Statement;
  private readonly auditByLead: Statement;

  constructor(db: Database) {
    this.cache = new StatementCache(db);
    this.leadById = db.prepare('SELECT * FROM leads WHERE id = ?');
    this.auctionById = db.prepare(`SELECT ${AUCTION_VIEW_COLUMNS} FROM auctions a WHERE id = ?`);
    this.auctionsByLead = db.prepare(`SELECT ${AUCTION_VIEW_COLUMNS} FROM auctions a WHERE lead_id = ? ORDER BY started_at, id`);
    this.pingsByAuction = db.prepare(`SELECT ${PING_COLUMNS} FROM pings WHERE auction_id = ? ORDER BY tier_index, sent_at, id`);
    this.postsByAuction = db.prepare(`SELECT ${POST_COLUMNS} FROM posts WHERE auction_id = ? ORDER BY attempt, id`);
    this.auditByLead = db.prepare('SELECT * FROM audit_events WHERE lead_id = ? ORDER BY seq');
  }

  getLead(id: string): LeadRecord | null {
    const row = this.leadById.get(id) as LeadRow | undefined;
    return row ? toLead(row) : null;
  }

  /** Leads matching any of the given keys, newest first. */
  findLeads(q: FindLeadsQuery): LeadRecord[] {
    const f = new SqlFilter({ limit: clampLimit(q.limit) })
      .add('id = @leadId', 'leadId', q.leadId)
      .add('phone_hash = @phoneHash', 'phoneHash', q.phoneHash)
      .add('email_hash = @emailHash', 'emailHash', q.emailHash);
    if (f.terms.length === 0) return [];
    const sql = `SELECT * FROM leads ${f.where('OR')} ORDER BY received_at DESC, id DESC LIMIT @limit`;
    return (this.cache.get(sql).all(f.params) as LeadRow[]).map(toLead);
  }

  auctionsForLead(leadId: string): AuctionRecord[] {
    return (this.auctionsByLead.all(leadId) as AuctionRow[]).map(toAuction);
  }

  auditForLead(leadId: string): AuditEvent[] {
    return (this.auditByLead.all(leadId) as AuditRow[]).map(toAuditEvent);
  }

  listAudit(q: ListAuditQuery): AuditEvent[] {
    const desc = q.order === 'desc';
    const f = new SqlFilter({ limit: clampLimit(q.limit) })
      .add(desc ? 'seq <= @fromSeq' : 'seq >= @fromSeq', 'fromSeq', q.fromSeq)
      .add('type = @type', 'type', q.type)
      .add('lead_id = @leadId', 'leadId', q.leadId);
    const sql = `SELECT * FROM audit_events ${f.where()} ORDER BY seq ${desc ? 'DESC' : 'ASC'} LIMIT @limit`;
    return (this.cache.get(sql).all(f.params) as AuditRow[]).map(toAuditEvent);
  }

  /** Newest first, keyset-paged on (started_at, id). */
  listAuctions(q: ListAuctionsQuery): AuctionPage {
    const limit = clampLimit(q.limit);
    const f = new SqlFilter({ limit: limit + 1 })
      .add('campaign_id = @campaignId', 'campaignId', q.campaignId)
      .add('status = @status', 'status', q.status)
      .add('started_at >= @from', 'from', q.from)
      .add('started_at < @to', 'to', q.to)
      .add('(winner_buyer_id = @buyerId OR EXISTS (SELECT 1 FROM pings p WHERE p.auction_id = a.id AND p.buyer_id = @buyerId))', 'buyerId', q.buyerId);
    if (q.before) {
      const before = decodeAuctionCursor(q.before);
      f.raw('(started_at < @beforeAt OR (started_at = @beforeAt AND id < @beforeId))', { beforeAt: before.startedAt, beforeId: before.id });
    }
    const sql = `SELECT ${AUCTION_VIEW_COLUMNS} FROM auctions a ${f.where()} ORDER BY started_at DESC, id DESC LIMIT @limit`;
    const rows = (this.cache.get(sql).all(f.params) as AuctionRow[]).map(toAuction);
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    return { rows, nextCursor: more && last ? encodeAuctionCursor(last.startedAt, last.id) : null };
  }

  getAuction(id: string): AuctionDetail | null {
    const row = this.auctionById.get(id) as AuctionRow | undefined;
    if (!row) return null;
    return {
      auction: toAuction(row),
      pings: (this.pingsByAuction.all(id) as PingRow[]).map(toPing),
      posts: (this.postsByAuction.all(id) as PostRow[]).map(toPost),
    };
  }
}

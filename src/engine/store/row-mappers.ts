import type { AuctionStatus, AuditEventType, ConsentRecord, LeadFields, OutcomeCode } from '../../shared/domain.js';
import type { AuctionRecord, AuditEvent, FeedbackRecord, LeadRecord, LeadStatus, PingRecord, PostRecord } from './records.js';

/** Column lists and row → record conversions, shared by queries and exports. */

export interface LeadRow {
  id: string;
  campaign_id: string;
  source_id: string;
  received_at: number;
  test: number;
  status: string;
  fields_json: string;
  consent_json: string;
  phone_hash: string | null;
  email_hash: string | null;
  state: string | null;
  zip: string | null;
  price_cents: number | null;
  payout_cents: number | null;
  buyer_id: string | null;
  erased_at: number | null;
}

export function toLead(r: LeadRow): LeadRecord {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    sourceId: r.source_id,
    receivedAt: r.received_at,
    test: r.test === 1,
    status: r.status as LeadStatus,
    fields: JSON.parse(r.fields_json) as LeadFields,
    consent: JSON.parse(r.consent_json) as ConsentRecord,
    phoneHash: r.phone_hash,
    emailHash: r.email_hash,
    state: r.state,
    zip: r.zip,
    priceCents: r.price_cents,
    payoutCents: r.payout_cents,
    buyerId: r.buyer_id,
    erasedAt: r.erased_at,
  };
}

export interface AuctionRow {
  id: string;
  lead_id: string;
  campaign_id: string;
  source_id: string;
  started_at: number;
  test: number;
  status: string;
  ended_at: number | null;
  tier_reached: number | null;
  winner_buyer_id: string | null;
  price_cents: number | null;
  payout_cents: number | null;
  margin_cents: number | null;
  floor_cents: number | null;
  latency_ms: number | null;
  reason: string | null;
  state?: string | null;
  ab_test?: string | null;
  ab_variant?: string | null;
}

export const AUCTION_COLUMNS =
  'id, lead_id, campaign_id, source_id, started_at, test, status, ended_at, tier_reached, winner_buyer_id, price_cents, payout_cents, margin_cents, floor_cents, latency_ms, reason';

/** Auction columns plus the lead's state, for views; the query must name the auctions table `a`. */
export const AUCTION_VIEW_COLUMNS = `${AUCTION_COLUMNS}, (SELECT l.state FROM leads l WHERE l.id = a.lead_id) AS state, ab_test, ab_variant`;

export function toAuction(r: AuctionRow): AuctionRecord {
  return {
    id: r.id,
    leadId: r.lead_id,
    campaignId: r.campaign_id,
    sourceId: r.source_id,
    startedAt: r.started_at,
    test: r.test === 1,
    status: r.status as AuctionStatus,
    endedAt: r.ended_at,
    tierReached: r.tier_reached,
    winnerBuyerId: r.winner_buyer_id,
    priceCents: r.price_cents,
    payoutCents: r.payout_cents,
    marginCents: r.margin_cents,
    floorCents: r.floor_cents,
    latencyMs: r.latency_ms,
    reason: r.reason,
    ...(r.state !== undefined ? { state: r.state } : {}),
    ...(r.ab_test ? { abTest: r.ab_test, abVariant: r.ab_variant === 'B' ? 'B' : 'A' } : {}),
  };
}

export interface PingRow {
  auction_id: string;
  lead_id: string;
  buyer_id: string;
  tier_index: number;
  sent_at: number;
  latency_ms: number | null;
  outcome: string;
  bid_cents: number | null;
  floor_cents: number;
  reason: string | null;
  http_status: number | null;
}

export function toPing(r: PingRow): PingRecord {
  return {
    auctionId: r.auction_id,
    leadId: r.lead_id,
    buyerId: r.buyer_id,
    tierIndex: r.tier_index,
    sentAt: r.sent_at,
    latencyMs: r.latency_ms,
    outcome: r.outcome as OutcomeCode,
    bidCents: r.bid_cents,
    floorCents: r.floor_cents,
    reason: r.reason,
    httpStatus: r.http_status,
  };
}

export interface PostRow {
  auction_id: string;
  lead_id: string;
  buyer_id: string;
  attempt: number;
  sent_at: number;
  latency_ms: number | null;
  outcome: string;
  price_cents: number;
  reason: string | null;
  buyer_ref: string | null;
  http_status: number | null;
}

export function toPost(r: PostRow): PostRecord {
  return {
    auctionId: r.auction_id,
    leadId: r.lead_id,
    buyerId: r.buyer_id,
    attempt: r.attempt,
    sentAt: r.sent_at,
    latencyMs: r.latency_ms,
    outcome: r.outcome as OutcomeCode,
    priceCents: r.price_cents,
    reason: r.reason,
    buyerRef: r.buyer_ref,
    httpStatus: r.http_status,
  };
}

export interface AuditRow {
  seq: number;
  lead_id: string | null;
  at: number;
  type: string;
  actor: string;
  data: string;
  prev_hash: string;
  hash: string;
}

export function toAuditEvent(r: AuditRow): AuditEvent {
  return {
    seq: r.seq,
    leadId: r.lead_id,
    at: r.at,
    type: r.type as AuditEventType,
    actor: r.actor,
    data: JSON.parse(r.data) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface FeedbackRow {
  lead_id: string;
  buyer_id: string;
  event: string;
  reason: string | null;
  at: number;
}

export function toFeedback(r: FeedbackRow): FeedbackRecord {
  return { leadId: r.lead_id, buyerId: r.buyer_id, event: r.event as FeedbackRecord['event'], reason: r.reason, at: r.at };
}

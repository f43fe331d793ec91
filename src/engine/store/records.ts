import type { AuctionStatus, AuditEventType, ConsentRecord, LeadFields, OutcomeCode } from '../../shared/domain.js';
import type { Cents } from '../money.js';

/** Times are epoch milliseconds throughout the store. */
export type EpochMs = number;

export type LeadStatus = 'received' | 'auctioning' | 'sold' | 'unsold' | 'interrupted' | 'unconfirmed' | 'screened_out';

export interface LeadRecord {
  id: string;
  campaignId: string;
  sourceId: string;
  receivedAt: EpochMs;
  test: boolean;
  status: LeadStatus;
  /** The full normalised record, contact fields included. Lives only in the leads table. */
  fields: LeadFields;
  consent: ConsentRecord;
  /** Salted hashes for duplicate checks and search; null when the field is absent. */
  phoneHash: string | null;
  emailHash: string | null;
  state: string | null;
  zip: string | null;
  priceCents?: Cents | null;
  payoutCents?: Cents | null;
  buyerId?: string | null;
  /** Set when the consumer's contact data was erased on request (CPRA); contact fields are then null. */
  erasedAt?: EpochMs | null;
  /** The fields the campaign flagged as contact data when the lead arrived: what erasure blanks. */
  contactFields?: readonly string[] | null;
}

export interface AuctionRecord {
  id: string;
  leadId: string;
  campaignId: string;
  sourceId: string;
  startedAt: EpochMs;
  test: boolean;
  status: AuctionStatus;
  endedAt?: EpochMs | null;
  /** Index of the last tier the auction reached. */
  tierReached?: number | null;
  winnerBuyerId?: string | null;
  priceCents?: Cents | null;
  payoutCents?: Cents | null;
  marginCents?: Cents | null;
  /** The effective floor of the tier that sold (or of the last tier tried). */
  floorCents?: Cents | null;
  latencyMs?: number | null;
  reason?: string | null;
  /** The lead's state, joined in by view queries; not a column of the auctions table. */
  state?: string | null;
  /** The A/B test the auction ran under and its variant ('A' or 'B'); null when in no test. */
  abTest?: string | null;
  abVariant?: 'A' | 'B' | null;
}

export type AuctionUpdate = Partial<Omit<AuctionRecord, 'id' | 'leadId' | 'campaignId' | 'sourceId' | 'startedAt' | 'test' | 'state' | 'abTest' | 'abVariant'>>;

export interface PingRecord {
  auctionId: string;
  leadId: string;
  buyerId: string;
  tierIndex: number;
  sentAt: EpochMs;
  latencyMs: number | null;
  outcome: OutcomeCode;
  bidCents: Cents | null;
  floorCents: Cents;
  reason: string | null;
  httpStatus: number | null;
}

export interface PostRecord {
  auctionId: string;
  leadId: string;
  buyerId: string;
  attempt: number;
  sentAt: EpochMs;
  latencyMs: number | null;
  outcome: OutcomeCode;
  priceCents: Cents;
  reason: string | null;
  buyerRef: string | null;
  httpStatus: number | null;
}

export interface AuditInput {
  leadId: string | null;
  type: AuditEventType;
  actor: string;
  /** Must hold no raw contact data: name the lead, carry salted hashes of what was sent. */
  data: Record<string, unknown>;
  at?: EpochMs;
}

export interface AuditEvent {
  seq: number;
  leadId: string | null;
  at: EpochMs;
  type: AuditEventType;
  actor: string;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface FeedbackRecord {
  leadId: string;
  buyerId: string;
  event: 'converted' | 'returned' | 'contacted';
  reason: string | null;
  at: EpochMs;
}

export type CapWindow = 'hour' | 'day';

export interface CapUsageRecord {
  buyerId: string;
  window: CapWindow;
  /** Start of the window in epoch ms: the UTC hour, or midnight in the buyer's schedule time zone (UTC without one). */
  windowStart: EpochMs;
  count: number;
  spendCents: Cents;
}

export interface SuppressionEntry {
  kind: 'phone' | 'email';
  hash: string;
  /** Last four digits or masked email, to help an operator recognise it; never the full value. */
  hint: string;
  addedAt: EpochMs;
  source: string;
}

/** A finished auction as Live's headline figures count it. */
export type FinishedAuctionRow = Pick<AuctionRecord, 'test' | 'startedAt' | 'status' | 'priceCents' | 'payoutCents' | 'marginCents' | 'latencyMs'>;

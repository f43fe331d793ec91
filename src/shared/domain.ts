/**
 * Domain types shared by the engine, the console contract and the renderer.
 * Authoring shapes (what the workspace file, the console and the API exchange) carry money in
 * dollars and times in ms. The engine compiles them into runtime shapes with integer cents
 * (see engine/workspace/compile.ts); nothing in the engine compares float money.
 */

import type { DynamicFloorSpec } from './dynamic-floor.js';

export type FieldType = 'string' | 'phone' | 'email' | 'state' | 'zip' | 'integer' | 'number' | 'boolean' | 'date' | 'enum';

export interface FieldSpec {
  type: FieldType;
  required?: boolean;
  /** Contact fields identify the consumer: never pinged, never in audit events or logs. */
  contact?: boolean;
  min?: number;
  max?: number;
  maxLength?: number;
  values?: string[];
}

export interface PriceRule {
  type: 'fixed' | 'percent';
  /** fixed: dollars; percent: 0..100 */
  value: number;
}

export interface TierSpec {
  name: string;
  floor: number;
  buyers: string[];
  /** How the tier picks among valid bids: `price` (default), `weighted` or `round_robin`. */
  distribution?: 'price' | 'weighted' | 'round_robin';
  /** Per buyer weight for `weighted` (default 1). */
  weights?: Record<string, number>;
  /** A floor that follows the market, recomputed on a schedule (see shared/dynamic-floor.ts). */
  dynamicFloor?: DynamicFloorSpec;
}

export interface CampaignSpec {
  id: string;
  name: string;
  vertical: string;
  fields: Record<string, FieldSpec>;
  pingFields: string[];
  minPrice: number;
  payout: PriceRule;
  margin: PriceRule;
  requireNamedSeller: boolean;
  duplicateWindowDays: number;
  pingTimeoutMs: number;
  postTimeoutMs: number;
  /** The whole auction (every tier, every post) ends by then; default 5000. */
  auctionTimeoutMs?: number;
  /** How many buyers may receive one lead's full record; default 3. */
  maxPostAttempts?: number;
  /** Shared leads: one lead is sold to up to this many buyers (each post a sale); 1, the default, is exclusive. */
  maxSales?: number;
  /** Post to the next bid also after an unknown post outcome (timeout, 5xx, …); default false. */
  failOverOnUnknownPost?: boolean;
  /** Inbound pings (`POST /v1/ping`): how long the held bids wait for the post; absent: 60. */
  pingTtlSeconds?: number;
  /** The answer to `POST /v1/ping` lists the bidding buyers' consent names as `sellers`. */
  pingConsentNames?: boolean;
  tiers: TierSpec[];
  active?: boolean;
  /** Pre-ping screening rules (TrustedForm, Trestle, IPQS), run before any buyer is pinged. */
  screening?: ScreeningRuleSpec[];
  /** A running A/B test of the ping tree: variant A is `tiers`, variant B its own tiers. */
  abTest?: AbTestSpec;
}

/**
 * An A/B test of a campaign's ping tree. Each lead goes to one variant, chosen from a hash of its id,
 * so a lead always gets the same one; eligibility, caps, consent and floors work alike in both.
 */
export interface AbTestSpec {
  /** Names the test in the audit trail and the recorded auctions; unique per campaign. */
  name: string;
  /** Share of leads routed to variant B, in whole percent (1-99). */
  splitPercent: number;
  variantB: { tiers: TierSpec[] };
  /** When the test started (epoch ms); its report starts there by default. */
  startedAt: number;
}

/** One pre-ping screening rule of a campaign. `apiKey` is write-only: never exported or listed. */
export interface ScreeningRuleSpec {
  type: 'trustedform' | 'trestle' | 'ipqs';
  /** The vendor's base URL; default its real one. */
  url?: string;
  apiKey?: string;
  /** What a failed check does: refuse the lead, or let it through flagged. */
  action: 'reject' | 'flag';
  /** What a vendor that does not answer usably in time does; default flag. */
  onError?: 'reject' | 'flag';
  timeoutMs: number;
  /** Trestle: the lowest activity score that passes (0-100). */
  minActivityScore?: number;
  /** IPQS: the highest fraud score that passes (0-100). */
  maxFraudScore?: number;
}

export interface SourceSpec {
  id: string;
  name: string;
  /** Plain key, only ever in an authored workspace file; stored hashed. */
  apiKey?: string;
  /** Hashes of keys already issued (`sha256:<hex>`), as exported. */
  apiKeyHashes?: string[];
  campaigns: string[];
  /** Leads per minute accepted from this source before 429. */
  rateLimitPerMinute?: number;
  active?: boolean;
  /** An approved return takes this source's payout back. */
  clawback?: boolean;
  /** This source's own payout (fixed or revenue share), overriding the campaign's for its leads. */
  payout?: PriceRule;
}

export type BodyFormat = 'json' | 'form' | 'xml';

export interface EndpointAuth {
  type: 'none' | 'bearer' | 'basic' | 'header';
  token?: string;
  username?: string;
  password?: string;
  header?: string;
  value?: string;
}

/**
 * A delivery template for buyers with their own API. Without one, the native protocol of
 * DESIGN.md §4 is used. `fields` maps the buyer's names to ours (`{ "zip_code": "zip" }`);
 * `static` adds constant values. Response rules are dotted paths into the parsed answer.
 */
export interface DeliveryTemplate {
  format: BodyFormat;
  fields?: Record<string, string>;
  static?: Record<string, string | number | boolean>;
  /** Root element name for XML bodies. */
  root?: string;
  response?: {
    format?: BodyFormat | 'text';
    bidPath?: string;
    tokenPath?: string;
    acceptedPath?: string;
    /** Value at acceptedPath meaning accepted (default: true / "true" / "accepted" / "success"). */
    acceptedValue?: string | number | boolean;
    reasonPath?: string;
    buyerRefPath?: string;
  };
}

export interface EndpointSpec {
  url: string;
  timeoutMs?: number;
  method?: 'POST' | 'PUT';
  headers?: Record<string, string>;
  auth?: EndpointAuth;
  template?: DeliveryTemplate;
}

export interface FieldRule {
  field: string;
  op: 'eq' | 'neq' | 'in' | 'nin' | 'gte' | 'lte' | 'gt' | 'lt' | 'exists';
  value?: string | number | boolean | Array<string | number>;
}

export interface BuyerFilters {
  states?: string[];
  excludeStates?: string[];
  zips?: string[];
  excludeZips?: string[];
  rules?: FieldRule[];
  /** Campaign ids this buyer buys in (all when absent). */
  campaigns?: string[];
}

export interface CapsSpec {
  hourly?: number;
  daily?: number;
  /** dollars */
  dailyBudget?: number;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface ScheduleSpec {
  timezone: string;
  days?: Weekday[];
  /** "HH:MM", inclusive */
  from?: string;
  /** "HH:MM", exclusive */
  to?: string;
}

export interface BuyerSpec {
  id: string;
  name: string;
  consentName?: string;
  apiKey?: string;
  apiKeyHashes?: string[];
  /** Without a ping endpoint the buyer is fixed-price: `fixedPrice` stands as its bid. */
  ping?: EndpointSpec;
  post: EndpointSpec;
  fixedPrice?: number;
  filters?: BuyerFilters;
  caps?: CapsSpec;
  schedule?: ScheduleSpec;
  /** Higher wins ties. */
  priority?: number;
  active?: boolean;
  /** Paused by an operator: kept in the tree but not pinged until resumed. */
  paused?: boolean;
  /** Return requests within `windowDays` that keep the buyer under `maxRatePercent` are approved at once. */
  returns?: { windowDays: number; maxRatePercent: number };
  /** Ranking only: −20 ranks a $30 bid as $24; the buyer is still charged its own bid. */
  bidAdjustmentPercent?: number;
}

export interface Workspace {
  version: 1;
  campaigns: CampaignSpec[];
  sources: SourceSpec[];
  buyers: BuyerSpec[];
}

export interface ConsentRecord {
  text: string;
  captured_at: string;
  ip?: string;
  page_url?: string;
  trustedform_cert_url?: string;
  leadid_token?: string;
  sellers?: string[];
  user_agent?: string;
}

export type FieldValue = string | number | boolean | null;
export type LeadFields = Record<string, FieldValue>;

/** Every buyer and auction outcome has one of these codes; audit, console and reports share them. */
export const OUTCOME_CODES = [
  'BID',
  'NO_BID',
  'TIMEOUT',
  'LATE',
  'BAD_RESPONSE',
  'HTTP_ERROR',
  'UNREACHABLE',
  'BELOW_FLOOR',
  'FIXED_PRICE',
  'FILTERED_STATE',
  'FILTERED_ZIP',
  'FILTERED_FIELD',
  'FILTERED_CAMPAIGN',
  'OUT_OF_SCHEDULE',
  'CAP_REACHED',
  'BUDGET_REACHED',
  'CONSENT_NOT_NAMED',
  'INACTIVE',
  'PAUSED',
  'CIRCUIT_OPEN',
  'ACCEPTED',
  'POST_REJECTED',
  'POST_TIMEOUT',
  'POST_ERROR',
  'NOT_REACHED',
  'LATE_ACCEPTED',
  'AUCTION_TIMEOUT',
  'MAX_POST_ATTEMPTS',
  'SETTLED_SOLD',
  'BELOW_PROMISE',
] as const;
export type OutcomeCode = (typeof OUTCOME_CODES)[number];

export type AuctionStatus = 'open' | 'sold' | 'unsold' | 'interrupted' | 'unconfirmed';

export const AUDIT_EVENT_TYPES = [
  'received',
  'validated',
  'refused',
  'eligible',
  'ping',
  'winner',
  'post',
  'sold',
  'unsold',
  'interrupted',
  'feedback',
  'erased',
  'config',
  'circuit',
  'suppression',
  'unconfirmed',
  'late_accept',
  'settled',
  'screened',
  'inbound_ping',
  'return',
  'return_decided',
  'ledger_adjustment',
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

import { z } from 'zod';
import type { AuctionStatus, AuditEventType, BuyerSpec, CampaignSpec, CapsSpec, ConsentRecord, LeadFields, OutcomeCode, SourceSpec, TierSpec, Workspace } from './domain.js';
import type { ErrorDetail, WireError } from './errors.js';
import type { TreeChange } from './tree-change.js';
import type { ChangeImpact, ChangeList } from './change-views.js';
import type { buyerSchema, campaignSchema, sourceSchema, tierSchema } from './workspace-schema.js';
import type { LedgerEntryView, PartyBalanceView, ReturnDecisionResult, ReturnView, RevenueSummary, StatementView } from './ledger-views.js';
import type { AbPromoteResult, AbReport } from './ab-test-views.js';
import type { ConfigAuditView, DynamicFloorView, FloorChangeView, LeadValueView, PredictionErrorReport } from './market-views.js';
import { treeChangeSchema } from './tree-change.js';
import type { PriceRejectReport, WhatIfResult } from './whatif-views.js';

/**
 * The ConsoleApi contract: every method the console may call, with its argument schema and result
 * type, defined once. The engine implements it once (engine/console/handlers.ts); the Electron IPC
 * and the HTTP transports dispatch generically over `consoleMethods`, so a new method is written
 * here and in the handler map only. Money is in dollars, times are epoch ms.
 */

export type Reply<T> = { ok: true; value: T } | { ok: false; error: WireError };

interface MethodDef<S extends z.ZodType, R> {
  args: S;
  /** Changes data: refused in read-only mode. */
  mutates: boolean;
  /** Phantom: carries the result type only. */
  result?: R;
}

function query<R>() {
  return <S extends z.ZodType>(args: S): MethodDef<S, R> => ({ args, mutates: false });
}
function command<R>() {
  return <S extends z.ZodType>(args: S): MethodDef<S, R> => ({ args, mutates: true });
}

// ---- result types -------------------------------------------------------------------------

export interface SessionInfo {
  version: string;
  readOnly: boolean;
  /** The archive file served (`pingdesk serve --open`, File → Open archive…); always read-only. */
  archive?: string | null;
  dataDir: string;
  intakeUrl: string | null;
  mode: 'electron' | 'browser';
  startedAt: number;
  /** Whether the engine can store what it receives; later changes arrive as `health.changed`. */
  health?: StorageHealth;
}

/**
 * While `storage_unavailable` (disk full, I/O error, locked, corrupt or read-only database) intake
 * answers 503, writes are held in memory and retried, and the console shows a banner on every screen.
 */
export interface StorageHealth {
  status: 'ok' | 'storage_unavailable';
  /** The storage error, e.g. "SQLITE_FULL: database or disk is full"; null when ok. */
  reason: string | null;
  /** Since when (epoch ms); null when ok. */
  since: number | null;
  /** Writes held in order until the storage takes them. */
  retainedWrites: number;
}

export interface BuyerStat {
  buyerId: string;
  pings: number;
  bids: number;
  wins: number;
  posts: number;
  accepted: number;
  timeouts: number;
  errors: number;
  bidRate: number;
  winRate: number;
  acceptRate: number;
  timeoutRate: number;
  avgBid: number;
  avgLatencyMs: number;
  revenue: number;
}

export interface SourceStat {
  sourceId: string;
  /** Leads accepted (stored and auctioned). */
  leads: number;
  sold: number;
  revenue: number;
  payout: number;
  /** Everything the source sent: accepted + refused. */
  received: number;
  /** Refused at intake (duplicate, suppressed, invalid, rate-limited, …). */
  refused: number;
  /** Refusals by error code. */
  refusedBy: Record<string, number>;
}

export interface Overview {
  from: number;
  to: number;
  leads: number;
  sold: number;
  unsold: number;
  interrupted: number;
  fillRate: number;
  revenue: number;
  payout: number;
  margin: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
  leadsPerMinute: number;
  /** Leads refused at intake in the period (live window only; reports read them per source). */
  refused?: number;
}

export interface TimePoint {
  t: number;
  leads: number;
  sold: number;
  revenue: number;
  margin: number;
  fillRate: number;
  p50LatencyMs: number | null;
  p99LatencyMs: number | null;
}

export interface AuctionSummary {
  id: string;
  leadId: string;
  campaignId: string;
  sourceId: string;
  state: string | null;
  startedAt: number;
  status: AuctionStatus;
  tierReached: number | null;
  winnerBuyerId: string | null;
  price: number | null;
  payout: number | null;
  margin: number | null;
  latencyMs: number | null;
  test: boolean;
  reason: string | null;
}

export interface PingView {
  buyerId: string;
  tierIndex: number;
  sentAt: number;
  latencyMs: number | null;
  outcome: OutcomeCode;
  bid: number | null;
  floor: number;
  reason: string | null;
  httpStatus: number | null;
}

export interface PostView {
  buyerId: string;
  attempt: number;
  sentAt: number;
  latencyMs: number | null;
  outcome: OutcomeCode;
  price: number;
  reason: string | null;
  buyerRef: string | null;
}

/** An inbound ping as the Live screen shows it: `promised` while its bids are held, then `posted` or `expired`. */
export interface InboundPingView {
  pingId: string;
  sourceId: string;
  campaignId: string;
  pingedAt: number;
  expiresAt: number;
  /** What the source was promised (dollars) and the best bid behind it. */
  promised: number;
  bestBid: number;
  status: 'promised' | 'posted' | 'expired';
  test: boolean;
}

export interface AuctionDetail {
  auction: AuctionSummary & { floor: number | null };
  pings: PingView[];
  posts: PostView[];
  /** Eligibility decisions per tier: who was excluded and why. */
  excluded: Array<{ tierIndex: number; buyerId: string; code: OutcomeCode; reason: string }>;
  /** Each tier reached, as it was at auction time (never re-read from today's configuration). */
  tiers: AuctionTierView[];
  /** Buyer id → name at auction time, for every buyer the auction considered; empty for older auctions. */
  buyerNames: Record<string, string>;
  /** A post after an inbound ping (`POST /v1/ping`): the ping and the price promised to the source. */
  promise?: { pingId: string; price: number } | null;
  /** The A/B test the auction ran under and the variant whose tree decided it; null when in no test. */
  abTest?: { name: string; variant: 'A' | 'B' } | null;
}

/** One part of a tier's effective floor; `amount` null when the rules could not be met at any price. */
export interface FloorPartView {
  reason: 'tier' | 'campaign_min' | 'payout_margin';
  label: string;
  amount: number | null;
}

/**
 * A tier's floor as the engine computed it (in cents) at auction time: the highest of its parts.
 * `parts` is null for auctions recorded before the parts were kept.
 */
export interface AuctionTierView {
  tierIndex: number;
  tierName: string | null;
  floor: number | null;
  floorReason: 'tier' | 'campaign_min' | 'payout_margin' | null;
  parts: FloorPartView[] | null;
}

export interface LeadSummary {
  id: string;
  campaignId: string;
  sourceId: string;
  receivedAt: number;
  status: string;
  test: boolean;
  price: number | null;
  buyerId: string | null;
  phone: string | null;
  email: string | null;
  state: string | null;
}

export interface AuditEventView {
  seq: number;
  leadId: string | null;
  at: number;
  type: AuditEventType;
  actor: string;
  data: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

export interface LeadDetail {
  lead: LeadSummary & { fields: LeadFields; consent: ConsentRecord; erased: boolean };
  auctions: AuctionSummary[];
  trail: AuditEventView[];
  /** Pre-ping screening results, in the campaign's rule order (empty when none ran). */
  screening?: ScreeningView[];
}

/** One pre-ping screening result: codes and numbers only. */
export interface ScreeningView {
  vendor: 'trustedform' | 'trestle' | 'ipqs';
  outcome: 'PASS' | 'FAIL' | 'TIMEOUT' | 'ERROR';
  code: string;
  score: number | null;
  httpStatus: number | null;
  latencyMs: number;
  verdict: 'pass' | 'flag' | 'reject';
  at: number;
}

/** The result of settling an unconfirmed lead (`leads.settle`). */
export interface LeadSettlement {
  leadId: string;
  auctionId: string;
  status: 'sold' | 'unsold';
  buyerId: string;
  price: number;
  payout: number | null;
}

export interface ApiKeyView {
  id: string;
  prefix: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface SourceView {
  spec: SourceSpec;
  keys: ApiKeyView[];
}

export interface CapUsageView {
  hourly: number;
  daily: number;
  spend: number;
}

/** A proposal from the buyer's performance signals; the operator decides (never applied by itself). */
export interface TierSuggestion {
  action: 'promote' | 'demote' | 'stay';
  /** The suggested tier index (0 is pinged first). */
  tier: number;
  reasons: string[];
}

export interface BuyerPlacement {
  campaignId: string;
  tierIndex: number;
  suggestion: TierSuggestion;
  /** The buyer's rolling figures on this campaign only. */
  figures?: BuyerSignalFigures;
}

/** A buyer's rolling figures: traffic over the last hour, sales and feedback over the last 7 days. */
export interface BuyerSignalFigures {
  pings: number;
  bids: number;
  bidRate: number;
  /** Posts received (won bids). */
  wins: number;
  winRate: number;
  accepted: number;
  acceptRate: number;
  lateAccepts: number;
  timeouts: number;
  timeoutRate: number;
  avgBid: number;
  avgLatencyMs: number;
  p95LatencyMs: number;
  sold: number;
  converted: number;
  returned: number;
  conversionRate: number;
  returnRate: number;
}

export interface BuyerSignalsRow {
  buyerId: string;
  campaignId: string;
  figures: BuyerSignalFigures;
}

/** A source's rolling figures on one campaign over the last 7 days (test leads left out). */
export interface SourceSignalsRow {
  sourceId: string;
  campaignId: string;
  leads: number;
  sold: number;
  soldRate: number;
  avgPrice: number;
  avgPayout: number;
  returned: number;
  returnRate: number;
}

/** What a campaign's tier placement policy proposes for one buyer, with the evidence. */
export interface PlacementProposalView {
  campaignId: string;
  buyerId: string;
  mode: 'off' | 'suggest' | 'automatic';
  action: 'promote' | 'demote' | 'stay';
  fromTier: number;
  toTier: number;
  reasons: string[];
  evidence: {
    conversionRate: number;
    acceptRate: number;
    timeoutRate: number;
    p95LatencyMs: number;
    returnRate: number;
    sold: number;
    posts: number;
    pings: number;
  };
  /** The move as a ping tree change (for the what-if preview); null when the buyer stays. */
  change: TreeChange | null;
}

/** A move made by tier placement (automatically, or applied by the operator from a suggestion). */
export interface PlacementMoveView {
  at: number;
  campaignId: string;
  buyerId: string;
  action: 'promote' | 'demote';
  fromTier: number;
  toTier: number;
  appliedBy: string;
  reasons: string[];
}

export interface BuyerView {
  spec: BuyerSpec;
  /** Where the buyer sits in each campaign's tree, with what its signals suggest. */
  placements: BuyerPlacement[];
  paused: boolean;
  circuit: 'closed' | 'open' | 'half-open';
  usage: CapUsageView;
  keys: ApiKeyView[];
  signals: {
    bidRate: number;
    acceptRate: number;
    /** Posts accepted after their timeout, in the last hour. */
    lateAccepts: number;
    timeoutRate: number;
    avgBid: number;
    avgLatencyMs: number;
    conversionRate: number;
    returnRate: number;
    samples: number;
  };
}

export interface CreatedKey {
  id: string;
  prefix: string;
  /** The plain key: shown once, never stored. */
  key: string;
}

export interface TestPingResult {
  outcome: OutcomeCode;
  bid: number | null;
  latencyMs: number;
  reason: string | null;
  request: { url: string; method: string; headers: Record<string, string>; body: string };
  response: { status: number | null; body: string | null };
}

export interface SuppressionView {
  kind: 'phone' | 'email';
  hash: string;
  hint: string;
  addedAt: number;
  source: string;
}

export interface SuppressionImportResult {
  added: number;
  duplicates: number;
  refused: Array<{ line: number; value: string; reason: string }>;
}

/** A signed checkpoint of the audit chain's head. */
export interface CheckpointView {
  seq: number;
  at: number;
  keyId: string;
}

/**
 * `lastCheckpoint`: the newest checkpoint whose signature verified and whose (seq, hash) is on the
 * chain; `unsignedAfter`: events after it, intact as a chain but not yet signed. `leads`: lead rows
 * checked against the record hash in their `received` event.
 */
/** A consumer's revocation of consent, recorded by an operator (the same as `POST /v1/revocations`). */
export interface RevocationResult {
  status: 'suppressed';
  revocationId: string;
  receivedAt: number;
  suppressed: Array<'phone' | 'email'>;
  /** Entries new on the list (0 when the consumer was already suppressed). */
  added: number;
  /** The reason reduced to a code: consumer_request, stop_reply, dnc_request, opt_out_link, litigation or other. */
  reasonCode: string;
}

export type VerifyResult =
  | {
      ok: true;
      count: number;
      lastSeq: number;
      lastCheckpoint?: CheckpointView | null;
      checkpoints?: number;
      unsignedAfter?: number;
      keyId?: string | null;
      keySource?: 'database' | 'given';
      leads?: { intact: number; erased: number; unhashed: number };
    }
  | { ok: false; count: number; firstBadSeq: number; problem: string; lastCheckpoint?: CheckpointView | null; leadId?: string; detail?: string };

/** The newest checkpoint as stored (not verified: `audit.verify` does that) and the signing key's id. */
export interface AuditSigningView {
  keyId: string | null;
  lastCheckpoint: CheckpointView | null;
  unsignedAfter: number;
}

/** The public key a reviewer verifies checkpoints with, as a PEM file to download. */
export interface PublicKeyExport {
  keyId: string;
  pem: string;
  fileName: string;
}

/** A lead's evidence bundle (ZIP) written to the exports folder; downloaded like a CSV export. */
export interface EvidenceExport {
  leadId: string;
  fileName: string;
  path: string;
  bytes: number;
  events: number;
  /** The signed checkpoint that covers the lead's last event; null when none does yet. */
  checkpointSeq: number | null;
}

/** One file in the data folder's exports/ (`exports.list`). */
export interface ExportFileView {
  fileName: string;
  bytes: number;
  modifiedAt: number;
}

export interface ExportResult {
  kind: 'leads' | 'auctions' | 'audit';
  rows: number;
  fileName: string;
  path: string;
}

// ---- argument schemas ----------------------------------------------------------------------

const range = z.object({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() });
const entityId = z.string().min(1).max(64);
const jobId = z.string().min(1).max(64).optional();
const empty = z.object({}).optional();
const anyObject = z.record(z.string(), z.unknown());
/**
 * A workspace record the console saves: typed here with the workspace schema's input, checked only as
 * an object at the contract, and validated in full by the engine's configuration service, which answers
 * with every problem by the record's own field paths (not the call's). The cast changes only the type.
 */
const workspaceRecord = <S extends z.ZodType>() => anyObject as unknown as z.ZodType<z.input<S>, z.input<S>>;

export const consoleMethods = {
  'session.info': query<SessionInfo>()(empty),
  'overview.get': query<Overview>()(range.extend({ includeTest: z.boolean().optional() })),
  'timeseries.get': query<TimePoint[]>()(range.extend({ bucketMs: z.number().int().min(1000).max(86_400_000 * 31) })),
  /** Every campaign's pings, or one campaign's only when `campaignId` is given (the Ping tree's cards). */
  'stats.buyers': query<BuyerStat[]>()(range.extend({ campaignId: entityId.optional() })),
  'stats.sources': query<SourceStat[]>()(range),
  'auctions.list': query<{ rows: AuctionSummary[]; nextCursor: string | null }>()(
    z.object({
      campaignId: z.string().optional(),
      buyerId: z.string().optional(),
      status: z.enum(['open', 'sold', 'unsold', 'interrupted', 'unconfirmed']).optional(),
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      limit: z.number().int().min(1).max(1000).default(200),
      cursor: z.string().nullable().optional(),
    }),
  ),
  'auctions.get': query<AuctionDetail>()(z.object({ id: entityId })),
  /** Inbound pings held in memory (`POST /v1/ping`) and those posted or expired in the last minutes. */
  'pings.inbound': query<InboundPingView[]>()(empty),
  'leads.search': query<LeadSummary[]>()(z.object({ query: z.string().min(1).max(200), limit: z.number().int().min(1).max(500).default(50) })),
  'leads.get': query<LeadDetail>()(z.object({ id: entityId })),
  /** Writes the lead's evidence bundle to the exports folder (reads the store only, like export.csv). */
  'leads.evidence': query<EvidenceExport>()(z.object({ id: entityId })),
  /** Settles an `unconfirmed` lead: the buyer kept it (`sold`), or nobody holds it (`released`). */
  'leads.settle': command<LeadSettlement>()(z.object({ leadId: entityId, outcome: z.enum(['sold', 'released']), buyerId: entityId.optional() })),
  'returns.list': query<ReturnView[]>()(z.object({ status: z.enum(['approved', 'pending', 'refused']).optional(), limit: z.number().int().min(1).max(5000).default(500) })),
  /** A return entered by the operator for the buyer that bought the lead, decided under that buyer's policy. */
  'returns.request': command<ReturnView>()(z.object({ leadId: entityId, reason: z.string().max(500).optional() })),
  /** Approves or refuses pending returns (bulk), with the operator's reason. */
  'returns.decide': command<ReturnDecisionResult>()(z.object({ leadIds: z.array(entityId).min(1).max(1000), decision: z.enum(['approved', 'refused']), reason: z.string().max(500).optional() })),
  'ledger.entries': query<LedgerEntryView[]>()(range),
  'ledger.balances': query<PartyBalanceView[]>()(range),
  'ledger.statement': query<StatementView>()(range.extend({ partyKind: z.enum(['buyer', 'source']), partyId: entityId })),
  'ledger.summary': query<RevenueSummary>()(range),
  /** Replays the campaign's recorded auctions in the window under the changed ping tree: before/after, per buyer and tier, with the unknowns. */
  'whatif.run': query<WhatIfResult>()(range.extend({ campaignId: entityId, changes: z.array(treeChangeSchema).min(1).max(50) })),
  /** Makes the changes through the normal configuration path, audited with the what-if replayed on the same window. */
  'whatif.apply': command<{ campaign: CampaignSpec; whatif: WhatIfResult }>()(range.extend({ campaignId: entityId, changes: z.array(treeChangeSchema).min(1).max(50) })),
  /** Per buyer and tier: bids below floor, how far below, and the revenue the floors turned away and gained. */
  'reports.priceRejects': query<PriceRejectReport>()(range.extend({ campaignId: entityId })),
  /** A manual money movement with a note: positive raises the party's balance, negative lowers it. */
  'ledger.adjust': command<LedgerEntryView>()(
    z.object({ partyKind: z.enum(['buyer', 'source']), partyId: entityId, amount: z.number().refine((n) => n !== 0 && Math.abs(n) <= 1_000_000), note: z.string().min(1).max(500), leadId: entityId.optional() }),
  ),
  'leads.erase': command<{ erased: true; leads: number; suppressed: number; exportsRemoved: number }>()(z.object({ id: entityId, suppress: z.boolean().optional() })),
  'campaigns.list': query<CampaignSpec[]>()(empty),
  'campaigns.save': command<CampaignSpec>()(z.object({ campaign: workspaceRecord<typeof campaignSchema>() })),
  'campaigns.delete': command<{ deleted: true }>()(z.object({ id: entityId })),
  'tiers.set': command<CampaignSpec>()(
    z.object({
      campaignId: entityId,
      tiers: z.array(z.object({ name: z.string().min(1).max(80), floor: z.number().min(0), buyers: z.array(entityId) })),
    }),
  ),
  'tiers.setFloor': command<CampaignSpec>()(z.object({ campaignId: entityId, tierIndex: z.number().int().min(0), floor: z.number().min(0).max(1_000_000) })),
  /** A campaign's A/B test of its ping tree: per-variant figures and significance tests (default: the running or latest test, from its start). */
  'ab.report': query<AbReport>()(z.object({ campaignId: entityId, test: z.string().min(1).max(80).optional(), from: z.number().int().nonnegative().optional(), to: z.number().int().nonnegative().optional() })),
  /** Starts an A/B test: `tiers` is variant B's tree (default: a copy of the campaign's), `splitPercent` the share of leads it gets. */
  'ab.start': command<CampaignSpec>()(
    z.object({ campaignId: entityId, name: z.string().min(1).max(80), splitPercent: z.number().int().min(1).max(99).default(50), tiers: z.array(workspaceRecord<typeof tierSchema>()).optional() }),
  ),
  /** Ends the running test, the campaign's own tiers unchanged; audited with the final report. */
  'ab.stop': command<AbReport>()(z.object({ campaignId: entityId })),
  /** The chosen variant's tiers become the campaign's and the test ends; audited with the report. */
  'ab.promote': command<AbPromoteResult>()(z.object({ campaignId: entityId, variant: z.enum(['A', 'B']) })),
  /** Dynamic floor settings of a tier (validated by the workspace schema); null removes them. */
  'tiers.setDynamicFloor': command<CampaignSpec>()(z.object({ campaignId: entityId, tierIndex: z.number().int().min(0), dynamicFloor: z.unknown().nullable() })),
  'floors.dynamic': query<DynamicFloorView[]>()(z.object({ campaignId: entityId })),
  'floors.changes': query<FloorChangeView[]>()(range.extend({ campaignId: entityId })),
  'leadValue.get': query<{ leadId: string; estimate: LeadValueView | null }>()(z.object({ leadId: entityId })),
  'leadValue.error': query<PredictionErrorReport>()(range.extend({ campaignId: entityId.optional() })),
  /** The newest configuration events of the trail; `reason: 'dynamicFloor'` keeps only dynamic floor changes. */
  'audit.configChanges': query<ConfigAuditView[]>()(z.object({ limit: z.number().int().min(1).max(500).default(50), reason: z.literal('dynamicFloor').optional() })),
  'sources.list': query<SourceView[]>()(empty),
  'sources.save': command<SourceView>()(z.object({ source: workspaceRecord<typeof sourceSchema>() })),
  'sources.delete': command<{ deleted: true }>()(z.object({ id: entityId })),
  'sources.createKey': command<CreatedKey>()(z.object({ sourceId: entityId })),
  'sources.revokeKey': command<{ revoked: true }>()(z.object({ keyId: entityId })),
  /** Rolling per-campaign buyer figures (rebuilt from the store at start); one campaign or all. */
  'signals.buyers': query<BuyerSignalsRow[]>()(z.object({ campaignId: entityId.optional() }).optional()),
  'signals.sources': query<SourceSignalsRow[]>()(z.object({ campaignId: entityId.optional() }).optional()),
  /** Tier placement: what each campaign's policy proposes now (campaigns not off), and recent moves. */
  'placement.proposals': query<{ proposals: PlacementProposalView[]; moves: PlacementMoveView[] }>()(z.object({ campaignId: entityId.optional() }).optional()),
  /** Applies the move the policy proposes now for one buyer; `conflict` when it proposes none. */
  'placement.apply': command<PlacementMoveView>()(z.object({ campaignId: entityId, buyerId: entityId })),
  /** Every problem a campaign, source or buyer would be refused for, without saving it (forms show them all at once). */
  'config.check': query<{ problems: ErrorDetail[] }>()(z.object({ kind: z.enum(['campaign', 'source', 'buyer']), spec: anyObject })),
  'buyers.list': query<BuyerView[]>()(empty),
  'buyers.save': command<BuyerView>()(z.object({ buyer: workspaceRecord<typeof buyerSchema>() })),
  'buyers.delete': command<{ deleted: true }>()(z.object({ id: entityId })),
  'buyers.setPaused': command<BuyerView>()(z.object({ id: entityId, paused: z.boolean() })),
  'buyers.setCaps': command<BuyerView>()(
    z.object({ id: entityId, caps: z.object({ hourly: z.number().int().min(0).optional(), daily: z.number().int().min(0).optional(), dailyBudget: z.number().min(0).optional() }) }),
  ),
  'buyers.createKey': command<CreatedKey>()(z.object({ buyerId: entityId })),
  'buyers.revokeKey': command<{ revoked: true }>()(z.object({ keyId: entityId })),
  // A command: it sends a real ping to the buyer, so a read-only (review) engine refuses it.
  'buyers.testPing': command<TestPingResult>()(z.object({ id: entityId, campaignId: entityId, fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() })),
  'suppression.list': query<{ rows: SuppressionView[]; total: number; listedNumbers?: number }>()(
    z.object({ query: z.string().max(200).optional(), limit: z.number().int().min(1).max(1000).default(100), offset: z.number().int().min(0).default(0) }),
  ),
  'suppression.add': command<{ added: number; refused: Array<{ value: string; reason: string }> }>()(z.object({ values: z.array(z.string().max(320)).min(1).max(10_000) })),
  'suppression.remove': command<{ removed: boolean }>()(z.object({ kind: z.enum(['phone', 'email']), hash: z.string().regex(/^[0-9a-f]{64}$/) })),
  'suppression.revoke': command<RevocationResult>()(
    z.object({ phone: z.string().max(40).optional(), email: z.string().max(320).optional(), capturedAt: z.number().int().nonnegative().optional(), reason: z.string().max(500).optional() }),
  ),
  'suppression.importCsv': command<SuppressionImportResult>()(z.object({ csv: z.string().max(20_000_000), jobId })),
  'workspace.export': query<Workspace>()(empty),
  'workspace.import': command<{ campaigns: number; sources: number; buyers: number }>()(z.object({ workspace: z.unknown() })),
  'audit.verify': query<VerifyResult>()(z.object({ jobId }).optional()),
  'audit.signing': query<AuditSigningView>()(empty),
  'audit.publicKey': query<PublicKeyExport>()(empty),
  /** Configuration changes that alter who is pinged or at what price (floors, tiers, buyers), from the audit trail. */
  'changes.list': query<ChangeList>()(range.extend({ campaignId: entityId.optional(), limit: z.number().int().min(1).max(500).optional() })),
  /** The latest change(s) in the range, each with the chosen window's figures before it and since. */
  'changes.impact': query<ChangeImpact[]>()(
    range.extend({ campaignId: entityId.optional(), windowMs: z.number().int().min(60_000).max(86_400_000 * 7), latest: z.number().int().min(1).max(5).optional() }),
  ),
  /** The files in the exports folder, newest first, and the folder's path. */
  'exports.list': query<{ dir: string; files: ExportFileView[] }>()(z.object({ limit: z.number().int().min(1).max(1000).default(200) }).optional().default({ limit: 200 })),
  'export.csv': query<ExportResult>()(z.object({ kind: z.enum(['leads', 'auctions', 'audit']), from: z.number().int().optional(), to: z.number().int().optional(), jobId })),
};

export type ConsoleMethods = typeof consoleMethods;
export type MethodName = keyof ConsoleMethods;
export type MethodArgs<K extends MethodName> = z.input<ConsoleMethods[K]['args']>;
export type MethodResult<K extends MethodName> = NonNullable<ConsoleMethods[K]['result']>;

/** The console's view of the engine: what both transports expose and the renderer calls. */
export type ConsoleApi = { [K in MethodName]: (args: MethodArgs<K>) => Promise<MethodResult<K>> };

// ---- events --------------------------------------------------------------------------------

export interface ConfigChange {
  kind: 'campaign' | 'source' | 'buyer' | 'tiers' | 'suppression' | 'workspace';
  id: string | null;
  actor: string;
  at: number;
}

export interface ConsoleEvents {
  /** Auction summaries, batched: a few batches a second at most, whatever the load. */
  'auctions.batch': AuctionSummary[];
  /** Headline figures over the last few minutes, about once a second. */
  'figures.tick': Overview;
  'config.changed': ConfigChange;
  'job.progress': { jobId: string; done: number; total: number | null };
  /** The storage became unavailable, or available again. */
  'health.changed': StorageHealth;
}

export type EventName = keyof ConsoleEvents;
export const consoleEventNames: EventName[] = ['auctions.batch', 'figures.tick', 'config.changed', 'job.progress', 'health.changed'];

export type { CapsSpec, TierSpec };

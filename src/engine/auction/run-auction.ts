import type { ConsentRecord, LeadFields, OutcomeCode } from '../../shared/domain.js';
import type { AuctionSummary } from '../../shared/console-api.js';
import { buildPingRequest } from '../deliver/build-ping.js';
import { maskFreeText } from '../compliance/mask-free-text.js';
import { buildPostRequest } from '../deliver/build-post.js';
import { toDollars, type Cents } from '../money.js';
import type { Dispatcher } from './dispatch.js';
import type { CircuitBreaker } from '../signals/circuit-breaker.js';
import type { BuyerSignals } from '../signals/stats.js';
import type { Store } from '../store/index.js';
import type { CapsLedger } from '../tree/caps-ledger.js';
import { selectEligible } from '../tree/eligibility.js';
import { buildPingFields } from '../tree/ping-fields.js';
import type { RuntimeBuyer, RuntimeCampaign, RuntimeConfig, RuntimeTier } from '../workspace/runtime.js';
import { effectiveFloor } from './floor.js';
import { computePayout } from './payout.js';
import { rankBids, type Bid } from './winner.js';

export interface AuctionDeps {
  store: Store;
  dispatcher: Dispatcher;
  caps: CapsLedger;
  breaker: CircuitBreaker;
  signals: BuyerSignals;
  now: () => number;
  newId: () => string;
  onCircuitOpened: (buyerId: string) => void;
  onFinished: (summary: AuctionSummary) => void;
  onBuyerOutcome?: (buyerId: string, kind: 'ping' | 'post', outcome: OutcomeCode, latencyMs: number | null) => void;
}

export interface AuctionInput {
  leadId: string;
  sourceId: string;
  campaign: RuntimeCampaign;
  config: RuntimeConfig;
  fields: LeadFields;
  consent: ConsentRecord;
  test: boolean;
  state: string | null;
}

export interface AuctionResult {
  auctionId: string;
  status: 'sold' | 'unsold';
  buyerId: string | null;
  priceCents: Cents | null;
  payoutCents: Cents | null;
}

const ACTOR = 'engine';
const FAILURES: ReadonlySet<OutcomeCode> = new Set(['TIMEOUT', 'LATE', 'UNREACHABLE', 'HTTP_ERROR', 'BAD_RESPONSE', 'POST_TIMEOUT', 'POST_ERROR']);

/**
 * One lead's auction: tiers in order; in each, ping the eligible buyers at once with ping fields
 * only, rank the valid bids, and post to one buyer at a time until one accepts. Caps are reserved
 * before a post so concurrent auctions cannot overrun them. Every step is stored and audited; the
 * caller awaits `store.flush()` before answering the source.
 */
export async function runAuction(deps: AuctionDeps, input: AuctionInput): Promise<AuctionResult> {
  const { store, now } = deps;
  const { campaign, leadId } = input;
  const auctionId = deps.newId();
  const startedAt = now();
  store.insertAuction({ id: auctionId, leadId, campaignId: campaign.id, sourceId: input.sourceId, startedAt, test: input.test, status: 'open' });
  store.updateLead(leadId, { status: 'auctioning' });
  try {
    return await sellThroughTiers(deps, input, auctionId, startedAt);
  } catch (err) {
    // An engine failure must not leave the lead in limbo until the next restart.
    const endedAt = now();
    store.updateAuction(auctionId, { status: 'interrupted', endedAt, latencyMs: endedAt - startedAt, reason: 'ENGINE_ERROR' });
    store.updateLead(leadId, { status: 'interrupted' });
    store.appendAudit({ leadId, type: 'interrupted', actor: ACTOR, data: { auctionId, reason: 'ENGINE_ERROR' } });
    throw err;
  }
}

async function sellThroughTiers(deps: AuctionDeps, input: AuctionInput, auctionId: string, startedAt: number): Promise<AuctionResult> {
  const { store, now } = deps;
  const { campaign, leadId } = input;
  const pingFields = buildPingFields(campaign, input.fields);
  const pingFieldsHash = store.leadHash(leadId, JSON.stringify(pingFields));
  let attempt = 0;
  let lastFloor: Cents | null = null;

  for (const tier of campaign.tiers) {
    const floor = effectiveFloor(campaign, tier);
    lastFloor = floor.floorCents;
    const bids = await pingTier(deps, input, tier, auctionId, floor.floorCents, floor.reason, pingFields, pingFieldsHash);
    const { ranked } = rankBids(bids, floor.floorCents);

    for (const bid of ranked) {
      const buyer = input.config.buyers.get(bid.buyerId);
      if (!buyer) continue;
      const reservation = input.test ? null : deps.caps.reserve(buyer, bid.priceCents);
      if (!input.test && !reservation) {
        store.appendAudit({ leadId, type: 'post', actor: ACTOR, data: { auctionId, buyerId: buyer.id, tier: tier.index, outcome: 'CAP_REACHED', price: toDollars(bid.priceCents) } });
        continue;
      }
      attempt += 1;
      store.appendAudit({ leadId, type: 'winner', actor: ACTOR, data: { auctionId, buyerId: buyer.id, tier: tier.index, price: toDollars(bid.priceCents), floor: toDollars(floor.floorCents), attempt } });
      let accepted = false;
      try {
        accepted = await postTo(deps, input, buyer, bid, auctionId, attempt);
      } finally {
        if (!accepted && reservation) deps.caps.release(reservation);
      }
      if (!accepted) continue;
      if (reservation) for (const usage of deps.caps.commit(reservation)) store.upsertCapUsage(usage);
      const { payoutCents, marginCents } = computePayout(campaign, bid.priceCents);
      const endedAt = now();
      store.updateAuction(auctionId, { status: 'sold', endedAt, tierReached: tier.index, winnerBuyerId: buyer.id, priceCents: bid.priceCents, payoutCents, marginCents, floorCents: floor.floorCents, latencyMs: endedAt - startedAt });
      store.updateLead(leadId, { status: 'sold', priceCents: bid.priceCents, payoutCents, buyerId: buyer.id });
      store.appendAudit({ leadId, type: 'sold', actor: ACTOR, data: { auctionId, buyerId: buyer.id, price: toDollars(bid.priceCents), payout: toDollars(payoutCents), margin: toDollars(marginCents), tier: tier.index } });
      deps.onFinished(summary(input, auctionId, startedAt, endedAt, 'sold', tier.index, buyer.id, bid.priceCents, payoutCents, marginCents, null));
      return { auctionId, status: 'sold', buyerId: buyer.id, priceCents: bid.priceCents, payoutCents };
    }
  }

  const endedAt = now();
  const reason = campaign.tiers.length === 0 ? 'NO_TIERS' : 'NO_VALID_BID';
  const lastTier = campaign.tiers.length ? campaign.tiers.length - 1 : null;
  store.updateAuction(auctionId, { status: 'unsold', endedAt, tierReached: lastTier, floorCents: lastFloor, latencyMs: endedAt - startedAt, reason });
  store.updateLead(leadId, { status: 'unsold' });
  store.appendAudit({ leadId, type: 'unsold', actor: ACTOR, data: { auctionId, reason } });
  deps.onFinished(summary(input, auctionId, startedAt, endedAt, 'unsold', lastTier, null, null, null, null, reason));
  return { auctionId, status: 'unsold', buyerId: null, priceCents: null, payoutCents: null };
}

async function pingTier(
  deps: AuctionDeps,
  input: AuctionInput,
  tier: RuntimeTier,
  auctionId: string,
  floorCents: Cents,
  floorReason: string,
  pingFields: LeadFields,
  pingFieldsHash: string,
): Promise<Bid[]> {
  const { store, now } = deps;
  const { leadId, campaign } = input;
  const { eligible, excluded } = selectEligible({
    campaign,
    tier,
    buyers: input.config.buyers,
    lead: { fields: input.fields, consent: input.consent },
    now: now(),
    caps: deps.caps,
    isPaused: (id) => input.config.buyers.get(id)?.spec.paused === true,
    isCircuitOpen: (id) => deps.breaker.isOpen(id),
  });
  store.appendAudit({
    leadId,
    type: 'eligible',
    actor: ACTOR,
    data: { auctionId, tier: tier.index, tierName: tier.name, floor: toDollars(floorCents), floorReason, eligible: eligible.map((b) => b.id), excluded },
  });

  const bids: Bid[] = [];
  const sentAt = now();
  const fixed = eligible.filter((b) => !b.spec.ping);
  for (const buyer of fixed) {
    const priceCents = buyer.fixedPriceCents ?? 0;
    const outcome: OutcomeCode = priceCents >= floorCents ? 'FIXED_PRICE' : 'BELOW_FLOOR';
    recordPing(deps, input, auctionId, tier.index, buyer.id, sentAt, 0, outcome, priceCents, floorCents, null, null, pingFieldsHash);
    if (outcome === 'FIXED_PRICE') bids.push({ buyerId: buyer.id, priceCents, priority: buyer.priority, latencyMs: 0 });
  }

  const pinged = eligible.filter((b) => b.spec.ping);
  if (pinged.length === 0) return bids;
  const deadlineAt = sentAt + campaign.pingTimeoutMs;
  const results = await deps.dispatcher.pingAll(
    pinged,
    (buyer) => buildPingRequest(buyer, { pingId: `${auctionId}.${buyer.id}`, campaign: campaign.id, vertical: campaign.spec.vertical, fields: pingFields, test: input.test }),
    deadlineAt,
  );
  for (const r of results) {
    const buyer = input.config.buyers.get(r.buyerId);
    let outcome: OutcomeCode = r.outcome;
    if (outcome === 'BID' && (r.bidCents ?? 0) < floorCents) outcome = 'BELOW_FLOOR';
    if (FAILURES.has(r.outcome)) {
      if (deps.breaker.recordFailure(r.buyerId) === 'opened') deps.onCircuitOpened(r.buyerId);
    } else deps.breaker.recordSuccess(r.buyerId);
    deps.signals.recordPing(r.buyerId, r.outcome, r.latencyMs, r.bidCents ?? null, sentAt);
    recordPing(deps, input, auctionId, tier.index, r.buyerId, sentAt, r.latencyMs, outcome, r.bidCents ?? null, floorCents, r.reason ?? null, r.httpStatus ?? null, pingFieldsHash);
    if (outcome === 'BID' && buyer) bids.push({ buyerId: r.buyerId, priceCents: r.bidCents as Cents, priority: buyer.priority, latencyMs: r.latencyMs, token: r.token ?? undefined });
  }
  return bids;
}

function recordPing(
  deps: AuctionDeps,
  input: AuctionInput,
  auctionId: string,
  tierIndex: number,
  buyerId: string,
  sentAt: number,
  latencyMs: number | null,
  outcome: OutcomeCode,
  bidCents: Cents | null,
  floorCents: Cents,
  reason: string | null,
  httpStatus: number | null,
  sentHash: string,
): void {
  reason = maskFreeText(reason, contactValues(input));
  deps.store.insertPing({ auctionId, leadId: input.leadId, buyerId, tierIndex, sentAt, latencyMs, outcome, bidCents, floorCents, reason, httpStatus });
  deps.store.appendAudit({
    leadId: input.leadId,
    type: 'ping',
    actor: ACTOR,
    data: { auctionId, buyerId, tier: tierIndex, outcome, bid: bidCents === null ? null : toDollars(bidCents), latencyMs, reason, sentHash },
  });
  deps.onBuyerOutcome?.(buyerId, 'ping', outcome, latencyMs);
}

async function postTo(deps: AuctionDeps, input: AuctionInput, buyer: RuntimeBuyer, bid: Bid, auctionId: string, attempt: number): Promise<boolean> {
  const { store, now } = deps;
  const request = buildPostRequest(buyer, {
    pingId: `${auctionId}.${buyer.id}`,
    token: bid.token ?? null,
    priceCents: bid.priceCents,
    lead: input.fields,
    consent: input.consent,
    test: input.test,
    leadId: input.leadId,
  });
  const sentAt = now();
  const timeoutMs = buyer.postTimeoutMs ?? input.campaign.postTimeoutMs;
  const sent = await deps.dispatcher.post(buyer, request, timeoutMs);
  const r = { ...sent, reason: maskFreeText(sent.reason, contactValues(input)), buyerRef: maskFreeText(sent.buyerRef, contactValues(input)) };
  const accepted = r.outcome === 'ACCEPTED';
  if (FAILURES.has(r.outcome)) {
    if (deps.breaker.recordFailure(buyer.id) === 'opened') deps.onCircuitOpened(buyer.id);
  } else deps.breaker.recordSuccess(buyer.id);
  deps.signals.recordPost(buyer.id, accepted, sentAt);
  store.insertPost({ auctionId, leadId: input.leadId, buyerId: buyer.id, attempt, sentAt, latencyMs: r.latencyMs, outcome: r.outcome, priceCents: bid.priceCents, reason: r.reason ?? null, buyerRef: r.buyerRef ?? null, httpStatus: r.httpStatus ?? null });
  store.appendAudit({
    leadId: input.leadId,
    type: 'post',
    actor: ACTOR,
    data: { auctionId, buyerId: buyer.id, attempt, outcome: r.outcome, price: toDollars(bid.priceCents), latencyMs: r.latencyMs, reason: r.reason ?? null, buyerRef: r.buyerRef ?? null, sentHash: store.leadHash(input.leadId, request.body) },
  });
  deps.onBuyerOutcome?.(buyer.id, 'post', r.outcome, r.latencyMs);
  return accepted;
}

/** What identifies the consumer in this lead: its contact fields, the consent IP and certificate. */
function contactValues(input: AuctionInput): unknown[] {
  const values: unknown[] = [...input.campaign.contactFields].map((f) => input.fields[f]);
  values.push(input.consent.ip, input.consent.trustedform_cert_url, input.consent.page_url, input.consent.user_agent, input.consent.leadid_token);
  return values;
}

function summary(
  input: AuctionInput,
  id: string,
  startedAt: number,
  endedAt: number,
  status: 'sold' | 'unsold',
  tierReached: number | null,
  winner: string | null,
  price: Cents | null,
  payout: Cents | null,
  margin: Cents | null,
  reason: string | null,
): AuctionSummary {
  return {
    id,
    leadId: input.leadId,
    campaignId: input.campaign.id,
    sourceId: input.sourceId,
    state: input.state,
    startedAt,
    status,
    tierReached,
    winnerBuyerId: winner,
    price: price === null ? null : toDollars(price),
    payout: payout === null ? null : toDollars(payout),
    margin: margin === null ? null : toDollars(margin),
    latencyMs: endedAt - startedAt,
    test: input.test,
    reason,
  };
}

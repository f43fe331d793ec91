import { bookSale } from '../ledger/book-sale.js';
import type { ConsentRecord, LeadFields, OutcomeCode } from '../../shared/domain.js';
import { buildPingRequest } from '../deliver/build-ping.js';
import { toDollars, type Cents } from '../money.js';
import type { Dispatcher } from './dispatch.js';
import type { CircuitBreaker } from '../signals/circuit-breaker.js';
import type { BuyerSignals } from '../signals/rolling-signals.js';
import type { Store } from '../store/index.js';
import type { ContactHashes } from '../store/fingerprint-index.js';
import type { AuctionRecord } from '../store/records.js';
import { STORAGE_UNAVAILABLE_REASON } from '../store/lead-release.js';
import { isStorageFault } from '../store/storage-fault.js';
import type { CapsLedger } from '../tree/caps-ledger.js';
import { selectEligible } from '../tree/eligibility.js';
import { buildPingFields } from '../tree/ping-fields.js';
import type { RuntimeCampaign, RuntimeConfig, RuntimeTier } from '../workspace/runtime.js';
import { effectiveFloor, type EffectiveFloor } from './floor.js';
import { tierRecordData } from './tier-record.js';
import { computePayout } from './payout.js';
import { payoutRuleFor } from './source-terms.js';
import { startRun, variantAuditData, type AuctionRun, type HeldPost } from './auction-run.js';
import { chooseVariant } from './choose-variant.js';
import { postTo } from './post-to-buyer.js';
import { postVerdict, type PostVerdict } from './post-verdict.js';
import { rankBids, type Bid } from './winner.js';
import { distributionOrder, RotationState } from './distribution.js';
import { paysPromise, replayHeld, type InboundPost } from './held-bids.js';
import { PingRound } from './ping-round.js';

export interface AuctionDeps {
  store: Store;
  dispatcher: Dispatcher;
  caps: CapsLedger;
  breaker: CircuitBreaker;
  signals: BuyerSignals;
  now: () => number;
  newId: () => string;
  onCircuitOpened: (buyerId: string) => void;
  /** Every auction's end, in cents; the console's dollars are made from it at the edge. */
  onFinished: (auction: FinishedAuction) => void;
  onBuyerOutcome?: (buyerId: string, kind: 'ping' | 'post', outcome: OutcomeCode, latencyMs: number | null) => void;
  /** How long a timed-out post keeps listening for a late acceptance (default 30 s). */
  lateGraceMs?: number;
  /** Round-robin tiers' rotation (see distribution.ts); absent: one shared by the process. */
  rotation?: RotationState;
  /** For weighted tiers, a number in [0, 1) (default Math.random). */
  random?: () => number;
}

/** One accepted post of a lead; a shared lead (campaign `maxSales` > 1) has several. */
interface Sale {
  buyerId: string;
  tierIndex: number;
  priceCents: Cents;
  floorCents: Cents;
}

/** How an auction ended, in cents, with the lead's state (what Live and the metrics count). */
export type FinishedAuction = AuctionRecord & { state: string | null; latencyMs: number };

const processRotation = new RotationState();

export interface AuctionInput {
  leadId: string;
  sourceId: string;
  campaign: RuntimeCampaign;
  config: RuntimeConfig;
  fields: LeadFields;
  consent: ConsentRecord;
  test: boolean;
  state: string | null;
  /** A post after an inbound ping: its held bids are posted (no re-ping) while they pay the promise. */
  inbound?: InboundPost;
}

export interface AuctionResult {
  auctionId: string;
  /** `unconfirmed`: a buyer may hold the lead (unknown post outcome); the operator settles it. */
  status: 'sold' | 'unsold' | 'unconfirmed';
  buyerId: string | null;
  priceCents: Cents | null;
  payoutCents: Cents | null;
  /** Why an unsold auction sold nothing. */
  reason?: string;
}

const ACTOR = 'engine';
const FAILURES: ReadonlySet<OutcomeCode> = new Set(['TIMEOUT', 'LATE', 'UNREACHABLE', 'HTTP_ERROR', 'BAD_RESPONSE', 'POST_TIMEOUT', 'POST_ERROR']);

/**
 * One lead's auction: tiers in order; in each, ping the eligible buyers at once with ping fields
 * only, rank the valid bids, and post to one buyer at a time. Only an explicit rejection moves on to
 * the next bid; an unknown outcome ends the lead `unconfirmed` unless the campaign opted in to fail
 * over (DESIGN.md §3). The whole auction ends by the campaign's `auctionTimeoutMs`, and at most
 * `maxPostAttempts` buyers receive the full record. Caps are reserved before a post so concurrent
 * auctions cannot overrun them. Every step is stored and audited; the caller awaits `store.flush()`
 * before answering the source.
 */
export async function runAuction(deps: AuctionDeps, input: AuctionInput): Promise<AuctionResult> {
  const { store, now } = deps;
  const { campaign, leadId } = input;
  const auctionId = deps.newId();
  const startedAt = now();
  // A post after an inbound ping replays bids held per tier of the campaign's own tree: it stays out of any A/B test.
  const variant = input.inbound ? chooseVariant({ tiers: campaign.tiers }, leadId) : chooseVariant(campaign, leadId);
  store.insertAuction({ id: auctionId, leadId, campaignId: campaign.id, sourceId: input.sourceId, startedAt, test: input.test, status: 'open', abTest: variant.test, abVariant: variant.test === null ? null : variant.variant });
  store.updateLead(leadId, { status: 'auctioning' });
  if (input.inbound) store.appendAudit({ leadId, type: 'inbound_ping', actor: ACTOR, data: { auctionId, pingId: input.inbound.pingId, promised: toDollars(input.inbound.promisedPayoutCents) } });
  const run = startRun(auctionId, startedAt, campaign.auctionTimeoutMs, variant);
  try {
    return await sellThroughTiers(deps, input, run);
  } catch (err) {
    // An engine failure must not leave the lead in limbo until the next restart. When the storage
    // failed before any buyer saw the record (the winner mark could not be committed), the lead is
    // released like one a crash interrupted: the source is refused (503) and its retry is auctioned.
    const endedAt = now();
    const released = isStorageFault(err) && run.postsSent === 0;
    const reason = released ? STORAGE_UNAVAILABLE_REASON : 'ENGINE_ERROR';
    store.updateAuction(auctionId, { status: 'interrupted', endedAt, latencyMs: endedAt - startedAt, reason });
    store.updateLead(leadId, { status: 'interrupted' });
    if (released) store.releaseLeadFingerprints(campaign.id, leadId, contactHashes(store, input.fields));
    store.appendAudit({ leadId, type: 'interrupted', actor: ACTOR, data: { auctionId, reason, ...(released ? { outcome: 'released' } : {}) } });
    throw err;
  }
}

async function sellThroughTiers(deps: AuctionDeps, input: AuctionInput, run: AuctionRun): Promise<AuctionResult> {
  const { store, now } = deps;
  const { campaign, leadId } = input;
  const { auctionId } = run;
  const pingFields = buildPingFields(campaign, input.fields);
  const pingFieldsHash = store.leadHash(leadId, JSON.stringify(pingFields));
  let lastFloor: Cents | null = null;
  let lastTier: number | null = null;
  let stopped: 'AUCTION_TIMEOUT' | 'MAX_POST_ATTEMPTS' | 'BELOW_PROMISE' | null = null;
  const sales: Sale[] = [];
  const maxSales = campaign.maxSales ?? 1;
  const rotation = deps.rotation ?? processRotation;
  const { tiers: tree, test: abTest, variant } = run.variant;
  // Round-robin turns are kept per tree, so variant B's tier 1 does not take variant A's turns.
  const rotationKey = abTest !== null && variant === 'B' ? `${campaign.id}#B` : campaign.id;

  tiers: for (const tier of tree) {
    if (now() >= run.deadlineAt) {
      stopped = 'AUCTION_TIMEOUT';
      break;
    }
    const floor = effectiveFloor(campaign, tier, input.config.sources.get(input.sourceId)?.payout);
    lastFloor = floor.floorCents;
    lastTier = tier.index;
    const bids = await pingTier(deps, input, run, { tier, floor, pingFields, pingFieldsHash });
    const { ranked } = rankBids(bids, floor.floorCents);
    const order = distributionOrder(ranked, tier, rotation.lastServed(rotationKey, tier.index), deps.random ?? Math.random);

    for (const bid of order) {
      const buyer = input.config.buyers.get(bid.buyerId);
      if (!buyer || sales.some((s) => s.buyerId === buyer.id)) continue;
      if (run.postsSent >= campaign.maxPostAttempts) {
        skipPost(deps, input, run, { buyerId: buyer.id, tierIndex: tier.index, priceCents: bid.priceCents, outcome: 'MAX_POST_ATTEMPTS', reason: `${campaign.maxPostAttempts} buyers already received this lead` });
        stopped = 'MAX_POST_ATTEMPTS';
        break tiers;
      }
      if (input.inbound && !paysPromise(campaign, bid.priceCents, input.inbound.promisedPayoutCents)) {
        skipPost(deps, input, run, { buyerId: buyer.id, tierIndex: tier.index, priceCents: bid.priceCents, outcome: 'BELOW_PROMISE', reason: 'the bid no longer pays the price promised to the source plus the margin' });
        stopped = 'BELOW_PROMISE';
        break tiers;
      }
      const timeoutMs = buyer.postTimeoutMs ?? campaign.postTimeoutMs;
      const leftMs = run.deadlineAt - now();
      if (leftMs < timeoutMs) {
        // A post that could outlast the auction would leave the source waiting: it never starts.
        skipPost(deps, input, run, { buyerId: buyer.id, tierIndex: tier.index, priceCents: bid.priceCents, outcome: 'AUCTION_TIMEOUT', reason: `${Math.max(0, leftMs)} ms left, the post may take ${timeoutMs} ms` });
        stopped = 'AUCTION_TIMEOUT';
        continue;
      }
      const reservation = input.test ? null : deps.caps.reserve(buyer, bid.priceCents);
      if (!input.test && !reservation) {
        store.appendAudit({ leadId, type: 'post', actor: ACTOR, data: { auctionId, buyerId: buyer.id, tier: tier.index, outcome: 'CAP_REACHED', price: toDollars(bid.priceCents) } });
        continue;
      }
      run.attempt += 1;
      const attempt = run.attempt;
      store.appendAudit({ leadId, type: 'winner', actor: ACTOR, data: { auctionId, buyerId: buyer.id, tier: tier.index, price: toDollars(bid.priceCents), floor: toDollars(floor.floorCents), attempt } });
      let verdict: PostVerdict = 'unknown';
      try {
        // The winner event is the durable mark that this buyer may see the record: after a crash,
        // a lead with a committed winner event and no final status is unconfirmed, not lost.
        await store.flush();
        run.postsSent += 1;
        const sentAt = now();
        // The commit's few ms come off this post's time, so the auction still ends by its deadline.
        const result = await postTo(deps, input, run, buyer, bid, attempt, Math.max(1, Math.min(timeoutMs, run.deadlineAt - sentAt)));
        verdict = postVerdict(result.outcome);
        if (verdict === 'unknown') run.held ??= { buyerId: buyer.id, tierIndex: tier.index, attempt, priceCents: bid.priceCents, floorCents: floor.floorCents, outcome: result.outcome, sentAt };
      } finally {
        if (verdict !== 'accepted' && reservation) deps.caps.release(reservation);
      }
      if (verdict === 'accepted') {
        if (reservation) for (const usage of deps.caps.commit(reservation)) store.upsertCapUsage(usage);
        if (tier.distribution === 'round_robin') rotation.served(rotationKey, tier.index, buyer.id);
        sales.push({ buyerId: buyer.id, tierIndex: tier.index, priceCents: bid.priceCents, floorCents: floor.floorCents });
        if (sales.length >= maxSales) return endSold(deps, input, run, sales);
        continue;
      }
      if (verdict === 'unknown' && !campaign.failOverOnUnknownPost) break tiers;
    }
  }

  if (sales.length > 0) return endSold(deps, input, run, sales);
  if (run.held) return endUnconfirmed(deps, input, run, run.held);
  const endedAt = now();
  const reason = stopped ?? (tree.length === 0 ? 'NO_TIERS' : 'NO_VALID_BID');
  store.updateAuction(auctionId, { status: 'unsold', endedAt, tierReached: lastTier, floorCents: lastFloor, latencyMs: endedAt - run.startedAt, reason });
  store.updateLead(leadId, { status: 'unsold' });
  store.appendAudit({ leadId, type: 'unsold', actor: ACTOR, data: { auctionId, reason, ...variantAuditData(run) } });
  deps.onFinished(summary(input, { auctionId, startedAt: run.startedAt, endedAt, status: 'unsold', tierReached: lastTier, winnerBuyerId: null, priceCents: null, payoutCents: null, marginCents: null, reason }));
  return { auctionId, status: 'unsold', buyerId: null, priceCents: null, payoutCents: null, reason };
}

/** The lead is sold: to one buyer, or to each buyer of a shared lead (the lead's price and payout are the sums). */
function endSold(deps: AuctionDeps, input: AuctionInput, run: AuctionRun, sold: readonly Sale[]): AuctionResult {
  const { store, now } = deps;
  const { leadId } = input;
  const first = sold[0] as Sale;
  const { buyerId, floorCents } = first;
  const tierIndex = sold[sold.length - 1]?.tierIndex ?? first.tierIndex;
  run.soldTo = buyerId;
  const payoutRule = { payout: payoutRuleFor(input.campaign, input.config, input.sourceId) };
  const each = sold.map((s) => ({ ...s, ...computePayout(payoutRule, s.priceCents) }));
  const priceCents = each.reduce((sum, s) => sum + s.priceCents, 0);
  // An inbound post pays the source exactly what its ping promised.
  const payoutCents = input.inbound ? input.inbound.promisedPayoutCents : each.reduce((sum, s) => sum + s.payoutCents, 0);
  const marginCents = priceCents - payoutCents;
  const salesData = each.length > 1 ? { sales: each.map((s) => ({ buyerId: s.buyerId, tier: s.tierIndex, price: toDollars(s.priceCents), payout: toDollars(s.payoutCents) })) } : {};
  const endedAt = now();
  // With fail-over on unknown outcomes, an earlier buyer may hold the lead too: say so.
  const mayAlsoHold = [...new Set([run.held?.buyerId, ...run.lateAccepted].filter((b): b is string => Boolean(b) && !sold.some((s) => s.buyerId === b)))];
  store.updateAuction(run.auctionId, { status: 'sold', endedAt, tierReached: tierIndex, winnerBuyerId: buyerId, priceCents, payoutCents, marginCents, floorCents, latencyMs: endedAt - run.startedAt });
  store.updateLead(leadId, { status: 'sold', priceCents, payoutCents, buyerId });
  // Each buyer of a shared lead owes its own price; the source's payout (one entry per lead) is the total, booked with the first sale.
  each.forEach((sale, i) => {
    const salePayout = i === 0 ? payoutCents : 0;
    bookSale(store, { leadId, auctionId: run.auctionId, buyerId: sale.buyerId, sourceId: input.sourceId, priceCents: sale.priceCents, payoutCents: salePayout, test: input.test, at: endedAt, actor: ACTOR });
  });
  store.appendAudit({
    leadId,
    type: 'sold',
    actor: ACTOR,
    data: { auctionId: run.auctionId, buyerId, price: toDollars(priceCents), payout: toDollars(payoutCents), margin: toDollars(marginCents), tier: tierIndex, ...salesData, ...(mayAlsoHold.length ? { mayAlsoHold } : {}), ...variantAuditData(run) },
  });
  deps.onFinished(summary(input, { auctionId: run.auctionId, startedAt: run.startedAt, endedAt, status: 'sold', tierReached: tierIndex, winnerBuyerId: buyerId, priceCents, payoutCents, marginCents, reason: null }));
  return { auctionId: run.auctionId, status: 'sold', buyerId, priceCents, payoutCents };
}

/** A buyer may hold the lead and nobody knows: nobody else gets it, the operator settles it. */
function endUnconfirmed(deps: AuctionDeps, input: AuctionInput, run: AuctionRun, held: HeldPost): AuctionResult {
  const { store, now } = deps;
  const endedAt = now();
  store.updateAuction(run.auctionId, {
    status: 'unconfirmed', endedAt, tierReached: held.tierIndex, winnerBuyerId: held.buyerId, priceCents: held.priceCents, floorCents: held.floorCents,
    latencyMs: endedAt - run.startedAt, reason: held.outcome,
  });
  store.updateLead(input.leadId, { status: 'unconfirmed' });
  store.appendAudit({
    leadId: input.leadId,
    type: 'unconfirmed',
    actor: ACTOR,
    data: { auctionId: run.auctionId, buyerId: held.buyerId, attempt: held.attempt, outcome: held.outcome, price: toDollars(held.priceCents), tier: held.tierIndex, postedAt: held.sentAt, ...variantAuditData(run) },
  });
  deps.onFinished(
    summary(input, { auctionId: run.auctionId, startedAt: run.startedAt, endedAt, status: 'unconfirmed', tierReached: held.tierIndex, winnerBuyerId: held.buyerId, priceCents: held.priceCents, payoutCents: null, marginCents: null, reason: held.outcome }),
  );
  return { auctionId: run.auctionId, status: 'unconfirmed', buyerId: held.buyerId, priceCents: held.priceCents, payoutCents: null };
}

/** A bid that gets no post, with the coded reason why (AUCTION_TIMEOUT, MAX_POST_ATTEMPTS). */
function skipPost(deps: AuctionDeps, input: AuctionInput, run: AuctionRun, skipped: { buyerId: string; tierIndex: number; priceCents: Cents; outcome: OutcomeCode; reason: string }): void {
  const { buyerId, tierIndex, priceCents, outcome, reason } = skipped;
  deps.store.appendAudit({ leadId: input.leadId, type: 'post', actor: ACTOR, data: { auctionId: run.auctionId, buyerId, tier: tierIndex, outcome, price: toDollars(priceCents), reason } });
  deps.onBuyerOutcome?.(buyerId, 'post', outcome, null);
}

/** One tier's pings: the tier, its effective floor, and the ping fields every buyer of the lead receives. */
interface TierPing {
  tier: RuntimeTier;
  floor: EffectiveFloor;
  pingFields: LeadFields;
  /** The hash of the ping fields, recorded with each round: proof of what was sent, without the values. */
  pingFieldsHash: string;
}

async function pingTier(deps: AuctionDeps, input: AuctionInput, run: AuctionRun, { tier, floor, pingFields, pingFieldsHash }: TierPing): Promise<Bid[]> {
  const { floorCents } = floor;
  const { store, now } = deps;
  const { leadId, campaign } = input;
  const { auctionId } = run;
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
    data: { auctionId, tier: tier.index, tierName: tier.name, floor: toDollars(floorCents), floorReason: floor.reason, eligible: eligible.map((b) => b.id), excluded,
      ...tierRecordData(floor.parts, input.config.buyers, [...eligible.map((b) => b.id), ...excluded.map((x) => x.buyerId)]) },
  });

  const bids: Bid[] = [];
  const held = input.inbound ? replayHeld(input.inbound, tier.index, new Set(eligible.map((b) => b.id))) : null;
  const sentAt = held ? held.sentAt : now();
  const round = new PingRound(deps, input, { auctionId, tierIndex: tier.index, sentAt, floorCents, sentHash: pingFieldsHash });
  const fixed = eligible.filter((b) => !b.spec.ping);
  for (const buyer of fixed) {
    const priceCents = buyer.fixedPriceCents ?? 0;
    const outcome: OutcomeCode = priceCents >= floorCents ? 'FIXED_PRICE' : 'BELOW_FLOOR';
    round.record({ buyerId: buyer.id, latencyMs: 0, outcome, bidCents: priceCents, reason: null, httpStatus: null });
    if (outcome === 'FIXED_PRICE') bids.push({ buyerId: buyer.id, priceCents, priority: buyer.priority, latencyMs: 0, adjustmentPercent: buyer.bidAdjustmentPercent });
  }

  const pinged = eligible.filter((b) => b.spec.ping);
  if (pinged.length === 0) {
    round.audit();
    return bids;
  }
  // A later tier gets what is left of the auction, never more than its ping timeout.
  const deadlineAt = Math.min(sentAt + campaign.pingTimeoutMs, run.deadlineAt);
  const results = held ? held.results : await deps.dispatcher.pingAll(
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
    deps.signals.recordPing({ buyerId: r.buyerId, campaignId: campaign.id, outcome: r.outcome, latencyMs: r.latencyMs, bidCents: r.bidCents ?? null, at: sentAt });
    round.record({ buyerId: r.buyerId, latencyMs: r.latencyMs, outcome, bidCents: r.bidCents ?? null, reason: r.reason ?? null, httpStatus: r.httpStatus ?? null });
    if (outcome === 'BID' && buyer) bids.push({ buyerId: r.buyerId, priceCents: r.bidCents as Cents, priority: buyer.priority, latencyMs: r.latencyMs, token: r.token ?? undefined, adjustmentPercent: buyer.bidAdjustmentPercent });
  }
  round.audit();
  return bids;
}

/** How an auction ended, in cents. */
interface AuctionEnd {
  auctionId: string;
  startedAt: number;
  endedAt: number;
  status: 'sold' | 'unsold' | 'unconfirmed';
  tierReached: number | null;
  winnerBuyerId: string | null;
  priceCents: Cents | null;
  payoutCents: Cents | null;
  marginCents: Cents | null;
  reason: string | null;
}

function summary(input: AuctionInput, end: AuctionEnd): FinishedAuction {
  return {
    id: end.auctionId,
    leadId: input.leadId,
    campaignId: input.campaign.id,
    sourceId: input.sourceId,
    state: input.state,
    startedAt: end.startedAt,
    status: end.status,
    tierReached: end.tierReached,
    winnerBuyerId: end.winnerBuyerId,
    priceCents: end.priceCents,
    payoutCents: end.payoutCents,
    marginCents: end.marginCents,
    latencyMs: end.endedAt - end.startedAt,
    test: input.test,
    reason: end.reason,
  };
}

/** The salted fingerprints of the lead's phone and email, as intake stored them for the duplicate check. */
function contactHashes(store: Store, fields: LeadFields): ContactHashes {
  const { phone, email } = fields;
  return {
    phone: typeof phone === 'string' ? store.hashContact(phone) : undefined,
    email: typeof email === 'string' ? store.hashContact(email) : undefined,
  };
}

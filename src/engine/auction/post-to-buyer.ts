import { contactMask, type ContactMask } from '../compliance/mask-contact.js';
import { maskFreeText } from '../compliance/mask-free-text.js';
import { buildPostRequest } from '../deliver/build-post.js';
import type { PostResult } from '../deliver/outcomes.js';
import { toDollars } from '../money.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import type { AuctionRun } from './auction-run.js';
import type { AuctionDeps, AuctionInput } from './run-auction.js';
import type { Bid } from './winner.js';

const ACTOR = 'engine';
const FAILURES = new Set(['POST_TIMEOUT', 'POST_ERROR']);
/** How long a timed-out post keeps listening for a late answer. */
export const DEFAULT_LATE_GRACE_MS = 30_000;

/**
 * Sends the full record to one buyer and records the outcome (posts row, audit event, signals,
 * circuit). A post that times out keeps listening for a while: a late acceptance is recorded with
 * `recordLateAccept`, never ignored, though the auction has moved on.
 */
export async function postTo(deps: AuctionDeps, input: AuctionInput, run: AuctionRun, buyer: RuntimeBuyer, bid: Bid, attempt: number, timeoutMs: number): Promise<PostResult> {
  const { store, now } = deps;
  const request = buildPostRequest(buyer, {
    pingId: `${input.inbound?.pingId ?? run.auctionId}.${buyer.id}`,
    token: bid.token ?? null,
    priceCents: bid.priceCents,
    lead: input.fields,
    consent: input.consent,
    test: input.test,
    leadId: input.leadId,
  });
  const sentAt = now();
  const sent = await deps.dispatcher.post(buyer, request, timeoutMs, {
    lateGraceMs: deps.lateGraceMs ?? DEFAULT_LATE_GRACE_MS,
    onLate: (late) => recordLateAccept(deps, input, run, { buyerId: buyer.id, attempt, priceCents: bid.priceCents, sentAt }, late),
  });
  const mask = contactMaskOf(input);
  const r = { ...sent, reason: maskFreeText(sent.reason, mask), buyerRef: maskFreeText(sent.buyerRef, mask) };
  const accepted = r.outcome === 'ACCEPTED';
  if (FAILURES.has(r.outcome)) {
    if (deps.breaker.recordFailure(buyer.id) === 'opened') deps.onCircuitOpened(buyer.id);
  } else deps.breaker.recordSuccess(buyer.id);
  deps.signals.recordPost(buyer.id, input.campaign.id, accepted, sentAt);
  store.insertPost({ auctionId: run.auctionId, leadId: input.leadId, buyerId: buyer.id, attempt, sentAt, latencyMs: r.latencyMs, outcome: r.outcome, priceCents: bid.priceCents, reason: r.reason ?? null, buyerRef: r.buyerRef ?? null, httpStatus: r.httpStatus ?? null });
  store.appendAudit({
    leadId: input.leadId,
    type: 'post',
    actor: ACTOR,
    data: { auctionId: run.auctionId, buyerId: buyer.id, attempt, outcome: r.outcome, price: toDollars(bid.priceCents), latencyMs: r.latencyMs, reason: r.reason ?? null, buyerRef: r.buyerRef ?? null, sentHash: store.leadHash(input.leadId, request.body) },
  });
  deps.onBuyerOutcome?.(buyer.id, 'post', r.outcome, r.latencyMs);
  return r;
}

interface LatePost {
  buyerId: string;
  attempt: number;
  priceCents: number;
  sentAt: number;
}

/**
 * A buyer accepted after its post timed out. The source's answer stands; the acceptance is recorded
 * (a LATE_ACCEPTED posts row, a `late_accept` event), counted against the buyer, and flagged when
 * another buyer of the same auction accepted too: then two buyers hold the lead.
 */
export function recordLateAccept(deps: AuctionDeps, input: AuctionInput, run: AuctionRun, post: LatePost, late: PostResult): void {
  if (late.outcome !== 'ACCEPTED') return;
  const alsoSoldTo = run.soldTo && run.soldTo !== post.buyerId ? run.soldTo : null;
  run.lateAccepted.push(post.buyerId);
  const buyerRef = maskFreeText(late.buyerRef, contactMaskOf(input));
  try {
    deps.store.insertPost({
      auctionId: run.auctionId, leadId: input.leadId, buyerId: post.buyerId, attempt: post.attempt, sentAt: post.sentAt, latencyMs: late.latencyMs,
      outcome: 'LATE_ACCEPTED', priceCents: post.priceCents, reason: alsoSoldTo ? `also sold to ${alsoSoldTo}` : 'accepted after the post timeout', buyerRef, httpStatus: late.httpStatus,
    });
    deps.store.appendAudit({
      leadId: input.leadId,
      type: 'late_accept',
      actor: ACTOR,
      data: { auctionId: run.auctionId, buyerId: post.buyerId, attempt: post.attempt, price: toDollars(post.priceCents), latencyMs: late.latencyMs, buyerRef, alsoSoldTo },
    });
  } catch {
    // The store closed while the answer came in (engine shutting down): nothing more can be kept.
    return;
  }
  // Counted at the post's own time, as the rebuild from the posts table counts it.
  deps.signals.recordLateAccept(post.buyerId, input.campaign.id, post.sentAt);
  deps.onBuyerOutcome?.(post.buyerId, 'post', 'LATE_ACCEPTED', late.latencyMs);
}

const masks = new WeakMap<AuctionInput, ContactMask>();

/**
 * The mask of this lead's contact values for text from outside (buyers' reasons and references),
 * prepared once per lead and shared by its ping rounds, posts and late answers.
 */
export function contactMaskOf(input: AuctionInput): ContactMask {
  let mask = masks.get(input);
  if (!mask) {
    mask = contactMask(contactValues(input));
    masks.set(input, mask);
  }
  return mask;
}

/** What identifies the consumer in this lead: its contact fields and the consent's personal references. */
function contactValues(input: AuctionInput): unknown[] {
  const values: unknown[] = [...input.campaign.contactFields].map((f) => input.fields[f]);
  values.push(input.consent.ip, input.consent.trustedform_cert_url, input.consent.page_url, input.consent.user_agent, input.consent.leadid_token);
  return values;
}

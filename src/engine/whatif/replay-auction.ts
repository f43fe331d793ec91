import type { OutcomeCode } from '../../shared/domain.js';
import { effectiveFloor } from '../auction/floor.js';
import { computePayout } from '../auction/payout.js';
import { postVerdict, type PostVerdict } from '../auction/post-verdict.js';
import { payoutRuleFor } from '../auction/source-terms.js';
import { rankBids, type Bid } from '../auction/winner.js';
import type { Cents } from '../money.js';
import type { RecordedAuction, RecordedPing } from '../store/index.js';
import type { RuntimeCampaign, RuntimeConfig } from '../workspace/runtime.js';

export interface ReplaySale {
  buyerId: string;
  tierIndex: number;
  tierName: string;
  priceCents: Cents;
  payoutCents: Cents;
}

/** One recorded auction run again on its recorded bids under a (possibly changed) ping tree. */
export interface ReplayOutcome {
  status: 'sold' | 'unsold' | 'unconfirmed';
  sales: ReplaySale[];
  priceCents: Cents;
  payoutCents: Cents;
  /** Buyers the replay would ping that the original auction never pinged: no bid to replay, counted as none. */
  unpinged: string[];
  /** A sale to a buyer the original auction never posted to: its post outcome is unknown, assumed accepted. */
  assumedAccepted: boolean;
  /** A weighted or round-robin tier chose among two or more valid bids: replayed in price order. */
  priceOrderAssumed: boolean;
}

/** Outcomes whose recorded amount is a bid the floor may take or refuse; every other answer was no bid. */
const PRICED: ReadonlySet<OutcomeCode> = new Set(['BID', 'BELOW_FLOOR', 'FIXED_PRICE']);

/**
 * Checks that left a buyer out for reasons of the lead or the moment (its state, zip, fields, schedule,
 * the consent, its caps, its circuit): true again in a replay of the same lead at the same moment. A
 * buyer left out as paused or inactive, or not considered at all, is a state of the tree a change may
 * undo: the replay has no bid for it and says so.
 */
const LEFT_OUT_AGAIN: ReadonlySet<OutcomeCode> = new Set([
  'FILTERED_STATE', 'FILTERED_ZIP', 'FILTERED_FIELD', 'FILTERED_CAMPAIGN', 'OUT_OF_SCHEDULE', 'CONSENT_NOT_NAMED', 'CAP_REACHED', 'BUDGET_REACHED', 'CIRCUIT_OPEN',
]);

/**
 * The live auction's rules (auction/run-auction.ts) over recorded answers, with no I/O: tiers in
 * order; in each, the tree's active, unpaused buyers with the bids they gave; the effective floor
 * (floor.ts, with the source's terms) and the ranking (winner.ts) decide who gets the post, at most
 * `maxPostAttempts` posts and `maxSales` sales; a recorded explicit rejection moves on, a recorded
 * unknown outcome holds the lead (unless the campaign fails over). What the record cannot say is
 * flagged, never guessed silently: a buyer with no recorded ping bids nothing, and counts as unknown
 * unless the original auction left it out for a reason that holds again (LEFT_OUT_AGAIN); a buyer
 * never posted to is assumed to accept. Caps and budgets, timing and the promise of an inbound ping are not replayed.
 */
export function replayAuction(auction: RecordedAuction, campaign: RuntimeCampaign, config: RuntimeConfig): ReplayOutcome {
  const leftOutAgain = new Set(auction.excluded.filter((x) => LEFT_OUT_AGAIN.has(x.code)).map((x) => x.buyerId));
  const pingOf = new Map<string, RecordedPing>();
  for (const p of auction.pings) if (!pingOf.has(p.buyerId)) pingOf.set(p.buyerId, p);
  const verdictOf = postVerdicts(auction);
  const sourcePayout = config.sources.get(auction.sourceId)?.payout;
  const payoutRule = { payout: payoutRuleFor(campaign, config, auction.sourceId) };
  const maxSales = campaign.maxSales ?? 1;
  const out: ReplayOutcome = { status: 'unsold', sales: [], priceCents: 0, payoutCents: 0, unpinged: [], assumedAccepted: false, priceOrderAssumed: false };
  let posts = 0;
  let held = false;

  tiers: for (const tier of campaign.tiers) {
    const floor = effectiveFloor(campaign, tier, sourcePayout);
    const bids: Bid[] = [];
    for (const buyerId of tier.buyerIds) {
      const buyer = config.buyers.get(buyerId);
      if (!buyer || !buyer.active || buyer.spec.paused === true) continue;
      const ping = pingOf.get(buyerId);
      if (!ping) {
        if (!leftOutAgain.has(buyerId)) out.unpinged.push(buyerId);
        continue;
      }
      if (!PRICED.has(ping.outcome) || ping.bidCents === null) continue;
      bids.push({ buyerId, priceCents: ping.bidCents, priority: buyer.priority, latencyMs: ping.latencyMs ?? 0, adjustmentPercent: buyer.bidAdjustmentPercent });
    }
    const { ranked } = rankBids(bids, floor.floorCents);
    if (ranked.length > 1 && tier.distribution !== undefined && tier.distribution !== 'price') out.priceOrderAssumed = true;

    for (const bid of ranked) {
      if (out.sales.some((s) => s.buyerId === bid.buyerId)) continue;
      if (posts >= campaign.maxPostAttempts) break tiers;
      posts += 1;
      let verdict = verdictOf.get(bid.buyerId);
      if (verdict === undefined) {
        out.assumedAccepted = true;
        verdict = 'accepted';
      }
      if (verdict === 'accepted') {
        const { payoutCents } = computePayout(payoutRule, bid.priceCents);
        out.sales.push({ buyerId: bid.buyerId, tierIndex: tier.index, tierName: tier.name, priceCents: bid.priceCents, payoutCents });
        if (out.sales.length >= maxSales) break tiers;
        continue;
      }
      if (verdict === 'unknown') {
        held = true;
        if (!campaign.failOverOnUnknownPost) break tiers;
      }
    }
  }

  out.priceCents = out.sales.reduce((sum, s) => sum + s.priceCents, 0);
  out.payoutCents = out.sales.reduce((sum, s) => sum + s.payoutCents, 0);
  out.status = out.sales.length > 0 ? 'sold' : held ? 'unconfirmed' : 'unsold';
  return out;
}

/**
 * Each buyer's answer to the full record, as the live auction read it when the post ended: a late
 * acceptance or an operator's settlement came after the auction had already decided, so they do not
 * change what the rules did with the post.
 */
function postVerdicts(auction: RecordedAuction): Map<string, PostVerdict> {
  const verdicts = new Map<string, PostVerdict>();
  for (const post of auction.posts) {
    if (post.outcome === 'LATE_ACCEPTED' || post.outcome === 'SETTLED_SOLD') continue;
    if (!verdicts.has(post.buyerId)) verdicts.set(post.buyerId, postVerdict(post.outcome));
  }
  return verdicts;
}

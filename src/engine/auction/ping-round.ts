import type { OutcomeCode } from '../../shared/domain.js';
import type { PingOutcome, PingRoundData } from '../../shared/ping-round.js';
import { maskFreeText } from '../compliance/mask-free-text.js';
import { toDollars, type Cents } from '../money.js';
import { contactMaskOf } from './post-to-buyer.js';
import type { AuctionDeps, AuctionInput } from './run-auction.js';

/** What every buyer of one tier round shares: the auction, the tier, when and what was sent, the floor. */
export interface RoundContext {
  auctionId: string;
  tierIndex: number;
  sentAt: number;
  floorCents: Cents;
  /** The hash of the ping fields sent: every buyer of the round received the same fields. */
  sentHash: string;
}

/** One buyer's answer in the round (a fixed-price buyer's is its price, without a request). */
export interface BuyerPing {
  buyerId: string;
  latencyMs: number | null;
  outcome: OutcomeCode;
  bidCents: Cents | null;
  /** The buyer's own words, masked against the lead's contact values before they are kept. */
  reason: string | null;
  httpStatus: number | null;
}

/**
 * One tier's ping round as stored and audited. Each buyer's outcome is a `pings` row and a per-buyer
 * notice (`onBuyerOutcome`) as it is recorded; the audit trail gets ONE `ping` event for the whole
 * round, naming every buyer with its outcome and the `sentHash` of the fields they received
 * (`PingRoundData`). The event is written by `audit()`, once the round's outcomes are all in, and
 * only if the round recorded any: a tier with no eligible buyer pings nobody and says so in its
 * `eligible` event alone.
 */
export class PingRound {
  private readonly pings: PingOutcome[] = [];

  constructor(
    private readonly deps: AuctionDeps,
    private readonly input: AuctionInput,
    private readonly context: RoundContext,
  ) {}

  record(ping: BuyerPing): void {
    const { auctionId, tierIndex, sentAt, floorCents } = this.context;
    const { buyerId, latencyMs, outcome, bidCents, httpStatus } = ping;
    const reason = ping.reason === null ? null : maskFreeText(ping.reason, contactMaskOf(this.input));
    this.deps.store.insertPing({ auctionId, leadId: this.input.leadId, buyerId, tierIndex, sentAt, latencyMs, outcome, bidCents, floorCents, reason, httpStatus });
    this.pings.push({ buyerId, outcome, bid: bidCents === null ? null : toDollars(bidCents), latencyMs, reason });
    this.deps.onBuyerOutcome?.(buyerId, 'ping', outcome, latencyMs);
  }

  /** Appends the round's one `ping` event; called once, after the last outcome. */
  audit(): void {
    if (this.pings.length === 0) return;
    const { auctionId, tierIndex, sentHash } = this.context;
    this.deps.store.appendAudit({ leadId: this.input.leadId, type: 'ping', actor: 'engine', data: { auctionId, tier: tierIndex, sentHash, pings: this.pings } satisfies PingRoundData });
  }
}

import type { OutcomeCode } from '../../shared/domain.js';
import type { Cents } from '../money.js';
import type { VariantChoice } from './choose-variant.js';

/** A post whose outcome is unknown: that buyer may hold the lead. */
export interface HeldPost {
  buyerId: string;
  tierIndex: number;
  attempt: number;
  priceCents: Cents;
  floorCents: Cents;
  outcome: OutcomeCode;
  sentAt: number;
}

/**
 * The running state of one auction. Invariants: `postsSent` never exceeds the campaign's
 * `maxPostAttempts`, and no post starts unless it can end by `deadlineAt`.
 */
export interface AuctionRun {
  auctionId: string;
  startedAt: number;
  /** startedAt + the campaign's auctionTimeoutMs. */
  deadlineAt: number;
  /** Winner events written (each one a post about to go out). */
  attempt: number;
  /** Buyers that received the full record. */
  postsSent: number;
  /** The first post with an unknown outcome, if any. */
  held: HeldPost | null;
  /** The buyer that accepted in time, once one did. */
  soldTo: string | null;
  /** Buyers that accepted after their post timed out. */
  lateAccepted: string[];
  /** The tree this auction runs on: the campaign's own, or an A/B test's variant (see choose-variant.ts). */
  variant: VariantChoice;
}

export function startRun(auctionId: string, startedAt: number, auctionTimeoutMs: number, variant: VariantChoice): AuctionRun {
  return { auctionId, startedAt, deadlineAt: startedAt + auctionTimeoutMs, attempt: 0, postsSent: 0, held: null, soldTo: null, lateAccepted: [], variant };
}

/** The A/B test fields of an auction's final audit event; none when the lead is in no test. */
export function variantAuditData(run: Pick<AuctionRun, 'variant'>): { abTest?: string; abVariant?: string } {
  return run.variant.test === null ? {} : { abTest: run.variant.test, abVariant: run.variant.variant };
}

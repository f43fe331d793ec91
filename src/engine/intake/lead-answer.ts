import { toDollars, type Cents } from '../money.js';

/** How a lead's auction ended, as far as the source is told. */
export type LeadOutcome = 'sold' | 'unsold' | 'unconfirmed';

/** Why an unsold answer names a reason: a buyer may hold the record, so it is not offered again. */
export const UNCONFIRMED_REASON = 'unconfirmed';

/**
 * The 200 answer to `POST /v1/leads` for a lead whose auction ended: what intake sends, what an
 * `Idempotency-Key` replays, and what start-up recovery stores for a request a crash cut short.
 * `price` is the source's payout.
 */
export function leadAnswer(leadId: string, outcome: LeadOutcome, payoutCents: Cents | null): { status: number; body: Record<string, unknown> } {
  if (outcome === 'sold') return { status: 200, body: { lead_id: leadId, status: 'sold', price: toDollars(payoutCents ?? 0) } };
  if (outcome === 'unconfirmed') return { status: 200, body: { lead_id: leadId, status: 'unsold', reason: UNCONFIRMED_REASON } };
  return { status: 200, body: { lead_id: leadId, status: 'unsold' } };
}

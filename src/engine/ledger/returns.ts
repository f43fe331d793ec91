import { PingdeskError } from '../../shared/errors.js';
import type { LeadRecord, ReturnRecord, ReturnStatus, Store } from '../store/index.js';
import type { RuntimeConfig } from '../workspace/runtime.js';

const DAY_MS = 86_400_000;

export interface ReturnAnswer {
  status: ReturnStatus;
  reason?: string;
}

/**
 * The buyer's policy on a return request: outside `windowDays` of the sale → refused; approving it
 * would put the buyer over `maxRatePercent` of its sales in the window → pending for the operator;
 * otherwise approved at once. A buyer with no `returns` policy leaves every request to the operator.
 * A second request for the same lead gets the first one's answer.
 */
export function requestReturn(deps: { store: Store; config: () => RuntimeConfig }, lead: LeadRecord, reason: string | null, at: number, actor?: string): ReturnAnswer {
  const book = deps.store.ledgerBook();
  const existing = book.getReturn(lead.id);
  if (existing) return answerOf(existing);
  const buyerId = lead.buyerId as string;
  const policy = deps.config().buyers.get(buyerId)?.spec.returns;
  const sale = deps.store.auctionsForLead(lead.id).find((a) => a.status === 'sold');
  const soldAt = sale?.endedAt ?? lead.receivedAt;
  const base: ReturnRecord = {
    leadId: lead.id, buyerId, sourceId: lead.sourceId, auctionId: sale?.id ?? null, priceCents: lead.priceCents ?? 0, payoutCents: lead.payoutCents ?? 0,
    status: 'pending', reason, requestedAt: at, decidedAt: null, decidedBy: null, decisionNote: null, clawbackCents: 0,
  };
  let answer: ReturnAnswer;
  if (policy && at - soldAt > policy.windowDays * DAY_MS) {
    answer = { status: 'refused', reason: `outside the ${policy.windowDays}-day return window` };
  } else if (!policy) {
    answer = { status: 'pending', reason: 'no return policy for this buyer: the operator decides' };
  } else {
    const counts = book.buyerReturnCounts(buyerId, at - policy.windowDays * DAY_MS);
    const rate = counts.sold > 0 ? ((counts.returned + 1) / counts.sold) * 100 : 100;
    answer = rate <= policy.maxRatePercent
      ? { status: 'approved' }
      : { status: 'pending', reason: `over the maximum return rate of ${policy.maxRatePercent}%: the operator decides` };
  }
  const record: ReturnRecord = { ...base, status: answer.status, decisionNote: answer.reason ?? null };
  if (answer.status !== 'pending') Object.assign(record, { decidedAt: at, decidedBy: 'policy' });
  saveDecision(deps, record, 'policy', at);
  deps.store.appendAudit({ leadId: lead.id, type: 'return', actor: actor ?? `buyer:${buyerId}`, at, data: { status: answer.status, reason, ...(answer.reason ? { decision: answer.reason } : {}) } });
  return answer;
}

/** The operator approves or refuses a pending return. */
export function decideReturn(deps: { store: Store; config: () => RuntimeConfig }, leadId: string, decision: 'approved' | 'refused', note: string | null, actor: string, at: number): ReturnRecord {
  const existing = deps.store.ledgerBook().getReturn(leadId);
  if (!existing) throw new PingdeskError('not_found', `No return request for lead "${leadId}"`);
  if (existing.status !== 'pending') throw new PingdeskError('conflict', `The return of lead "${leadId}" is already ${existing.status}`);
  const record: ReturnRecord = { ...existing, status: decision, decidedAt: at, decidedBy: actor, decisionNote: note };
  saveDecision(deps, record, actor, at);
  deps.store.appendAudit({ leadId, type: 'return_decided', actor, at, data: { status: decision, note } });
  return record;
}

/** Stores the request and, once approved, credits the buyer and (with `clawback`) takes the source's payout back. */
function saveDecision(deps: { store: Store; config: () => RuntimeConfig }, record: ReturnRecord, actor: string, at: number): void {
  const book = deps.store.ledgerBook();
  // Test leads move no money: their sale was never booked, so their return is not either.
  if (record.status === 'approved' && deps.store.getLead(record.leadId)?.test !== true) {
    const clawback = deps.config().sources.get(record.sourceId)?.spec.clawback === true;
    record.clawbackCents = clawback ? record.payoutCents : 0;
    const common = { at, leadId: record.leadId, auctionId: record.auctionId, note: record.decisionNote, actor };
    book.book([
      { ...common, kind: 'return', amountCents: record.priceCents, partyKind: 'buyer', partyId: record.buyerId },
      ...(clawback ? [{ ...common, kind: 'clawback' as const, amountCents: record.payoutCents, partyKind: 'source' as const, partyId: record.sourceId }] : []),
    ]);
  }
  book.saveReturn(record);
}

function answerOf(r: ReturnRecord): ReturnAnswer {
  return r.decisionNote && r.status !== 'approved' ? { status: r.status, reason: r.decisionNote } : { status: r.status };
}

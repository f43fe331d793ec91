import { stringify } from 'csv-stringify/sync';
import type { LedgerEntryView, PartyBalanceView, ReturnView, RevenueSummary, StatementView } from '../../shared/ledger-views.js';
import { toDollars } from '../money.js';
import { safeCell } from '../store/export-csv.js';
import type { LedgerRow, LedgerTotals, PartyBalance, PartyKind, ReturnRecord } from '../store/index.js';

export function toEntryView(r: LedgerRow): LedgerEntryView {
  return { id: r.id, at: r.at, kind: r.kind, amount: toDollars(r.amountCents), partyKind: r.partyKind, partyId: r.partyId, leadId: r.leadId, auctionId: r.auctionId, note: r.note, actor: r.actor };
}

export function toBalanceView(b: PartyBalance): PartyBalanceView {
  return { partyKind: b.partyKind, partyId: b.partyId, balance: toDollars(b.balanceCents), debits: toDollars(b.debitsCents), credits: toDollars(b.creditsCents), adjustments: toDollars(b.adjustmentsCents) };
}

export function toReturnView(r: ReturnRecord): ReturnView {
  return {
    leadId: r.leadId, buyerId: r.buyerId, sourceId: r.sourceId, auctionId: r.auctionId, price: toDollars(r.priceCents), payout: toDollars(r.payoutCents), status: r.status,
    reason: r.reason, requestedAt: r.requestedAt, decidedAt: r.decidedAt, decidedBy: r.decidedBy, decisionNote: r.decisionNote, clawback: toDollars(r.clawbackCents),
  };
}

/** A movement's effect on its party's balance: sales and payouts raise it, returns and clawbacks lower it. */
export function balanceEffectCents(r: Pick<LedgerRow, 'kind' | 'amountCents'>): number {
  return r.kind === 'return' || r.kind === 'clawback' ? -r.amountCents : r.amountCents;
}

/** A party's statement for a period: for a buyer what it owes, for a source what we owe it; with its CSV. */
/** A party's statement from its ledger rows in the range (LedgerRepo.partyEntries). */
export function statement(rows: readonly LedgerRow[], partyKind: PartyKind, partyId: string, from: number, to: number): StatementView {
  const totalCents = rows.reduce((sum, r) => sum + balanceEffectCents(r), 0);
  const csv = stringify([
    ['at', 'kind', 'amount', 'balance_effect', 'lead_id', 'auction_id', 'note'],
    ...rows.map((r) => [new Date(r.at).toISOString(), r.kind, toDollars(Math.abs(r.amountCents)).toFixed(2), toDollars(balanceEffectCents(r)).toFixed(2), r.leadId ?? '', r.auctionId ?? '', safeCell(r.note ?? '')]),
    ['total', '', '', toDollars(totalCents).toFixed(2), '', '', ''],
  ]);
  return { partyKind, partyId, from, to, entries: rows.map(toEntryView), total: toDollars(totalCents), csv };
}

/** Gross, returns and net revenue and margin from the ledger's sums. */
export function revenueSummary(t: LedgerTotals): RevenueSummary {
  const netRevenue = t.saleCents - t.returnCents;
  const netPayouts = t.payoutCents - t.clawbackCents;
  return {
    grossRevenue: toDollars(t.saleCents), returns: toDollars(t.returnCents), netRevenue: toDollars(netRevenue), payouts: toDollars(t.payoutCents),
    clawbacks: toDollars(t.clawbackCents), netPayouts: toDollars(netPayouts), adjustments: toDollars(t.adjustmentCents), margin: toDollars(netRevenue - netPayouts),
  };
}

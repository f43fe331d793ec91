/** What the console sees of returns and the ledger. Money in dollars, times in epoch ms. */

export type ReturnStatusView = 'approved' | 'pending' | 'refused';

export interface ReturnView {
  leadId: string;
  buyerId: string;
  sourceId: string;
  auctionId: string | null;
  price: number;
  payout: number;
  status: ReturnStatusView;
  reason: string | null;
  requestedAt: number;
  decidedAt: number | null;
  decidedBy: string | null;
  decisionNote: string | null;
  clawback: number;
}

export interface ReturnDecisionResult {
  decided: ReturnView[];
  failed: Array<{ leadId: string; message: string }>;
}

export interface LedgerEntryView {
  id: number;
  at: number;
  kind: 'sale' | 'payout' | 'return' | 'clawback' | 'adjustment';
  /** Positive; for an adjustment the sign says which way it moves the balance. */
  amount: number;
  partyKind: 'buyer' | 'source';
  partyId: string;
  leadId: string | null;
  auctionId: string | null;
  note: string | null;
  actor: string;
}

export interface PartyBalanceView {
  partyKind: 'buyer' | 'source';
  partyId: string;
  /** A buyer: what it owes us. A source: what we owe it. */
  balance: number;
  debits: number;
  credits: number;
  adjustments: number;
}

export interface StatementView {
  partyKind: 'buyer' | 'source';
  partyId: string;
  from: number;
  to: number;
  entries: LedgerEntryView[];
  total: number;
  csv: string;
}

/** Revenue as the reports show it, with returns taken off. */
export interface RevenueSummary {
  grossRevenue: number;
  returns: number;
  netRevenue: number;
  payouts: number;
  clawbacks: number;
  netPayouts: number;
  adjustments: number;
  margin: number;
}

import type { Store } from '../store/index.js';

export interface SaleToBook {
  leadId: string;
  auctionId: string;
  buyerId: string;
  sourceId: string;
  priceCents: number;
  payoutCents: number;
  test: boolean;
  at: number;
  actor: string;
}

/**
 * Books a sold lead in the ledger: the buyer's `sale` and the source's `payout`, queued in the same
 * write batch as the sale itself. Test leads move no money and are not booked.
 */
export function bookSale(store: Store, s: SaleToBook): void {
  if (s.test) return;
  const common = { at: s.at, leadId: s.leadId, auctionId: s.auctionId, note: null, actor: s.actor };
  store.ledgerBook().book([
    { ...common, kind: 'sale', amountCents: s.priceCents, partyKind: 'buyer', partyId: s.buyerId },
    { ...common, kind: 'payout', amountCents: s.payoutCents, partyKind: 'source', partyId: s.sourceId },
  ]);
}

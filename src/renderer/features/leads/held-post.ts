import type { AuctionSummary, AuditEventView } from '../../../shared/console-api.js';

/** Who may hold an unconfirmed lead, and what happened to the post that left it in doubt. */
export interface HeldPostView {
  buyerId: string;
  price: number | null;
  /** POST_TIMEOUT, POST_ERROR, or null when the engine stopped after the post started. */
  outcome: string | null;
  reason: string | null;
  at: number;
}

/**
 * Read from what the engine gives (the auction summary and the trail), never re-derived: the buyer
 * is the one the auction names, else the last `winner` event (a lead a crash left unconfirmed).
 */
export function heldPostOf(auctions: AuctionSummary[], trail: AuditEventView[]): HeldPostView | null {
  const auction = [...auctions].reverse().find((a) => a.status === 'unconfirmed');
  const winners = trail.filter((e) => e.type === 'winner');
  const lastWinner = winners[winners.length - 1];
  const buyerId = auction?.winnerBuyerId ?? (typeof lastWinner?.data.buyerId === 'string' ? lastWinner.data.buyerId : null);
  if (!buyerId) return null;
  const post = [...trail].reverse().find((e) => e.type === 'post' && e.data.buyerId === buyerId && (e.data.outcome === 'POST_TIMEOUT' || e.data.outcome === 'POST_ERROR'));
  const started = [...winners].reverse().find((e) => e.data.buyerId === buyerId);
  return {
    buyerId,
    price: auction?.price ?? (typeof started?.data.price === 'number' ? started.data.price : null),
    outcome: post ? String(post.data.outcome) : null,
    reason: post && typeof post.data.reason === 'string' ? post.data.reason : null,
    at: post?.at ?? started?.at ?? 0,
  };
}

/** Late acceptances on the lead's trail: who, and whether another buyer of the auction holds it too. */
export function lateAcceptsOf(trail: AuditEventView[]): Array<{ buyerId: string; alsoSoldTo: string | null; at: number }> {
  return trail
    .filter((e) => e.type === 'late_accept')
    .map((e) => ({ buyerId: String(e.data.buyerId), alsoSoldTo: typeof e.data.alsoSoldTo === 'string' ? e.data.alsoSoldTo : null, at: e.at }));
}

import { PingdeskError } from '../../../shared/errors.js';
import { toDollars } from '../../money.js';
import { auctionTiersView } from '../auction-tiers-view.js';
import { cents, toAuctionSummary } from '../views.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Auctions: the list and one auction with its pings, posts, tiers and exclusions. */
export function auctionsHandlers(d: HandlerDeps): HandlersOf<'auctions'> {
  const { store } = d;
  return {
    'auctions.list': (args) => {
      const page = store.listAuctions({ campaignId: args.campaignId, buyerId: args.buyerId, status: args.status, from: args.from, to: args.to, limit: args.limit, before: args.cursor ?? undefined });
      return { rows: page.rows.map(toAuctionSummary), nextCursor: page.nextCursor ?? null };
    },
    'auctions.get': ({ id }) => {
      const found = store.getAuction(id);
      if (!found) throw new PingdeskError('not_found', `No auction "${id}"`);
      // Tier names, floor parts and buyer names as recorded when the auction ran.
      const trail = store.auditForLead(found.auction.leadId);
      const { tiers, excluded, buyerNames } = auctionTiersView(id, trail);
      const promised = trail.find((e) => e.type === 'inbound_ping' && e.data.auctionId === id)?.data;
      return {
        auction: { ...toAuctionSummary(found.auction), floor: cents(found.auction.floorCents) },
        pings: found.pings.map((p) => ({ buyerId: p.buyerId, tierIndex: p.tierIndex, sentAt: p.sentAt, latencyMs: p.latencyMs, outcome: p.outcome, bid: cents(p.bidCents), floor: toDollars(p.floorCents), reason: p.reason, httpStatus: p.httpStatus })),
        posts: found.posts.map((p) => ({ buyerId: p.buyerId, attempt: p.attempt, sentAt: p.sentAt, latencyMs: p.latencyMs, outcome: p.outcome, price: toDollars(p.priceCents), reason: p.reason, buyerRef: p.buyerRef })),
        excluded,
        tiers,
        buyerNames,
        promise: promised ? { pingId: String(promised.pingId), price: Number(promised.promised) } : null,
        abTest: found.auction.abTest ? { name: found.auction.abTest, variant: found.auction.abVariant ?? 'A' } : null,
      };
    },
  };
}

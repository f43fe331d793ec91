import type { InboundPingView } from '../../shared/console-api.js';
import type { HeldPing } from '../auction/held-bids.js';
import { toDollars } from '../money.js';

/** Held inbound pings for the Live screen, newest first; no field values (they stay with the engine). */
export function inboundPingViews(pings: readonly HeldPing[], now: number): InboundPingView[] {
  return pings
    .map((p) => ({
      pingId: p.pingId,
      sourceId: p.sourceId,
      campaignId: p.campaignId,
      pingedAt: p.pingedAt,
      expiresAt: p.expiresAt,
      promised: toDollars(p.promisedPayoutCents),
      bestBid: toDollars(p.bestPriceCents),
      status: p.state !== 'open' ? ('posted' as const) : now >= p.expiresAt ? ('expired' as const) : ('promised' as const),
      test: p.test,
    }))
    .sort((a, b) => b.pingedAt - a.pingedAt);
}

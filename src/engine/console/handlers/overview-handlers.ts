import { toDollars } from '../../money.js';
import { rate } from '../views.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Overview → the headline figures of a period. */
export function overviewHandlers(d: HandlerDeps): HandlersOf<'overview'> {
  return {
    'overview.get': async ({ from, to, includeTest }) => {
      const o = await d.store.overviewAsync({ from, to, includeTest });
      const minutes = Math.max(1, (to - from) / 60_000);
      return {
        from,
        to,
        leads: o.leads,
        sold: o.sold,
        unsold: o.unsold,
        interrupted: o.interrupted,
        fillRate: rate(o.sold, o.leads),
        revenue: toDollars(o.revenueCents),
        payout: toDollars(o.payoutCents),
        margin: toDollars(o.marginCents),
        p50LatencyMs: o.p50LatencyMs,
        p99LatencyMs: o.p99LatencyMs,
        leadsPerMinute: o.leads / minutes,
      };
    },
  };
}

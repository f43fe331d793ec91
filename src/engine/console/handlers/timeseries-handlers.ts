import { toDollars } from '../../money.js';
import { rate } from '../views.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Overview and Reports charts: the period's figures bucket by bucket. */
export function timeseriesHandlers(d: HandlerDeps): HandlersOf<'timeseries'> {
  return {
    'timeseries.get': async ({ from, to, bucketMs }) =>
      (await d.store.timeseriesAsync({ from, to, bucketMs })).map((p) => ({
        t: p.t,
        leads: p.leads,
        sold: p.sold,
        revenue: toDollars(p.revenueCents),
        margin: toDollars(p.marginCents),
        fillRate: rate(p.sold, p.leads),
        p50LatencyMs: p.p50LatencyMs,
        p99LatencyMs: p.p99LatencyMs,
      })),
  };
}

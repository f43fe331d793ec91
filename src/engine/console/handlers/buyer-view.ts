import type { BuyerView } from '../../../shared/console-api.js';
import { toDollars } from '../../money.js';
import { suggestTier } from '../../signals/stats.js';
import { keyView } from '../views.js';
import type { HandlerDeps } from './handler-deps.js';

/** One buyer as the console shows it: its spec, where it sits in each ping tree, usage, keys and signals. */
export function buyerView(d: HandlerDeps, id: string): BuyerView {
  const { config } = d;
  const spec = config.buyer(id);
  const runtime = config.runtime.buyers.get(id);
  const usage = runtime ? d.caps.usage(id) : { hourly: 0, daily: 0, spendCents: 0 };
  const s = d.signals.snapshot(id, d.now());
  const placements = config.workspace.campaigns.flatMap((c) => {
    const tierIndex = c.tiers.findIndex((t) => t.buyers.includes(id));
    return tierIndex < 0 ? [] : [{ campaignId: c.id, tierIndex, suggestion: suggestTier(s, tierIndex, c.tiers.length) }];
  });
  return {
    spec,
    placements,
    paused: spec.paused === true,
    circuit: d.breaker.state(id),
    usage: { hourly: usage.hourly, daily: usage.daily, spend: toDollars(usage.spendCents) },
    keys: d.store.listApiKeys('buyer', id).map(keyView),
    signals: {
      bidRate: s.bidRate,
      acceptRate: s.acceptRate,
      lateAccepts: s.lateAccepts,
      timeoutRate: s.timeoutRate,
      avgBid: toDollars(s.avgBidCents),
      avgLatencyMs: s.avgLatencyMs,
      conversionRate: s.conversionRate,
      returnRate: s.returnRate,
      samples: s.pings,
    },
  };
}

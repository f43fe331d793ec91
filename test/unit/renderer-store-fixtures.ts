import type { AuctionSummary, ConsoleApi, MethodArgs, MethodName, MethodResult, Overview } from '../../src/shared/console-api.js';
import { createConsoleStore } from '../../src/renderer/store/store.js';

export type FakeHandlers = { [K in MethodName]?: (args: MethodArgs<K>) => Promise<MethodResult<K>> | MethodResult<K> };

/** A store over a hand-written contract: calls to methods not given fail like an engine would. */
export function storeWith(handlers: FakeHandlers = {}, start = 1_700_000_000_000) {
  let clock = start;
  let ids = 0;
  const calls: Array<{ name: string; args: unknown }> = [];
  const api = new Proxy({} as ConsoleApi, {
    get: (_t, name: string) => async (args: unknown) => {
      calls.push({ name, args });
      const fn = (handlers as Record<string, ((a: unknown) => unknown) | undefined>)[name];
      if (!fn) throw new Error(`unexpected call ${name}`);
      return fn(args);
    },
  });
  const store = createConsoleStore({ api, now: () => clock, newId: () => `job-${++ids}` });
  return { store, calls, advance: (ms: number) => (clock += ms), now: () => clock };
}

export function auction(n: number, over: Partial<AuctionSummary> = {}): AuctionSummary {
  return {
    id: `a${n}`,
    leadId: `l${n}`,
    campaignId: 'auto',
    sourceId: 'pub-1',
    state: 'TX',
    startedAt: 1_700_000_000_000 + n,
    status: 'sold',
    tierReached: 0,
    winnerBuyerId: 'acme',
    price: 20,
    payout: 14,
    margin: 6,
    latencyMs: 40,
    test: false,
    reason: null,
    ...over,
  };
}

export function overview(to: number, over: Partial<Overview> = {}): Overview {
  return {
    from: to - 300_000,
    to,
    leads: 10,
    sold: 7,
    unsold: 3,
    interrupted: 0,
    fillRate: 0.7,
    revenue: 140,
    payout: 98,
    margin: 42,
    p50LatencyMs: 40,
    p99LatencyMs: 180,
    leadsPerMinute: 2,
    ...over,
  };
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one engine, on its own registry (several engines may share a process in tests). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pingdesk_', eventLoopMonitoringPrecision: 10 });
  return {
    registry,
    leads: new Counter({ name: 'pingdesk_leads_total', help: 'Leads by final status', labelNames: ['campaign', 'status', 'test'] as const, registers: [registry] }),
    refused: new Counter({ name: 'pingdesk_intake_refused_total', help: 'Intake requests refused, by error code', labelNames: ['code'] as const, registers: [registry] }),
    buyerOutcomes: new Counter({ name: 'pingdesk_buyer_outcomes_total', help: 'Ping and post outcomes per buyer', labelNames: ['buyer', 'kind', 'outcome'] as const, registers: [registry] }),
    buyerLatency: new Histogram({ name: 'pingdesk_buyer_latency_seconds', help: 'Buyer answer time', labelNames: ['kind'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
    auctionDuration: new Histogram({ name: 'pingdesk_auction_duration_seconds', help: 'Auction duration from start to outcome', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [registry] }),
    revenue: new Counter({ name: 'pingdesk_revenue_cents_total', help: 'Sale prices of accepted posts (test leads excluded)', labelNames: ['campaign'] as const, registers: [registry] }),
    storageAvailable: new Gauge({ name: 'pingdesk_storage_available', help: '1 while the data folder takes writes, 0 while they are retained (disk full, I/O error, locked, corrupt, read-only)', registers: [registry] }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

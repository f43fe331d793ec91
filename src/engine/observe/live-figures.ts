import type { Overview } from '../../shared/console-api.js';
import { toDollars } from '../money.js';
import type { FinishedAuctionRow } from '../store/records.js';

/** What the figures count of a finished auction (money in cents). */
export type FinishedFigures = FinishedAuctionRow;

interface Bucket {
  second: number;
  leads: number;
  sold: number;
  unsold: number;
  interrupted: number;
  revenueCents: number;
  payoutCents: number;
  marginCents: number;
  latencies: number[];
}

const MAX_LATENCY_SAMPLES_PER_SECOND = 200;

/**
 * Headline figures over a sliding window kept in memory (one bucket a second), so the console's
 * once-a-second tick never queries the store. Test leads are left out, as in every revenue figure.
 */
export class LiveFigures {
  private readonly buckets: Bucket[] = [];
  /** When the first auction was recorded: until the window is full, rates divide by the time seen. */
  private firstAt: number | null = null;
  /** Leads of known sources refused at intake, per second (see recordRefusal). */
  private readonly refusals: Array<{ second: number; n: number }> = [];

  constructor(readonly windowMs = 5 * 60_000) {}

  /**
   * Refills the window from the store at start, so a restart does not empty Live: `auctions` are the
   * window's finished auctions, `observedSince` when the folder's first auction started (rates divide
   * by the part of the window the folder existed for).
   */
  restore(auctions: readonly FinishedFigures[], observedSince: number | null, now: number): void {
    for (const a of auctions) this.record(a);
    if (observedSince !== null) this.firstAt = Math.max(now - this.windowMs, Math.min(this.firstAt ?? observedSince, observedSince));
  }

  record(s: FinishedFigures): void {
    if (s.test) return;
    this.firstAt ??= s.startedAt;
    const second = Math.floor(s.startedAt / 1000);
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.second !== second) {
      b = this.buckets.find((x) => x.second === second) as Bucket;
      if (!b) {
        b = { second, leads: 0, sold: 0, unsold: 0, interrupted: 0, revenueCents: 0, payoutCents: 0, marginCents: 0, latencies: [] };
        this.buckets.push(b);
        this.buckets.sort((x, y) => x.second - y.second);
      }
    }
    b.leads += 1;
    if (s.status === 'sold') {
      b.sold += 1;
      b.revenueCents += s.priceCents ?? 0;
      b.payoutCents += s.payoutCents ?? 0;
      b.marginCents += s.marginCents ?? 0;
    } else if (s.status === 'unsold') b.unsold += 1;
    else if (s.status === 'interrupted') b.interrupted += 1;
    if (s.latencyMs != null && b.latencies.length < MAX_LATENCY_SAMPLES_PER_SECOND) b.latencies.push(s.latencyMs);
  }

  /** A lead refused at intake (duplicate, suppressed, invalid, rate-limited, …): received but not auctioned. */
  recordRefusal(at: number): void {
    const second = Math.floor(at / 1000);
    const last = this.refusals[this.refusals.length - 1];
    if (last && last.second === second) last.n += 1;
    else this.refusals.push({ second, n: 1 });
  }

  overview(now: number): Overview {
    const from = now - this.windowMs;
    const fromSecond = Math.floor(from / 1000);
    while (this.buckets.length && this.buckets[0].second < fromSecond) this.buckets.shift();
    while (this.refusals.length && (this.refusals[0]?.second ?? 0) < fromSecond) this.refusals.shift();
    const refused = this.refusals.reduce((sum, r) => sum + r.n, 0);
    const t = { leads: 0, sold: 0, unsold: 0, interrupted: 0, revenueCents: 0, payoutCents: 0, marginCents: 0 };
    const latencies: number[] = [];
    for (const b of this.buckets) {
      t.leads += b.leads;
      t.sold += b.sold;
      t.unsold += b.unsold;
      t.interrupted += b.interrupted;
      t.revenueCents += b.revenueCents;
      t.payoutCents += b.payoutCents;
      t.marginCents += b.marginCents;
      for (const l of b.latencies) latencies.push(l);
    }
    latencies.sort((a, b) => a - b);
    return {
      from,
      to: now,
      leads: t.leads,
      sold: t.sold,
      unsold: t.unsold,
      interrupted: t.interrupted,
      fillRate: t.leads ? t.sold / t.leads : 0,
      revenue: toDollars(t.revenueCents),
      payout: toDollars(t.payoutCents),
      margin: toDollars(t.marginCents),
      p50LatencyMs: percentile(latencies, 0.5),
      p99LatencyMs: percentile(latencies, 0.99),
      refused,
      leadsPerMinute: (t.leads * 60_000) / Math.max(60_000, Math.min(this.windowMs, now - (this.firstAt ?? now))),
    };
  }
}

export function percentile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

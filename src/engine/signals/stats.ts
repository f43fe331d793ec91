import type { OutcomeCode } from '../../shared/domain.js';
import type { Cents } from '../money.js';

/**
 * Rolling per-buyer performance: how often a buyer bids, how fast it answers, how often it takes
 * the posts it wins, and how its leads turn out. Traffic is counted per minute over the last hour,
 * feedback per hour over the last week (conversions and returns arrive long after the sale).
 * Memory per buyer is fixed by the bucket counts, whatever the traffic.
 */

export type FeedbackEvent = 'converted' | 'returned' | 'contacted';

export interface BuyerSnapshot {
  pings: number;
  bids: number;
  bidRate: number;
  /** Posts received (each one a won bid, first choice or fallback). */
  wins: number;
  accepted: number;
  acceptRate: number;
  /** Posts accepted after their timeout: the buyer held a lead the exchange could not count on. */
  lateAccepts: number;
  timeouts: number;
  timeoutRate: number;
  avgBidCents: Cents;
  avgLatencyMs: number;
  p95LatencyMs: number;
  /** Sales in the feedback window: the base of the conversion and return rates. */
  sold: number;
  converted: number;
  returned: number;
  contacted: number;
  conversionRate: number;
  returnRate: number;
}

export interface SignalWindows {
  windowMs: number;
  bucketMs: number;
  feedbackWindowMs: number;
  feedbackBucketMs: number;
}

export const DEFAULT_SIGNAL_WINDOWS: SignalWindows = {
  windowMs: 3_600_000,
  bucketMs: 60_000,
  feedbackWindowMs: 7 * 86_400_000,
  feedbackBucketMs: 3_600_000,
};

/** Outcomes of a ping that reached the network; eligibility exclusions are not pings. */
const PING_OUTCOMES = new Set<OutcomeCode>(['BID', 'NO_BID', 'TIMEOUT', 'LATE', 'BAD_RESPONSE', 'HTTP_ERROR', 'UNREACHABLE', 'BELOW_FLOOR']);
const BID_OUTCOMES = new Set<OutcomeCode>(['BID', 'BELOW_FLOOR']);
const SLOW_OUTCOMES = new Set<OutcomeCode>(['TIMEOUT', 'LATE']);
/** Upper bounds (ms) of the latency histogram; the last bin is open. */
const LATENCY_BOUNDS = [10, 25, 50, 75, 100, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10_000, Infinity];

interface TrafficBucket {
  slot: number;
  pings: number;
  bids: number;
  bidSumCents: number;
  timeouts: number;
  latencyCount: number;
  latencySum: number;
  latencyMax: number;
  histogram: Uint32Array;
  posts: number;
  accepted: number;
  lateAccepts: number;
}

interface FeedbackBucket {
  slot: number;
  sold: number;
  converted: number;
  returned: number;
  contacted: number;
}

/** A ring of time buckets; a bucket whose slot has passed is reused from zero. */
class BucketRing<B extends { slot: number }> {
  private readonly buckets: B[] = [];

  constructor(
    private readonly size: number,
    private readonly slotMs: number,
    private readonly make: (slot: number) => B,
  ) {}

  /** The bucket for an instant, or null when that instant is older than the ring remembers. */
  at(atMs: number): B | null {
    const slot = Math.floor(atMs / this.slotMs);
    const index = ((slot % this.size) + this.size) % this.size;
    const bucket = this.buckets[index];
    if (bucket && bucket.slot === slot) return bucket;
    if (bucket && bucket.slot > slot) return null;
    const fresh = this.make(slot);
    this.buckets[index] = fresh;
    return fresh;
  }

  /** Buckets within the window ending at `nowMs`. */
  *within(nowMs: number): Iterable<B> {
    const current = Math.floor(nowMs / this.slotMs);
    for (const b of this.buckets) if (b && b.slot > current - this.size && b.slot <= current) yield b;
  }
}

interface BuyerRings {
  traffic: BucketRing<TrafficBucket>;
  feedback: BucketRing<FeedbackBucket>;
}

export class BuyerSignals {
  private readonly windows: SignalWindows;
  private readonly rings = new Map<string, BuyerRings>();

  constructor(windows: Partial<SignalWindows> = {}) {
    this.windows = { ...DEFAULT_SIGNAL_WINDOWS, ...windows };
  }

  recordPing(buyerId: string, outcome: OutcomeCode, latencyMs: number | null, bidCents: Cents | null, at: number): void {
    if (!PING_OUTCOMES.has(outcome)) return;
    const b = this.ringsOf(buyerId).traffic.at(at);
    if (!b) return;
    b.pings += 1;
    if (BID_OUTCOMES.has(outcome) && bidCents !== null && bidCents > 0) {
      b.bids += 1;
      b.bidSumCents += bidCents;
    }
    if (SLOW_OUTCOMES.has(outcome)) b.timeouts += 1;
    if (latencyMs !== null && latencyMs >= 0) {
      b.latencyCount += 1;
      b.latencySum += latencyMs;
      b.latencyMax = Math.max(b.latencyMax, latencyMs);
      b.histogram[LATENCY_BOUNDS.findIndex((bound) => latencyMs <= bound)] += 1;
    }
  }

  recordPost(buyerId: string, accepted: boolean, at: number): void {
    const rings = this.ringsOf(buyerId);
    const b = rings.traffic.at(at);
    if (b) {
      b.posts += 1;
      if (accepted) b.accepted += 1;
    }
    const f = accepted ? rings.feedback.at(at) : null;
    if (f) f.sold += 1;
  }

  /** A post that timed out was accepted afterwards (see auction/post-to-buyer.ts). */
  recordLateAccept(buyerId: string, at: number): void {
    const b = this.ringsOf(buyerId).traffic.at(at);
    if (b) b.lateAccepts += 1;
  }

  recordFeedback(buyerId: string, event: FeedbackEvent, at: number): void {
    const f = this.ringsOf(buyerId).feedback.at(at);
    if (f) f[event] += 1;
  }

  /** Drops a buyer's history (the buyer was deleted). */
  forget(buyerId: string): void {
    this.rings.delete(buyerId);
  }

  /** Figures over the windows ending at `now`; a rate with no samples reads 0 (the counts tell). */
  snapshot(buyerId: string, now: number): BuyerSnapshot {
    const t = { pings: 0, bids: 0, bidSumCents: 0, timeouts: 0, latencyCount: 0, latencySum: 0, latencyMax: 0, posts: 0, accepted: 0, lateAccepts: 0 };
    const histogram = new Array<number>(LATENCY_BOUNDS.length).fill(0);
    const f = { sold: 0, converted: 0, returned: 0, contacted: 0 };
    const rings = this.rings.get(buyerId);
    if (rings) {
      for (const b of rings.traffic.within(now)) {
        t.pings += b.pings;
        t.bids += b.bids;
        t.bidSumCents += b.bidSumCents;
        t.timeouts += b.timeouts;
        t.latencyCount += b.latencyCount;
        t.latencySum += b.latencySum;
        t.latencyMax = Math.max(t.latencyMax, b.latencyMax);
        t.posts += b.posts;
        t.accepted += b.accepted;
        t.lateAccepts += b.lateAccepts;
        b.histogram.forEach((n, i) => (histogram[i] += n));
      }
      for (const b of rings.feedback.within(now)) {
        f.sold += b.sold;
        f.converted += b.converted;
        f.returned += b.returned;
        f.contacted += b.contacted;
      }
    }
    return {
      pings: t.pings,
      bids: t.bids,
      bidRate: ratio(t.bids, t.pings),
      wins: t.posts,
      accepted: t.accepted,
      acceptRate: ratio(t.accepted, t.posts),
      lateAccepts: t.lateAccepts,
      timeouts: t.timeouts,
      timeoutRate: ratio(t.timeouts, t.pings),
      avgBidCents: t.bids ? Math.round(t.bidSumCents / t.bids) : 0,
      avgLatencyMs: t.latencyCount ? Math.round(t.latencySum / t.latencyCount) : 0,
      p95LatencyMs: percentile95(histogram, t.latencyCount, t.latencyMax),
      ...f,
      // Feedback can outlive its sale's bucket, so these are capped at 1.
      conversionRate: Math.min(1, ratio(f.converted, f.sold)),
      returnRate: Math.min(1, ratio(f.returned, f.sold)),
    };
  }

  private ringsOf(buyerId: string): BuyerRings {
    let rings = this.rings.get(buyerId);
    if (!rings) {
      const w = this.windows;
      rings = {
        traffic: new BucketRing(Math.max(1, Math.ceil(w.windowMs / w.bucketMs)), w.bucketMs, (slot) => ({
          slot, pings: 0, bids: 0, bidSumCents: 0, timeouts: 0, latencyCount: 0, latencySum: 0, latencyMax: 0,
          histogram: new Uint32Array(LATENCY_BOUNDS.length), posts: 0, accepted: 0, lateAccepts: 0,
        })),
        feedback: new BucketRing(Math.max(1, Math.ceil(w.feedbackWindowMs / w.feedbackBucketMs)), w.feedbackBucketMs, (slot) => ({
          slot, sold: 0, converted: 0, returned: 0, contacted: 0,
        })),
      };
      this.rings.set(buyerId, rings);
    }
    return rings;
  }
}

function ratio(n: number, d: number): number {
  return d > 0 ? n / d : 0;
}

/** The upper bound of the bin holding the 95th percentile, never above the slowest answer seen. */
function percentile95(histogram: number[], count: number, max: number): number {
  if (count === 0) return 0;
  const rank = Math.ceil(count * 0.95);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i];
    if (seen >= rank) return Math.min(LATENCY_BOUNDS[i], max);
  }
  return max;
}

export interface TierPolicy {
  /** Pings needed before timeouts count against a buyer. */
  minPings: number;
  /** Posts needed before the accept rate counts. */
  minPosts: number;
  /** Sales needed before conversions and returns count. */
  minSold: number;
  promoteConversionRate: number;
  promoteAcceptRate: number;
  demoteTimeoutRate: number;
  demoteReturnRate: number;
}

export const DEFAULT_TIER_POLICY: TierPolicy = {
  minPings: 50,
  minPosts: 10,
  minSold: 20,
  promoteConversionRate: 0.1,
  promoteAcceptRate: 0.8,
  demoteTimeoutRate: 0.2,
  demoteReturnRate: 0.25,
};

export interface TierSuggestion {
  action: 'promote' | 'demote' | 'stay';
  /** The suggested tier index (0 is the first tier pinged). */
  tier: number;
  reasons: string[];
}

/**
 * A proposal for the operator, never applied by itself. Tier 0 is pinged first. Demotion wins
 * over promotion: a buyer who converts well but times out a fifth of the time costs every lead
 * it delays. Without enough samples the answer is "stay".
 */
export function suggestTier(s: BuyerSnapshot, currentTier: number, tierCount: number, policy: TierPolicy = DEFAULT_TIER_POLICY): TierSuggestion {
  const demote: string[] = [];
  if (s.pings >= policy.minPings && s.timeoutRate >= policy.demoteTimeoutRate) {
    demote.push(`timeout rate ${pct(s.timeoutRate)} is at least ${pct(policy.demoteTimeoutRate)} over ${s.pings} pings`);
  }
  if (s.sold >= policy.minSold && s.returnRate >= policy.demoteReturnRate) {
    demote.push(`return rate ${pct(s.returnRate)} is at least ${pct(policy.demoteReturnRate)} over ${s.sold} sales`);
  }
  if (demote.length) {
    if (currentTier >= tierCount - 1) return { action: 'stay', tier: currentTier, reasons: [...demote, 'already in the last tier'] };
    return { action: 'demote', tier: currentTier + 1, reasons: demote };
  }

  const promote =
    s.sold >= policy.minSold &&
    s.wins >= policy.minPosts &&
    s.conversionRate >= policy.promoteConversionRate &&
    s.acceptRate >= policy.promoteAcceptRate;
  if (!promote) return { action: 'stay', tier: currentTier, reasons: stayReasons(s, policy) };
  const reasons = [
    `conversion rate ${pct(s.conversionRate)} is at least ${pct(policy.promoteConversionRate)} over ${s.sold} sales`,
    `accept rate ${pct(s.acceptRate)} is at least ${pct(policy.promoteAcceptRate)} over ${s.wins} posts`,
  ];
  if (currentTier <= 0) return { action: 'stay', tier: 0, reasons: [...reasons, 'already in the first tier'] };
  return { action: 'promote', tier: currentTier - 1, reasons };
}

function stayReasons(s: BuyerSnapshot, policy: TierPolicy): string[] {
  if (s.sold < policy.minSold) return [`${s.sold} sales, ${policy.minSold} needed to judge`];
  if (s.wins < policy.minPosts) return [`${s.wins} posts, ${policy.minPosts} needed to judge`];
  return ['performance within the thresholds'];
}

function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

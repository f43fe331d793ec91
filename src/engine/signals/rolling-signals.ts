import type { BuyerSignalFigures } from '../../shared/console-api.js';
import type { OutcomeCode } from '../../shared/domain.js';
import type { Cents } from '../money.js';
import { BucketRing, bucketCount, ratio } from './bucket-ring.js';

/**
 * Rolling per-buyer performance, kept apart per campaign (a buyer that converts well on auto
 * insurance may not on home): how often a buyer bids and wins, how fast it answers, how often it
 * takes the posts it wins, and how its leads turn out. Traffic is counted per minute over the last
 * hour, feedback per hour over the last week (conversions and returns arrive long after the sale).
 * Memory per buyer and campaign is fixed by the bucket counts, whatever the traffic. The engine
 * rebuilds these figures from the store at start (rebuild-signals.ts) and keeps them current.
 */

export type FeedbackEvent = 'converted' | 'returned' | 'contacted';

/**
 * A buyer's figures as the engine keeps them: the console's figures (`BuyerSignalFigures`) with the
 * average bid in cents, and the contacted count the console does not show.
 */
export type BuyerSnapshot = Omit<BuyerSignalFigures, 'avgBid'> & {
  avgBidCents: Cents;
  contacted: number;
};

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

export interface PingSignal {
  buyerId: string;
  campaignId: string;
  outcome: OutcomeCode;
  latencyMs: number | null;
  bidCents: Cents | null;
  at: number;
}

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

interface BuyerRings {
  traffic: BucketRing<TrafficBucket>;
  feedback: BucketRing<FeedbackBucket>;
}

export class BuyerSignals {
  private readonly windows: SignalWindows;
  /** buyer id → campaign id → rings. */
  private readonly rings = new Map<string, Map<string, BuyerRings>>();

  constructor(windows: Partial<SignalWindows> = {}) {
    this.windows = { ...DEFAULT_SIGNAL_WINDOWS, ...windows };
  }

  get windowsMs(): SignalWindows {
    return this.windows;
  }

  recordPing(p: PingSignal): void {
    if (!PING_OUTCOMES.has(p.outcome)) return;
    const b = this.ringsOf(p.buyerId, p.campaignId).traffic.at(p.at);
    if (!b) return;
    b.pings += 1;
    if (BID_OUTCOMES.has(p.outcome) && p.bidCents !== null && p.bidCents > 0) {
      b.bids += 1;
      b.bidSumCents += p.bidCents;
    }
    if (SLOW_OUTCOMES.has(p.outcome)) b.timeouts += 1;
    const latencyMs = p.latencyMs;
    if (latencyMs !== null && latencyMs >= 0) {
      b.latencyCount += 1;
      b.latencySum += latencyMs;
      b.latencyMax = Math.max(b.latencyMax, latencyMs);
      b.histogram[LATENCY_BOUNDS.findIndex((bound) => latencyMs <= bound)] += 1;
    }
  }

  recordPost(buyerId: string, campaignId: string, accepted: boolean, at: number): void {
    const rings = this.ringsOf(buyerId, campaignId);
    const b = rings.traffic.at(at);
    if (b) {
      b.posts += 1;
      if (accepted) b.accepted += 1;
    }
    const f = accepted ? rings.feedback.at(at) : null;
    if (f) f.sold += 1;
  }

  /** A post that timed out was accepted afterwards (see auction/post-to-buyer.ts); `at` is when the post was sent. */
  recordLateAccept(buyerId: string, campaignId: string, at: number): void {
    const b = this.ringsOf(buyerId, campaignId).traffic.at(at);
    if (b) b.lateAccepts += 1;
  }

  recordFeedback(buyerId: string, campaignId: string, event: FeedbackEvent, at: number): void {
    const f = this.ringsOf(buyerId, campaignId).feedback.at(at);
    if (f) f[event] += 1;
  }

  /** Drops a buyer's history (the buyer was deleted). */
  forget(buyerId: string): void {
    this.rings.delete(buyerId);
  }

  /** The campaigns a buyer has figures for. */
  campaignsOf(buyerId: string): string[] {
    return [...(this.rings.get(buyerId)?.keys() ?? [])];
  }

  /**
   * Figures over the windows ending at `now`, for one campaign or (campaignId null) all of the
   * buyer's campaigns together. A rate with no samples reads 0 (the counts tell).
   */
  snapshot(buyerId: string, campaignId: string | null, now: number): BuyerSnapshot {
    const t = { pings: 0, bids: 0, bidSumCents: 0, timeouts: 0, latencyCount: 0, latencySum: 0, latencyMax: 0, posts: 0, accepted: 0, lateAccepts: 0 };
    const histogram = new Array<number>(LATENCY_BOUNDS.length).fill(0);
    const f = { sold: 0, converted: 0, returned: 0, contacted: 0 };
    const byCampaign = this.rings.get(buyerId);
    const chosen = !byCampaign ? [] : campaignId === null ? [...byCampaign.values()] : [byCampaign.get(campaignId)].filter((r): r is BuyerRings => r !== undefined);
    for (const rings of chosen) {
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
      winRate: Math.min(1, ratio(t.posts, t.bids)),
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

  private ringsOf(buyerId: string, campaignId: string): BuyerRings {
    let byCampaign = this.rings.get(buyerId);
    if (!byCampaign) {
      byCampaign = new Map();
      this.rings.set(buyerId, byCampaign);
    }
    let rings = byCampaign.get(campaignId);
    if (!rings) {
      const w = this.windows;
      rings = {
        traffic: new BucketRing(bucketCount(w.windowMs, w.bucketMs), w.bucketMs, (slot) => ({
          slot, pings: 0, bids: 0, bidSumCents: 0, timeouts: 0, latencyCount: 0, latencySum: 0, latencyMax: 0,
          histogram: new Uint32Array(LATENCY_BOUNDS.length), posts: 0, accepted: 0, lateAccepts: 0,
        })),
        feedback: new BucketRing(bucketCount(w.feedbackWindowMs, w.feedbackBucketMs), w.feedbackBucketMs, (slot) => ({
          slot, sold: 0, converted: 0, returned: 0, contacted: 0,
        })),
      };
      byCampaign.set(campaignId, rings);
    }
    return rings;
  }
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

import type { Cents } from '../money.js';
import { BucketRing, bucketCount, ratio } from './bucket-ring.js';

/**
 * Rolling per-source figures, per campaign: leads auctioned, how many sold and at what price, and
 * how many of the sales came back as returns. Hourly buckets over a week, like the buyers' feedback
 * (a return arrives days after its sale). Test leads are not counted.
 */

export interface SourceSnapshot {
  leads: number;
  sold: number;
  soldRate: number;
  /** Average sale price of the sold leads. */
  avgPriceCents: Cents;
  /** Average payout to the source on the sold leads. */
  avgPayoutCents: Cents;
  returned: number;
  returnRate: number;
}

interface SourceBucket {
  slot: number;
  leads: number;
  sold: number;
  priceSumCents: number;
  payoutSumCents: number;
  returned: number;
}

export interface FinishedLead {
  sourceId: string;
  campaignId: string;
  sold: boolean;
  priceCents: Cents | null;
  payoutCents: Cents | null;
  at: number;
}

export const SOURCE_WINDOW_MS = 7 * 86_400_000;
const SOURCE_BUCKET_MS = 3_600_000;

export class SourceSignals {
  private readonly rings = new Map<string, Map<string, BucketRing<SourceBucket>>>();

  constructor(private readonly windowMs = SOURCE_WINDOW_MS) {}

  recordLead(l: FinishedLead): void {
    const b = this.ringOf(l.sourceId, l.campaignId).at(l.at);
    if (!b) return;
    b.leads += 1;
    if (l.sold) {
      b.sold += 1;
      b.priceSumCents += l.priceCents ?? 0;
      b.payoutSumCents += l.payoutCents ?? 0;
    }
  }

  recordReturn(sourceId: string, campaignId: string, at: number): void {
    const b = this.ringOf(sourceId, campaignId).at(at);
    if (b) b.returned += 1;
  }

  /** Every source × campaign pair with figures. */
  keys(): Array<{ sourceId: string; campaignId: string }> {
    return [...this.rings].flatMap(([sourceId, byCampaign]) => [...byCampaign.keys()].map((campaignId) => ({ sourceId, campaignId })));
  }

  snapshot(sourceId: string, campaignId: string, now: number): SourceSnapshot {
    const t = { leads: 0, sold: 0, priceSumCents: 0, payoutSumCents: 0, returned: 0 };
    const ring = this.rings.get(sourceId)?.get(campaignId);
    if (ring) {
      for (const b of ring.within(now)) {
        t.leads += b.leads;
        t.sold += b.sold;
        t.priceSumCents += b.priceSumCents;
        t.payoutSumCents += b.payoutSumCents;
        t.returned += b.returned;
      }
    }
    return {
      leads: t.leads,
      sold: t.sold,
      soldRate: ratio(t.sold, t.leads),
      avgPriceCents: t.sold ? Math.round(t.priceSumCents / t.sold) : 0,
      avgPayoutCents: t.sold ? Math.round(t.payoutSumCents / t.sold) : 0,
      returned: t.returned,
      returnRate: Math.min(1, ratio(t.returned, t.sold)),
    };
  }

  private ringOf(sourceId: string, campaignId: string): BucketRing<SourceBucket> {
    let byCampaign = this.rings.get(sourceId);
    if (!byCampaign) {
      byCampaign = new Map();
      this.rings.set(sourceId, byCampaign);
    }
    let ring = byCampaign.get(campaignId);
    if (!ring) {
      ring = new BucketRing(bucketCount(this.windowMs, SOURCE_BUCKET_MS), SOURCE_BUCKET_MS, (slot) => ({ slot, leads: 0, sold: 0, priceSumCents: 0, payoutSumCents: 0, returned: 0 }));
      byCampaign.set(campaignId, ring);
    }
    return ring;
  }
}

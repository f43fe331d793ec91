import { createHash } from 'node:crypto';
import type { RuntimeCampaign, RuntimeTier } from '../workspace/runtime.js';

export type AbVariant = 'A' | 'B';

/** Which tree a lead's auction runs on, and under which test. */
export interface VariantChoice {
  /** The test's name; null when the campaign runs no test (the lead is in no test). */
  test: string | null;
  variant: AbVariant;
  tiers: RuntimeTier[];
}

const BUCKETS = 2 ** 32;

/**
 * The tree a lead is auctioned on. Without a running A/B test: the campaign's own tiers, in no test.
 * With one: the lead's bucket is the first 32 bits of sha256(test name ‖ 0 ‖ lead id) read as a
 * fraction of 2³², and bucket·100 < splitPercent sends it to variant B. The same lead id under the
 * same test always lands in the same variant (a retry or a replay agrees), a new test reshuffles,
 * and over many leads B's share tends to `splitPercent`. Nothing else about the lead (its source,
 * state or price) enters, so the two groups differ only by chance.
 */
export function chooseVariant(campaign: Pick<RuntimeCampaign, 'tiers' | 'abTest'>, leadId: string): VariantChoice {
  const test = campaign.abTest;
  if (!test) return { test: null, variant: 'A', tiers: campaign.tiers };
  const variant = variantOf(test.name, leadId, test.splitPercent);
  return { test: test.name, variant, tiers: variant === 'B' ? test.variantBTiers : campaign.tiers };
}

/** The variant a lead id falls in under a test with `splitPercent` to B (pure, deterministic). */
export function variantOf(testName: string, leadId: string, splitPercent: number): AbVariant {
  const digest = createHash('sha256').update(testName).update('\0').update(leadId).digest();
  const bucket = digest.readUInt32BE(0);
  return bucket * 100 < splitPercent * BUCKETS ? 'B' : 'A';
}

import type { BuyerSpec, CampaignSpec, FieldSpec, SourceSpec } from '../../shared/domain.js';
import type { Cents } from '../money.js';
import type { ScreenRule } from '../screen/screen-types.js';

/** A price rule in engine units: fixed in cents, percent in basis points (70% = 7000). */
export interface RuntimePriceRule {
  type: 'fixed' | 'percent';
  value: number;
}

export interface RuntimeTier {
  index: number;
  name: string;
  floorCents: Cents;
  buyerIds: string[];
  /** How the tier picks among valid bids (see auction/distribution.ts). */
  distribution?: 'price' | 'weighted' | 'round_robin';
  /** Weights per buyer for `weighted`; a buyer not listed weighs 1. */
  weights?: Record<string, number>;
}

export interface RuntimeCampaign {
  id: string;
  spec: CampaignSpec;
  fields: Record<string, FieldSpec>;
  pingFields: string[];
  contactFields: Set<string>;
  minPriceCents: Cents;
  payout: RuntimePriceRule;
  margin: RuntimePriceRule;
  requireNamedSeller: boolean;
  duplicateWindowMs: number;
  pingTimeoutMs: number;
  postTimeoutMs: number;
  auctionTimeoutMs: number;
  maxPostAttempts: number;
  /** How many buyers may buy one lead (shared leads); absent: 1, exclusive. */
  maxSales?: number;
  failOverOnUnknownPost: boolean;
  tiers: RuntimeTier[];
  active: boolean;
  /** Pre-ping screening rules with their URLs and budgets resolved; empty: no screening. */
  screening: ScreenRule[];
  /** A running A/B test of the tree: variant B's tiers and the share of leads they get. */
  abTest?: RuntimeAbTest;
}

export interface RuntimeAbTest {
  name: string;
  /** Leads to variant B, in whole percent. */
  splitPercent: number;
  variantBTiers: RuntimeTier[];
  startedAt: number;
}

export interface RuntimeBuyer {
  id: string;
  spec: BuyerSpec;
  /** Consent name normalised for matching (see compliance/seller-name.ts). */
  consentKey: string;
  fixedPriceCents?: Cents;
  caps: { hourly?: number; daily?: number; dailyBudgetCents?: Cents };
  priority: number;
  active: boolean;
  pingTimeoutMs?: number;
  postTimeoutMs?: number;
  /** Ranking only, in whole percent (−20 ranks a $30 bid as $24); 0: none. */
  bidAdjustmentPercent: number;
}

export interface RuntimeSource {
  id: string;
  spec: SourceSpec;
  campaigns: Set<string>;
  rateLimitPerMinute: number;
  active: boolean;
  /** The source's own payout, overriding the campaign's; undefined: the campaign's. */
  payout?: RuntimePriceRule;
}

/** An immutable snapshot; a config change builds a new one, so an auction in flight keeps its own. */
export interface RuntimeConfig {
  revision: number;
  campaigns: Map<string, RuntimeCampaign>;
  buyers: Map<string, RuntimeBuyer>;
  sources: Map<string, RuntimeSource>;
}

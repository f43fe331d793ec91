import type { BuyerSpec, CampaignSpec, PriceRule, SourceSpec, TierSpec, Workspace } from '../../shared/domain.js';
import { normaliseSellerName } from '../compliance/seller-name.js';
import { toCents } from '../money.js';
import type { RuntimeBuyer, RuntimeCampaign, RuntimeConfig, RuntimePriceRule, RuntimeSource, RuntimeTier } from './runtime.js';
import { isContactField } from './validate-workspace.js';
import { compileScreening } from '../screen/compile-screening.js';

export const DEFAULT_SOURCE_RATE_PER_MINUTE = 6000;
export const DEFAULT_AUCTION_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_POST_ATTEMPTS = 3;

/** A campaign's bound on the whole auction; without one, never less than one ping round and one post. */
export function auctionTimeoutOf(c: Pick<CampaignSpec, 'auctionTimeoutMs' | 'pingTimeoutMs' | 'postTimeoutMs'>): number {
  return c.auctionTimeoutMs ?? Math.max(DEFAULT_AUCTION_TIMEOUT_MS, c.pingTimeoutMs + c.postTimeoutMs);
}

function compileRule(rule: PriceRule): RuntimePriceRule {
  return rule.type === 'fixed' ? { type: 'fixed', value: toCents(rule.value) } : { type: 'percent', value: Math.round(rule.value * 100) };
}

export function compileCampaign(c: CampaignSpec): RuntimeCampaign {
  const contactFields = new Set(Object.entries(c.fields).filter(([name, spec]) => isContactField(name, spec)).map(([name]) => name));
  return {
    id: c.id,
    spec: c,
    fields: c.fields,
    pingFields: c.pingFields.filter((f) => !contactFields.has(f)),
    contactFields,
    minPriceCents: toCents(c.minPrice),
    payout: compileRule(c.payout),
    margin: compileRule(c.margin),
    requireNamedSeller: c.requireNamedSeller,
    duplicateWindowMs: c.duplicateWindowDays * 86_400_000,
    pingTimeoutMs: c.pingTimeoutMs,
    postTimeoutMs: c.postTimeoutMs,
    auctionTimeoutMs: auctionTimeoutOf(c),
    maxPostAttempts: c.maxPostAttempts ?? DEFAULT_MAX_POST_ATTEMPTS,
    failOverOnUnknownPost: c.failOverOnUnknownPost === true,
    maxSales: c.maxSales ?? 1,
    tiers: compileTiers(c.tiers),
    active: c.active !== false,
    screening: compileScreening(c.screening),
    ...(c.abTest ? { abTest: { name: c.abTest.name, splitPercent: c.abTest.splitPercent, variantBTiers: compileTiers(c.abTest.variantB.tiers), startedAt: c.abTest.startedAt } } : {}),
  };
}

function compileTiers(tiers: TierSpec[]): RuntimeTier[] {
  return tiers.map((t, index) => ({ index, name: t.name, floorCents: toCents(t.floor), buyerIds: [...t.buyers], distribution: t.distribution ?? 'price', weights: { ...(t.weights ?? {}) } }));
}

export function compileBuyer(b: BuyerSpec): RuntimeBuyer {
  return {
    id: b.id,
    spec: b,
    consentKey: normaliseSellerName(b.consentName ?? b.name),
    fixedPriceCents: b.fixedPrice === undefined ? undefined : toCents(b.fixedPrice),
    caps: {
      hourly: b.caps?.hourly,
      daily: b.caps?.daily,
      dailyBudgetCents: b.caps?.dailyBudget === undefined ? undefined : toCents(b.caps.dailyBudget),
    },
    priority: b.priority ?? 0,
    active: b.active !== false,
    pingTimeoutMs: b.ping?.timeoutMs,
    postTimeoutMs: b.post.timeoutMs,
    bidAdjustmentPercent: b.bidAdjustmentPercent ?? 0,
  };
}

export function compileSource(s: SourceSpec): RuntimeSource {
  return {
    id: s.id,
    spec: s,
    campaigns: new Set(s.campaigns),
    rateLimitPerMinute: s.rateLimitPerMinute ?? DEFAULT_SOURCE_RATE_PER_MINUTE,
    active: s.active !== false,
    payout: s.payout === undefined ? undefined : compileRule(s.payout),
  };
}

export function compileWorkspace(ws: Workspace, revision: number): RuntimeConfig {
  return {
    revision,
    campaigns: new Map(ws.campaigns.map((c) => [c.id, compileCampaign(c)])),
    buyers: new Map(ws.buyers.map((b) => [b.id, compileBuyer(b)])),
    sources: new Map(ws.sources.map((s) => [s.id, compileSource(s)])),
  };
}

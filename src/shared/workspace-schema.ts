import { z } from 'zod';

/**
 * The workspace file of DESIGN.md §4 (money in dollars, times in ms). This schema is the single
 * definition: docs/workspace.schema.json is generated from it (`npm run schema`) and a test keeps
 * the two in step. Cross-references (tier buyers, source campaigns, ping fields) are checked in
 * `validateWorkspace`, which lists every problem by path.
 */

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'Use 1–64 letters, digits, "-", "_" or "." (no spaces), e.g. acme-insurance');
const dollars = z.number().min(0).max(1_000_000).refine((v) => Number.isInteger(Math.round(v * 100)) && Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'Use at most two decimals (whole cents), e.g. 12.50');
const ms = z.number().int().min(1).max(120_000);

export const fieldSpecSchema = z.strictObject({
  type: z.enum(['string', 'phone', 'email', 'state', 'zip', 'integer', 'number', 'boolean', 'date', 'enum']),
  required: z.boolean().optional(),
  contact: z.boolean().optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  maxLength: z.number().int().positive().optional(),
  values: z.array(z.string()).optional(),
});

export const priceRuleSchema = z.strictObject({
  type: z.enum(['fixed', 'percent']),
  value: z.number().min(0),
});

/** See shared/dynamic-floor.ts: a tier floor recomputed on a schedule from the market. */
export const dynamicFloorSchema = z
  .strictObject({
    enabled: z.boolean(),
    basis: z.enum(['winningBids', 'predictedValue']),
    percentile: z.number().int().min(1).max(99),
    windowMs: z.number().int().min(60_000).max(90 * 86_400_000),
    minSamples: z.number().int().min(1).max(10_000).optional(),
    min: dollars,
    max: dollars,
    maxStep: dollars.refine((v) => v > 0, 'a step above zero'),
    intervalMs: z.number().int().min(1000).max(7 * 86_400_000),
  })
  .refine((d) => d.min <= d.max, { message: 'min is above max', path: ['min'] });

export const tierSchema = z.strictObject({
  name: z.string().min(1).max(80),
  floor: dollars,
  buyers: z.array(id),
  /** How the tier picks among valid bids: `price` (default), `weighted` or `round_robin`. */
  distribution: z.enum(['price', 'weighted', 'round_robin']).optional(),
  /** Per buyer weight for `weighted` distribution (default 1). */
  weights: z.record(z.string(), z.number().int().min(0).max(1000)).optional(),
  dynamicFloor: dynamicFloorSchema.optional(),
});

/** A pre-ping screening rule (see engine/screen/). `apiKey` is write-only: exports and listings leave it out. */
export const screeningRuleSchema = z.strictObject({
  type: z.enum(['trustedform', 'trestle', 'ipqs']),
  url: z.url({ protocol: /^https?$/, error: 'Enter a full web address starting with http:// or https://' }).optional(),
  apiKey: z.string().min(1).max(500).optional(),
  action: z.enum(['reject', 'flag']),
  onError: z.enum(['reject', 'flag']).optional(),
  timeoutMs: z.number().int().min(50).max(10_000).default(1000),
  minActivityScore: z.number().int().min(0).max(100).optional(),
  maxFraudScore: z.number().int().min(0).max(100).optional(),
});

/** An A/B test of the ping tree (see engine/auction/choose-variant.ts): variant A is the campaign's own tiers. */
export const abTestSchema = z.strictObject({
  name: z.string().min(1).max(80),
  splitPercent: z.number().int().min(1).max(99),
  variantB: z.strictObject({ tiers: z.array(tierSchema) }),
  startedAt: z.number().int().nonnegative(),
});

export const campaignSchema = z.strictObject({
  id,
  name: z.string().min(1).max(120),
  vertical: z.string().min(1).max(80),
  fields: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'Field names use lower_snake_case, e.g. vehicle_year'), fieldSpecSchema),
  pingFields: z.array(z.string()),
  minPrice: dollars.default(0),
  payout: priceRuleSchema.default({ type: 'percent', value: 70 }),
  margin: priceRuleSchema.default({ type: 'fixed', value: 0 }),
  requireNamedSeller: z.boolean().default(false),
  duplicateWindowDays: z.number().int().min(0).max(3650).default(30),
  pingTimeoutMs: ms.default(300),
  postTimeoutMs: ms.default(2000),
  /**
   * The whole auction, every tier and every post, ends by then (DESIGN.md §3). Absent: 5000 ms, or
   * the ping and post timeouts together when they are longer (so older files keep importing).
   */
  auctionTimeoutMs: ms.optional(),
  /** How many buyers may receive one lead's full record. */
  maxPostAttempts: z.number().int().min(1).max(20).default(3),
  /** Shared leads: one lead is sold to up to this many buyers (each post a sale); 1 is exclusive. */
  maxSales: z.number().int().min(1).max(20).optional(),
  /** Post to the next bid even after an unknown outcome (timeout, 5xx, dropped connection). */
  failOverOnUnknownPost: z.boolean().default(false),
  /** How long an inbound ping's bids are held for its post (`POST /v1/ping`); absent: 60. */
  pingTtlSeconds: z.number().int().min(1).max(3600).optional(),
  /** The answer to `POST /v1/ping` lists the bidding buyers' consent names (`sellers`). */
  pingConsentNames: z.boolean().optional(),
  tiers: z.array(tierSchema).default([]),
  active: z.boolean().optional(),
  /** Pre-ping screening: one rule per vendor, run at once before any buyer is pinged. */
  screening: z.array(screeningRuleSchema).max(3).optional(),
  /** A running A/B test: a share of leads is auctioned on variant B's tiers instead. */
  abTest: abTestSchema.optional(),
});

const keyHash = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'A key hash is "sha256:" and 64 hex digits');

export const sourceSchema = z.strictObject({
  id,
  name: z.string().min(1).max(120),
  apiKey: z.string().min(12, 'An API key has at least 12 characters').optional(),
  apiKeyHashes: z.array(keyHash).optional(),
  campaigns: z.array(id),
  rateLimitPerMinute: z.number().int().positive().optional(),
  active: z.boolean().optional(),
  /** An approved return takes the source's payout back (a `clawback` in the ledger). */
  clawback: z.boolean().optional(),
  /** This source's own payout, overriding the campaign's for its leads. */
  payout: priceRuleSchema.optional(),
});

const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, 'A header name uses only letters, digits and "-"');

export const authSchema = z.strictObject({
  type: z.enum(['none', 'bearer', 'basic', 'header']),
  token: z.string().optional(),
  username: z.string().optional(),
  password: z.string().optional(),
  header: headerName.optional(),
  value: z.string().optional(),
});

export const templateSchema = z.strictObject({
  format: z.enum(['json', 'form', 'xml']),
  fields: z.record(z.string(), z.string()).optional(),
  static: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  root: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]*$/).optional(),
  response: z
    .strictObject({
      format: z.enum(['json', 'form', 'xml', 'text']).optional(),
      bidPath: z.string().optional(),
      tokenPath: z.string().optional(),
      acceptedPath: z.string().optional(),
      acceptedValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
      reasonPath: z.string().optional(),
      buyerRefPath: z.string().optional(),
    })
    .optional(),
});

export const endpointSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'Enter a full web address starting with http:// or https://' }),
  timeoutMs: ms.optional(),
  method: z.enum(['POST', 'PUT']).optional(),
  headers: z.record(headerName, z.string()).optional(),
  auth: authSchema.optional(),
  template: templateSchema.optional(),
});

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM, e.g. 08:00');

export const buyerSchema = z.strictObject({
  id,
  name: z.string().min(1).max(120),
  consentName: z.string().max(200).optional(),
  apiKey: z.string().min(12, 'An API key has at least 12 characters').optional(),
  apiKeyHashes: z.array(keyHash).optional(),
  ping: endpointSchema.optional(),
  post: endpointSchema,
  fixedPrice: dollars.optional(),
  filters: z
    .strictObject({
      states: z.array(z.string().length(2, 'Use a two-letter state code such as TX')).optional(),
      excludeStates: z.array(z.string().length(2, 'Use a two-letter state code such as TX')).optional(),
      zips: z.array(z.string().regex(/^\d{3,5}$/, 'Enter a zip or zip prefix of 3–5 digits, e.g. 787')).optional(),
      excludeZips: z.array(z.string().regex(/^\d{3,5}$/, 'Enter a zip or zip prefix of 3–5 digits, e.g. 787')).optional(),
      rules: z
        .array(
          z.strictObject({
            field: z.string(),
            op: z.enum(['eq', 'neq', 'in', 'nin', 'gte', 'lte', 'gt', 'lt', 'exists']),
            value: z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))]).optional(),
          }),
        )
        .optional(),
      campaigns: z.array(id).optional(),
    })
    .optional(),
  caps: z
    .strictObject({
      hourly: z.number().int().min(0).optional(),
      daily: z.number().int().min(0).optional(),
      dailyBudget: dollars.optional(),
    })
    .optional(),
  schedule: z
    .strictObject({
      timezone: z.string().refine(isTimeZone, 'Pick a time zone such as America/Chicago'),
      days: z.array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).optional(),
      from: hhmm.optional(),
      to: hhmm.optional(),
    })
    .optional(),
  priority: z.number().int().optional(),
  active: z.boolean().optional(),
  paused: z.boolean().optional(),
  /** Return requests inside `windowDays` of the sale that keep the buyer under `maxRatePercent` are approved at once. */
  returns: z.strictObject({ windowDays: z.number().int().min(0).max(365), maxRatePercent: z.number().min(0).max(100) }).optional(),
  /** Ranking only: −20 ranks a $30 bid as $24; the buyer is still charged its own bid. */
  bidAdjustmentPercent: z.number().int().min(-100).max(100).optional(),
});

export const workspaceSchema = z.strictObject({
  version: z.literal(1),
  campaigns: z.array(campaignSchema).default([]),
  sources: z.array(sourceSchema).default([]),
  buyers: z.array(buyerSchema).default([]),
});

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

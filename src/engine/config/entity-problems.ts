import type { BuyerSpec, CampaignSpec, SourceSpec } from '../../shared/domain.js';
import type { ErrorDetail } from '../../shared/errors.js';
import { buyerSchema, campaignSchema, sourceSchema } from '../workspace/schema.js';
import { campaignProblems, issuesToDetails } from '../workspace/validate-workspace.js';

/**
 * Every problem of a campaign, source or buyer as the console sends it, all at once: the shape
 * (zod) and the rules beyond it are checked together wherever the rule can be read from the raw
 * input, so a broker never fixes one field to be shown the next. Paths are relative to the entity.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: ErrorDetail[] };

export function checkBuyer(input: unknown): Checked<BuyerSpec> {
  const parsed = buyerSchema.safeParse(input);
  const problems = parsed.success ? [] : issuesToDetails(parsed.error.issues);
  const raw = (input ?? {}) as Partial<Record<keyof BuyerSpec, unknown>>;
  if (raw.ping === undefined && raw.fixedPrice === undefined && !problems.some((p) => p.field === 'fixedPrice')) {
    problems.push({ field: 'fixedPrice', message: 'A buyer without a ping URL needs a fixed price' });
  }
  return problems.length || !parsed.success ? { ok: false, problems } : { ok: true, value: parsed.data as BuyerSpec };
}

export function checkSource(input: unknown, campaignIds: ReadonlySet<string>): Checked<SourceSpec> {
  const parsed = sourceSchema.safeParse(input);
  const problems = parsed.success ? [] : issuesToDetails(parsed.error.issues);
  const campaigns = (input as { campaigns?: unknown } | null)?.campaigns;
  if (Array.isArray(campaigns)) {
    campaigns.forEach((c, i) => {
      if (typeof c === 'string' && !campaignIds.has(c)) problems.push({ field: `campaigns[${i}]`, message: `There is no campaign "${c}"` });
    });
  }
  return problems.length || !parsed.success ? { ok: false, problems } : { ok: true, value: parsed.data as SourceSpec };
}

/** The cross-field rules need a well-formed campaign; with shape problems they are checked when those are fixed. */
export function checkCampaign(input: unknown, buyerIds: ReadonlySet<string>): Checked<CampaignSpec> {
  const parsed = campaignSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: issuesToDetails(parsed.error.issues) };
  const value = parsed.data as CampaignSpec;
  const problems = campaignProblems(value, new Set(buyerIds));
  return problems.length ? { ok: false, problems } : { ok: true, value };
}

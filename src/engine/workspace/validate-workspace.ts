import type { z } from 'zod';
import type { CampaignSpec, Workspace } from '../../shared/domain.js';
import type { ErrorDetail } from '../../shared/errors.js';
import { PingdeskError } from '../../shared/errors.js';
import { plainIssueMessage } from '../../shared/plain-messages.js';
import { campaignSchema, workspaceSchema } from './schema.js';

import { isContactField } from '../../shared/contact-fields.js';
import { screeningProblems } from '../screen/compile-screening.js';

export { CONTACT_FIELD_NAMES, isContactField } from '../../shared/contact-fields.js';

/** zod issues as error details: a dotted path and a message in the broker's words, never zod's. */
export function issuesToDetails(issues: z.core.$ZodIssue[], prefix: Array<string | number> = []): ErrorDetail[] {
  return issues.map((issue) => ({ field: formatPath([...prefix, ...(issue.path as Array<string | number>)]), message: plainIssueMessage(issue) }));
}

export function formatPath(path: Array<string | number | symbol>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}

/** The rules a campaign must meet beyond its shape. Paths are relative to the campaign. */
export function campaignProblems(c: CampaignSpec, buyerIds?: Set<string>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  c.pingFields.forEach((f, i) => {
    const spec = c.fields[f];
    if (!spec) problems.push({ field: `pingFields[${i}]`, message: `"${f}" is not a field of the campaign` });
    else if (isContactField(f, spec)) problems.push({ field: `pingFields[${i}]`, message: `"${f}" is a contact field and can never be pinged` });
  });
  problems.push(...tierProblems(c.tiers, 'tiers', buyerIds));
  // Variant B of an A/B test is a whole tree of its own, held to the same rules.
  if (c.abTest) problems.push(...tierProblems(c.abTest.variantB.tiers, 'abTest.variantB.tiers', buyerIds));
  for (const [name, spec] of Object.entries(c.fields)) {
    if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) problems.push({ field: `fields.${name}.min`, message: 'min is above max' });
    if (spec.type === 'enum' && !spec.values?.length) problems.push({ field: `fields.${name}.values`, message: 'an enum field needs values' });
  }
  if (c.auctionTimeoutMs !== undefined && c.auctionTimeoutMs < c.pingTimeoutMs + c.postTimeoutMs) {
    problems.push({ field: 'auctionTimeoutMs', message: `the auction needs at least the ping and post timeouts (${c.pingTimeoutMs + c.postTimeoutMs} ms) to sell anything` });
  }
  if (c.payout.type === 'percent' && c.payout.value > 100) problems.push({ field: 'payout.value', message: 'a percent is at most 100' });
  if (c.margin.type === 'percent' && c.margin.value > 100) problems.push({ field: 'margin.value', message: 'a percent is at most 100' });
  problems.push(...screeningProblems(c.screening));
  return problems;
}

function tierProblems(tiers: CampaignSpec['tiers'], path: string, buyerIds?: Set<string>): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const seenTierBuyers = new Set<string>();
  tiers.forEach((t, ti) => {
    t.buyers.forEach((b, bi) => {
      if (buyerIds && !buyerIds.has(b)) problems.push({ field: `${path}[${ti}].buyers[${bi}]`, message: `no buyer "${b}"` });
      if (seenTierBuyers.has(b)) problems.push({ field: `${path}[${ti}].buyers[${bi}]`, message: `buyer "${b}" is in more than one tier` });
      seenTierBuyers.add(b);
    });
  });
  return problems;
}

/** Parses and checks a whole workspace; throws `invalid_workspace` listing every problem by path. */
export function validateWorkspace(input: unknown): Workspace {
  const parsed = workspaceSchema.safeParse(input);
  if (!parsed.success) {
    throw new PingdeskError('invalid_workspace', 'The workspace file has problems', { details: issuesToDetails(parsed.error.issues) });
  }
  const ws = parsed.data as Workspace;
  const problems: ErrorDetail[] = [];
  const buyerIds = new Set<string>();
  const campaignIds = new Set<string>();
  duplicates(ws.campaigns.map((c) => c.id), 'campaigns', problems);
  duplicates(ws.sources.map((s) => s.id), 'sources', problems);
  duplicates(ws.buyers.map((b) => b.id), 'buyers', problems);
  ws.buyers.forEach((b, i) => {
    buyerIds.add(b.id);
    if (!b.ping && b.fixedPrice === undefined) problems.push({ field: `buyers[${i}].fixedPrice`, message: 'a buyer without a ping URL needs a fixedPrice' });
  });
  ws.campaigns.forEach((c, i) => {
    campaignIds.add(c.id);
    for (const p of campaignProblems(c, buyerIds)) problems.push({ field: `campaigns[${i}].${p.field}`, message: p.message });
  });
  ws.sources.forEach((s, i) => {
    if (s.payout?.type === 'percent' && s.payout.value > 100) problems.push({ field: `sources[${i}].payout.value`, message: 'a percent payout is at most 100' });
    s.campaigns.forEach((c, ci) => {
      if (!campaignIds.has(c)) problems.push({ field: `sources[${i}].campaigns[${ci}]`, message: `no campaign "${c}"` });
    });
  });
  const keys = new Map<string, string>();
  [...ws.sources.map((s, i) => [s.apiKey, `sources[${i}].apiKey`] as const), ...ws.buyers.map((b, i) => [b.apiKey, `buyers[${i}].apiKey`] as const)].forEach(([key, path]) => {
    if (!key) return;
    if (keys.has(key)) problems.push({ field: path, message: `the same key is already used at ${keys.get(key)}` });
    keys.set(key, path);
  });
  if (problems.length) throw new PingdeskError('invalid_workspace', 'The workspace file has problems', { details: problems });
  return ws;
}

export function parseCampaign(input: unknown): CampaignSpec {
  const parsed = campaignSchema.safeParse(input);
  if (!parsed.success) throw new PingdeskError('validation_failed', 'The campaign has problems', { details: issuesToDetails(parsed.error.issues) });
  return parsed.data as CampaignSpec;
}

function duplicates(ids: string[], where: string, problems: ErrorDetail[]): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) problems.push({ field: `${where}[${i}].id`, message: `duplicate id "${id}"` });
    seen.add(id);
  });
}

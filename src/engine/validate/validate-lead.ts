import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import type { ErrorDetail } from '../../shared/errors.js';
import type { RuntimeCampaign } from '../workspace/runtime.js';
import { isBlank, normaliseField } from './normalise-field.js';
import { validateConsent } from './validate-consent.js';

export interface ValidLead {
  fields: LeadFields;
  consent: ConsentRecord;
  test: boolean;
  /**
   * Paths of keys the campaign does not define (`fields.favourite_color`, `consent.foo`, `utm`):
   * not stored, and worth telling the source about.
   */
  dropped: string[];
}

export type LeadValidation = { ok: true; lead: ValidLead } | { ok: false; details: ErrorDetail[] };

const BODY_KEYS = new Set(['campaign', 'fields', 'consent', 'test']);

/**
 * Validates an intake body (DESIGN.md §4) against its campaign and returns the normalised lead.
 * Every problem is listed, by path, so a source can fix a lead in one round trip.
 * `now` (epoch ms) bounds the consent capture time.
 */
export function validateLead(campaign: RuntimeCampaign, body: unknown, now: number): LeadValidation {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, details: [{ field: '(root)', message: 'the body must be a JSON object' }] };
  }
  const input = body as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  const dropped = Object.keys(input).filter((k) => !BODY_KEYS.has(k));

  if (input.campaign !== undefined && input.campaign !== campaign.id) {
    details.push({ field: 'campaign', message: `must be "${campaign.id}"` });
  }

  const fields = readFields(campaign, input.fields, details, dropped);
  const consent = validateConsent(input.consent, now);
  details.push(...consent.details);
  dropped.push(...consent.dropped);

  if (input.test !== undefined && typeof input.test !== 'boolean') {
    details.push({ field: 'test', message: 'must be true or false' });
  }

  if (details.length || !consent.consent) return { ok: false, details };
  return { ok: true, lead: { fields, consent: consent.consent, test: input.test === true, dropped } };
}

function readFields(campaign: RuntimeCampaign, raw: unknown, details: ErrorDetail[], dropped: string[]): LeadFields {
  const fields: LeadFields = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    details.push({ field: 'fields', message: raw === undefined ? 'fields are required' : 'must be an object' });
    return fields;
  }
  const input = raw as Record<string, unknown>;
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(campaign.fields, key)) dropped.push(`fields.${key}`);
  }
  for (const [name, spec] of Object.entries(campaign.fields)) {
    const value = Object.hasOwn(input, name) ? input[name] : undefined;
    if (isBlank(value)) {
      if (spec.required) details.push({ field: `fields.${name}`, message: 'is required' });
      continue;
    }
    const result = normaliseField(spec, value);
    if (result.ok) fields[name] = result.value;
    else details.push({ field: `fields.${name}`, message: result.message });
  }
  return fields;
}

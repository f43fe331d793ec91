import { createHmac, randomBytes } from 'node:crypto';
import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import { CONTACT_FIELD_NAMES } from '../../shared/contact-fields.js';
import { canonicalJson } from './canonical-json.js';

/** Consent details that identify the consumer or their visit; erasure may remove them. */
export const CONSENT_CONTACT_KEYS: readonly string[] = ['ip', 'user_agent', 'page_url', 'trustedform_cert_url', 'leadid_token'];

/**
 * What a lead's `received` event says about the record and consent as received, in two parts:
 * - `kept`: HMAC (keyed with the database's contact salt) of the non-contact fields and the consent
 *   minus its contact keys (text, time, sellers). Erasure leaves these, so they stay checkable forever.
 * - `contact`: HMAC of the contact fields and contact consent keys, keyed with a random per-lead key kept
 *   in `lead_record_keys`. Erasure destroys that key, after which the hash cannot confirm any guess.
 */
export interface LeadRecordHash {
  v: 1;
  kept: string;
  contact: string;
  /** Names (never values) of the fields counted as contact data when the lead was received. */
  contactFields: string[];
}

export type LeadRecordStatus = 'intact' | 'erased' | 'changed';

interface RecordParts {
  kept: { fields: LeadFields; consent: Record<string, unknown> };
  contact: { fields: LeadFields; consent: Record<string, unknown> };
}

/** Splits a record as stored (after a JSON round trip, so the hash of the same values never differs). */
function splitRecord(fields: LeadFields, consent: ConsentRecord, contactFields: ReadonlySet<string>): RecordParts {
  const stored = JSON.parse(JSON.stringify({ fields, consent })) as { fields: LeadFields; consent: Record<string, unknown> };
  const parts: RecordParts = { kept: { fields: {}, consent: {} }, contact: { fields: {}, consent: {} } };
  for (const [name, value] of Object.entries(stored.fields)) {
    (contactFields.has(name) ? parts.contact.fields : parts.kept.fields)[name] = value;
  }
  for (const [key, value] of Object.entries(stored.consent)) {
    (CONSENT_CONTACT_KEYS.includes(key) ? parts.contact.consent : parts.kept.consent)[key] = value;
  }
  return parts;
}

function hmac(key: string, value: unknown): string {
  return createHmac('sha256', key).update(canonicalJson(value)).digest('hex');
}

export function newRecordKey(): string {
  return randomBytes(32).toString('hex');
}

/** The hash put into the `received` event. `contactFields` are the campaign's; well-known names count too. */
export function hashLeadRecord(salt: string, recordKey: string, fields: LeadFields, consent: ConsentRecord, contactFields: Iterable<string>): LeadRecordHash {
  const names = new Set<string>();
  for (const name of contactFields) names.add(name);
  for (const name of Object.keys(fields)) if (CONTACT_FIELD_NAMES.has(name)) names.add(name);
  const parts = splitRecord(fields, consent, names);
  return { v: 1, kept: hmac(salt, parts.kept), contact: hmac(recordKey, parts.contact), contactFields: [...names].sort() };
}

/**
 * Compares a lead row with the hash in its `received` event. An erased lead is `erased` when its kept
 * part still matches (its contact part is gone with its key); a lead that is not erased must match in
 * both parts and still have its key.
 */
export function checkLeadRecord(
  salt: string,
  lead: { fields: LeadFields; consent: ConsentRecord; erasedAt?: number | null },
  sealed: LeadRecordHash,
  recordKey: string | null,
): { status: LeadRecordStatus; part?: 'kept' | 'contact' } {
  const parts = splitRecord(lead.fields, lead.consent, new Set(sealed.contactFields));
  if (hmac(salt, parts.kept) !== sealed.kept) return { status: 'changed', part: 'kept' };
  if (lead.erasedAt != null) return { status: 'erased' };
  if (!recordKey || hmac(recordKey, parts.contact) !== sealed.contact) return { status: 'changed', part: 'contact' };
  return { status: 'intact' };
}

export function isLeadRecordHash(value: unknown): value is LeadRecordHash {
  const v = value as Partial<LeadRecordHash> | null;
  return typeof v === 'object' && v !== null && v.v === 1 && typeof v.kept === 'string' && typeof v.contact === 'string' && Array.isArray(v.contactFields);
}

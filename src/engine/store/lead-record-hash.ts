import { createHmac } from 'node:crypto';
import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import { CONTACT_FIELD_NAMES } from '../../shared/contact-fields.js';
import { canonicalJson } from './canonical-json.js';

/** Consent details that identify the consumer or their visit; erasure may remove them. */
export const CONSENT_CONTACT_KEYS: readonly string[] = ['ip', 'user_agent', 'page_url', 'trustedform_cert_url', 'leadid_token'];

/**
 * What a lead's `received` event says about the record and consent as received, in two parts, both
 * HMACs keyed with the lead's own key (`leads.lead_key`, the key erasure destroys):
 * - `kept`: the non-contact fields and the consent minus its contact keys (text, time, sellers);
 * - `contact`: the contact fields and the consent's contact keys.
 * Nothing in either part can be tested against a guess without the lead's key: not a phone among the
 * fields, nor one a source wrote into the consent text. The split only tells verify which part changed.
 */
export interface LeadRecordHash {
  v: 1;
  kept: string;
  contact: string;
  /** Names (never values) of the fields counted as contact data when the lead was received. */
  contactFields: string[];
}

/**
 * How the row stood against its record hash when erasure ran (recorded in the `erased` event):
 * `unhashed` for a lead received before record hashes existed.
 */
export type PriorRecord = 'intact' | 'changed' | 'unhashed';

/** What an `erased` event (the receipt) says about the record; `resealed` is what verify checks from then on. */
export interface ErasureSeal {
  priorRecord: PriorRecord;
  /** HMAC, keyed with the database's contact salt, of the row as erasure left it (no contact data by construction). */
  resealed: string;
}

export type LeadRecordStatus = 'intact' | 'erased' | 'changed';

export type LeadRecordCheck =
  | { status: 'intact' | 'erased' }
  | { status: 'changed'; part: 'kept' | 'contact' | 'before_erasure' | 'after_erasure' | 'no_receipt' };

interface RecordParts {
  kept: { fields: LeadFields; consent: Record<string, unknown> };
  contact: { fields: LeadFields; consent: Record<string, unknown> };
}

/** As stored (after a JSON round trip, so the hash of the same values never differs). */
function stored(fields: LeadFields, consent: ConsentRecord): { fields: LeadFields; consent: Record<string, unknown> } {
  return JSON.parse(JSON.stringify({ fields, consent })) as { fields: LeadFields; consent: Record<string, unknown> };
}

function splitRecord(fields: LeadFields, consent: ConsentRecord, contactFields: ReadonlySet<string>): RecordParts {
  const record = stored(fields, consent);
  const parts: RecordParts = { kept: { fields: {}, consent: {} }, contact: { fields: {}, consent: {} } };
  for (const [name, value] of Object.entries(record.fields)) {
    (contactFields.has(name) ? parts.contact.fields : parts.kept.fields)[name] = value;
  }
  for (const [key, value] of Object.entries(record.consent)) {
    (CONSENT_CONTACT_KEYS.includes(key) ? parts.contact.consent : parts.kept.consent)[key] = value;
  }
  return parts;
}

function hmac(key: string | Buffer, value: unknown): string {
  return createHmac('sha256', key).update(canonicalJson(value)).digest('hex');
}

/** The hash put into the `received` event, keyed with the lead's key. `contactFields` are the campaign's; well-known names count too. */
export function hashLeadRecord(leadKey: Buffer, fields: LeadFields, consent: ConsentRecord, contactFields: Iterable<string>): LeadRecordHash {
  const names = new Set<string>();
  for (const name of contactFields) names.add(name);
  for (const name of Object.keys(fields)) if (CONTACT_FIELD_NAMES.has(name)) names.add(name);
  const parts = splitRecord(fields, consent, names);
  return { v: 1, kept: hmac(leadKey, parts.kept), contact: hmac(leadKey, parts.contact), contactFields: [...names].sort() };
}

/** Compares a lead row that is not erased with its record hash; the lead's key must still be there. */
export function checkLeadRecord(lead: { fields: LeadFields; consent: ConsentRecord }, sealed: LeadRecordHash, leadKey: Buffer | null): LeadRecordCheck {
  if (!leadKey) return { status: 'changed', part: 'contact' };
  const parts = splitRecord(lead.fields, lead.consent, new Set(sealed.contactFields));
  if (hmac(leadKey, parts.kept) !== sealed.kept) return { status: 'changed', part: 'kept' };
  if (hmac(leadKey, parts.contact) !== sealed.contact) return { status: 'changed', part: 'contact' };
  return { status: 'intact' };
}

/** The seal of an erased row: keyed with the global salt, since the row holds nothing about the consumer any more. */
export function sealErasedRecord(salt: string, fields: LeadFields, consent: ConsentRecord): string {
  return hmac(salt, stored(fields, consent));
}

/**
 * What erasure records about the row it is about to erase. A row not yet erased is checked against
 * its record hash with its key (before the key is destroyed); a row erased before is checked against
 * its latest receipt, whose verdict carries over.
 */
export function priorRecordOf(
  salt: string,
  lead: { fields: LeadFields; consent: ConsentRecord; erased: boolean },
  sealed: unknown,
  leadKey: Buffer | null,
  lastReceipt: unknown,
): PriorRecord {
  if (lead.erased) return checkErasedRecord(salt, lead, isLeadRecordHash(sealed), lastReceipt).status === 'erased' ? (lastReceipt as ErasureSeal).priorRecord : 'changed';
  if (!isLeadRecordHash(sealed)) return 'unhashed';
  return checkLeadRecord(lead, sealed, leadKey).status === 'intact' ? 'intact' : 'changed';
}

/**
 * Checks an erased row against its latest `erased` event: the record must have been intact when it
 * was erased (or unhashed, for a lead received before record hashes existed) and must still match
 * the seal erasure left.
 */
export function checkErasedRecord(salt: string, lead: { fields: LeadFields; consent: ConsentRecord }, hashed: boolean, receipt: unknown): LeadRecordCheck {
  if (!isErasureSeal(receipt)) return { status: 'changed', part: 'no_receipt' };
  const expected: PriorRecord = hashed ? 'intact' : 'unhashed';
  if (receipt.priorRecord !== expected) return { status: 'changed', part: 'before_erasure' };
  if (sealErasedRecord(salt, lead.fields, lead.consent) !== receipt.resealed) return { status: 'changed', part: 'after_erasure' };
  return { status: 'erased' };
}

export function isLeadRecordHash(value: unknown): value is LeadRecordHash {
  const v = value as Partial<LeadRecordHash> | null;
  return typeof v === 'object' && v !== null && v.v === 1 && typeof v.kept === 'string' && typeof v.contact === 'string' && Array.isArray(v.contactFields);
}

export function isErasureSeal(value: unknown): value is ErasureSeal {
  const v = value as Partial<ErasureSeal> | null;
  return typeof v === 'object' && v !== null && typeof v.resealed === 'string' && (v.priorRecord === 'intact' || v.priorRecord === 'changed' || v.priorRecord === 'unhashed');
}

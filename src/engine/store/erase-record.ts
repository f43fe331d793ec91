import type { ConsentRecord, LeadFields } from '../../shared/domain.js';
import { CONTACT_FIELD_NAMES } from '../../shared/contact-fields.js';
import { maskContact } from '../compliance/mask-contact.js';
import { maskFreeText } from '../compliance/mask-free-text.js';

/** What a consent keeps after erasure: the disclosure the consumer agreed to, not who they are. */
const CONSENT_KEPT = new Set(['text', 'captured_at', 'sellers']);

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{10,}$/;

export interface ScrubbedLead {
  fields: LeadFields;
  consent: ConsentRecord;
  /** Field names that held a value and were blanked. */
  erasedFields: string[];
  /** Consent keys that were removed. */
  erasedConsent: string[];
}

/**
 * Every value of a lead that identifies the consumer: its contact fields (as flagged when it arrived)
 * and the consent's IP, user agent, page, certificate and LeadiD token. Used to mask free text and
 * to find copies of the lead outside the database; never stored.
 */
export function contactValuesOf(fields: LeadFields, consent: ConsentRecord, contactFields: readonly string[] | null): string[] {
  const names = contactFieldsOf(fields, contactFields);
  const values: string[] = [];
  for (const name of names) if (typeof fields[name] === 'string' && fields[name] !== '') values.push(fields[name] as string);
  for (const [key, value] of Object.entries(consent)) if (!CONSENT_KEPT.has(key) && typeof value === 'string' && value !== '') values.push(value);
  return values;
}

/**
 * The fields erasure blanks: those recorded as contact fields at intake, every name the product treats
 * as contact data, and any field whose value is shaped like a phone or an email. The union errs on the
 * side of erasing; it never depends on today's campaign configuration.
 */
export function contactFieldsOf(fields: LeadFields, recorded: readonly string[] | null): string[] {
  const names = new Set(recorded ?? []);
  for (const [name, value] of Object.entries(fields)) {
    if (CONTACT_FIELD_NAMES.has(name)) names.add(name);
    else if (typeof value === 'string' && (EMAIL.test(value.trim()) || (PHONE.test(value.trim()) && value.replace(/\D/g, '').length >= 10))) names.add(name);
  }
  return [...names].filter((n) => n in fields).sort();
}

/** The lead as erasure leaves it: contact fields null, consent reduced to its disclosure, with the consumer masked in its text and sellers. */
export function scrubLead(fields: LeadFields, consent: ConsentRecord, recorded: readonly string[] | null): ScrubbedLead {
  const values = contactValuesOf(fields, consent, recorded);
  const outFields: LeadFields = { ...fields };
  const erasedFields: string[] = [];
  for (const name of contactFieldsOf(fields, recorded)) {
    if (outFields[name] !== null) erasedFields.push(name);
    outFields[name] = null;
  }
  const erasedConsent = Object.keys(consent).filter((k) => !CONSENT_KEPT.has(k)).sort();
  const outConsent: ConsentRecord = { text: maskContact(consent.text, values) ?? '', captured_at: consent.captured_at };
  // Seller names are the source's free text: kept, with anything identifying the consumer masked.
  if (consent.sellers) outConsent.sellers = consent.sellers.map((name) => maskFreeText(name, values) ?? '');
  return { fields: outFields, consent: outConsent, erasedFields, erasedConsent };
}

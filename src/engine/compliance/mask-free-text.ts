import { contactMask, type ContactMask } from './mask-contact.js';

const EMAIL = /[^\s@<>()[\]"',;:]+@[^\s@<>()[\]"',;:]+\.[a-z]{2,}/giu;
/** Ten or more digits, with the punctuation phones are written in (a bare year or price stays). */
const PHONE = /(?<![\p{L}\p{N}])\+?\(?\d(?:[\s().-]*\d){9,14}(?![\p{N}])/gu;

/**
 * Text from outside (a buyer's feedback or rejection reason, its reference, an error it answered
 * with) before it is stored anywhere, the audit trail included: the lead's own contact values are
 * masked where they appear (see maskContact: names, phone in any punctuation, email, IP, page and
 * certificate URLs), then anything else shaped like an email or a phone number, since a buyer may
 * also quote a consumer the lead does not name (a spouse's number). Addresses and URLs of the buyer's
 * own servers stay readable: error texts need them. What is left says why, not who.
 */
export function maskFreeText(text: string | null | undefined, values: readonly unknown[] | ContactMask = []): string | null {
  if (text === null || text === undefined) return null;
  const own = (typeof values === 'function' ? values : contactMask(values))(text) ?? '';
  return own.replace(EMAIL, '[redacted]').replace(PHONE, '[redacted]');
}

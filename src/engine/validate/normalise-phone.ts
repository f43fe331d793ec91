import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** The longest input worth parsing; anything longer is not a phone number. */
const MAX_PHONE_INPUT = 40;

/**
 * A phone number in E.164 ("+15125550142"), or null when the input is not a valid number.
 * National formats are read as US numbers ("(512) 555-0142"); numbers with a "+" keep their country.
 * The same function normalises intake fields and search queries, so both hash the same string.
 */
export function normalisePhone(value: unknown): string | null {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) text = String(value);
  else return null;
  if (!text || text.length > MAX_PHONE_INPUT) return null;
  const parsed = parsePhoneNumberFromString(text, 'US');
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

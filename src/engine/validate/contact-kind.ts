import { normaliseEmail } from './normalise-email.js';
import { normalisePhone } from './normalise-phone.js';

export type ContactKind = 'phone' | 'email';

/** A typed contact value: its kind, and its normalised form or null when it is not a valid one of that kind. */
export interface ContactValue {
  kind: ContactKind;
  normalised: string | null;
}

/**
 * "Phone or email?" for text an operator typed (a search, a suppression entry). Text with an "@" can only
 * be an email; anything else is read as a phone number. The one place the console and the store decide it.
 */
export function readContact(text: string): ContactValue {
  return text.includes('@') ? { kind: 'email', normalised: normaliseEmail(text) } : { kind: 'phone', normalised: normalisePhone(text) };
}

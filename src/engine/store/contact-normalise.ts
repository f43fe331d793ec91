/**
 * The store normalises search queries and suppression rows with the same functions as intake, so
 * a value hashes to the same string wherever it comes from.
 */
export { normaliseEmail } from '../validate/normalise-email.js';
export { normalisePhone } from '../validate/normalise-phone.js';

/** Last four digits: enough for an operator to recognise a number, useless to call it. */
export function phoneHint(e164: string): string {
  return e164.slice(-4);
}

export function emailHint(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.charAt(0)}***@${email.slice(at + 1)}`;
}

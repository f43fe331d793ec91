import { parsePhoneNumberFromString } from 'libphonenumber-js';

/** A US-default phone in E.164, or null when it is not a valid number. */
export function normalisePhone(value: string): string | null {
  const parsed = parsePhoneNumberFromString(value.trim(), 'US');
  return parsed && parsed.isValid() ? parsed.number : null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Loose on purpose: a suppression list must not drop odd but real addresses. */
export function normaliseEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return EMAIL.test(email) ? email : null;
}

/** Last four digits: enough for an operator to recognise a number, useless to call it. */
export function phoneHint(e164: string): string {
  return e164.slice(-4);
}

export function emailHint(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.charAt(0)}***@${email.slice(at + 1)}`;
}

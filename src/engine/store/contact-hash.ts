import { createHash } from 'node:crypto';

/**
 * The salted fingerprint of a phone (E.164) or email. Trimmed and lower-cased first so that
 * " Ana@Example.com" and "ana@example.com" are the same person; E.164 phones are unaffected.
 * Used for duplicate checks, suppression, search and audit data, never reversible without the salt.
 */
export function hashContact(salt: string, value: string): string {
  return createHash('sha256').update(salt).update(value.trim().toLowerCase()).digest('hex');
}

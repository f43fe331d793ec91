import { emailHint, phoneHint } from '../store/index.js';
import type { SuppressionEntry } from '../store/records.js';
import { readContact } from '../validate/contact-kind.js';

export interface SuppressionValues {
  entries: SuppressionEntry[];
  /** Values that are neither a valid phone nor a valid email, with why, for the operator to correct. */
  refused: Array<{ value: string; reason: string }>;
}

/** Phones and emails an operator typed, as suppression entries keyed by their salted hash. */
export function readSuppressionValues(values: string[], hashContact: (normalised: string) => string, addedAt: number, source: string): SuppressionValues {
  const entries: SuppressionEntry[] = [];
  const refused: SuppressionValues['refused'] = [];
  for (const raw of values) {
    const { kind, normalised } = readContact(raw);
    if (!normalised) refused.push({ value: raw, reason: kind === 'email' ? 'not a valid email' : 'not a valid phone number' });
    else entries.push({ kind, hash: hashContact(normalised), hint: kind === 'email' ? emailHint(normalised) : phoneHint(normalised), addedAt, source });
  }
  return { entries, refused };
}

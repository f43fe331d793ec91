/**
 * A buyer's own words (a rejection reason, its reference) may echo the consumer it was just sent
 * ("duplicate: (512) 555-0142"). Audit events must never hold contact data (they cannot be
 * erased), so the lead's contact values are masked before such text is stored anywhere.
 *
 * This runs on every post answer, so a cheap containment test comes first and a pattern is built
 * only for a value the text can actually hold.
 */
export function maskContact(text: string | null, values: readonly unknown[]): string | null {
  return contactMask(values)(text);
}

/** A text masker for one lead's contact values, prepared once: the lead's sellers, a post's reason and reference share it. */
export type ContactMask = (text: string | null) => string | null;

export function contactMask(values: readonly unknown[]): ContactMask {
  // Longest first, so "Ana" does not cut "ana@example.com" in two before the email is seen.
  const prepared = values
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map((v) => v.trim())
    .sort((a, b) => b.length - a.length)
    .map((value) => {
      const phoneDigits = phoneDigitsOf(value);
      return { value, lower: value.toLowerCase(), phoneDigits, last7: phoneDigits ? phoneDigits.slice(-7) : '' };
    });
  return (text) => {
    if (!text || prepared.length === 0) return text;
    let out = text;
    let lower = text.toLowerCase();
    let digits = text.replace(/\D/g, '');
    for (const p of prepared) {
      const present = p.phoneDigits ? digits.includes(p.last7) : lower.includes(p.lower);
      if (!present) continue;
      out = out.replace(p.phoneDigits ? phonePattern(p.phoneDigits) : wordPattern(p.value), '[redacted]');
      lower = out.toLowerCase();
      digits = out.replace(/\D/g, '');
    }
    return out;
  };
}

function phoneDigitsOf(value: string): string | null {
  const digits = value.replace(/\D/g, '');
  return /^\+?[\d\s().-]+$/.test(value) && digits.length >= 7 ? digits : null;
}

/** A phone comes back in any punctuation, with or without its country code: its last ten digits with separators between. */
function phonePattern(digits: string): RegExp {
  return new RegExp(`(?<![\\p{L}\\p{N}])(\\+?\\d{1,3}[\\s.-]*)?\\(?${digits.slice(-10).split('').join('[\\s().-]*')}`, 'gu');
}

function wordPattern(value: string): RegExp {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
}

import type { ErrorDetail } from '../../shared/errors.js';
import type { ScreeningRuleSpec } from '../../shared/domain.js';
import { IPQS_URL } from './ipqs.js';
import type { ScreenRule, ScreenVendor } from './screen-types.js';
import { TRESTLE_URL } from './trestle.js';
import { TRUSTEDFORM_URL } from './trustedform.js';

export const DEFAULT_SCREEN_TIMEOUT_MS = 1000;

const VENDOR_URLS: Record<ScreenVendor, string> = { trustedform: TRUSTEDFORM_URL, trestle: TRESTLE_URL, ipqs: IPQS_URL };

/** A campaign's screening rules as the stage runs them: vendor URLs, budgets and `onError` resolved. */
export function compileScreening(rules: readonly ScreeningRuleSpec[] | undefined): ScreenRule[] {
  return (rules ?? []).map((r) => ({
    type: r.type,
    url: r.url ?? VENDOR_URLS[r.type],
    apiKey: r.apiKey ?? null,
    action: r.action,
    onError: r.onError ?? 'flag',
    timeoutMs: r.timeoutMs ?? DEFAULT_SCREEN_TIMEOUT_MS,
    minActivityScore: r.minActivityScore,
    maxFraudScore: r.maxFraudScore,
  }));
}

/** One rule per vendor, and thresholds only where the vendor has the score. Paths are relative to the campaign. */
export function screeningProblems(rules: readonly ScreeningRuleSpec[] | undefined): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const seen = new Set<string>();
  (rules ?? []).forEach((r, i) => {
    if (seen.has(r.type)) problems.push({ field: `screening[${i}].type`, message: `more than one "${r.type}" rule` });
    seen.add(r.type);
    if (r.minActivityScore !== undefined && r.type !== 'trestle') problems.push({ field: `screening[${i}].minActivityScore`, message: 'only a trestle rule has an activity score' });
    if (r.maxFraudScore !== undefined && r.type !== 'ipqs') problems.push({ field: `screening[${i}].maxFraudScore`, message: 'only an ipqs rule has a fraud score' });
  });
  return problems;
}

/** The rules as exports and listings show them: API keys left out (they are write-only). */
export function withoutScreeningKeys<T extends { screening?: ScreeningRuleSpec[] }>(c: T): T {
  if (!c.screening?.some((r) => r.apiKey !== undefined)) return c;
  return { ...c, screening: c.screening.map(({ apiKey: _key, ...rest }) => rest) };
}

/**
 * A saved or imported rule without an `apiKey` keeps the key the same campaign's rule of that vendor
 * has now, so an exported workspace re-imports on this install without re-typing keys.
 */
export function keepScreeningKeys<T extends { screening?: ScreeningRuleSpec[] }>(next: T, previous: { screening?: ScreeningRuleSpec[] } | undefined): T {
  if (!next.screening?.length || !previous?.screening?.length) return next;
  const keys = new Map(previous.screening.filter((r) => r.apiKey !== undefined).map((r) => [r.type, r.apiKey]));
  return { ...next, screening: next.screening.map((r) => (r.apiKey === undefined && keys.has(r.type) ? { ...r, apiKey: keys.get(r.type) } : r)) };
}

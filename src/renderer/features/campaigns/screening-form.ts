import type { ScreeningRuleSpec } from '../../../shared/domain.js';
import type { FieldErrors } from '../buyers/field-errors.js';
import { parseOptionalNumber } from '../buyers/field-errors.js';

/**
 * The campaign editor's screening rules. API keys are write-only: the engine never sends them back,
 * so an empty key field keeps the key the engine has for that vendor, and a typed one replaces it.
 */
export type ScreeningType = ScreeningRuleSpec['type'];
export type ScreeningAction = ScreeningRuleSpec['action'];

export interface ScreeningRowForm {
  type: ScreeningType;
  action: ScreeningAction;
  onError: ScreeningAction;
  timeoutMs: string;
  /** Trestle: minimum activity score; IPQS: maximum fraud score; TrustedForm: none. */
  threshold: string;
  apiKey: string;
  /** Carried over unchanged (a test or proxy URL set in the workspace file). */
  url?: string;
}

export const SCREENING_TYPES: ReadonlyArray<{ value: ScreeningType; label: string }> = [
  { value: 'trustedform', label: 'TrustedForm certificate' },
  { value: 'trestle', label: 'Trestle phone validation' },
  { value: 'ipqs', label: 'IPQS fraud score' },
];

export function thresholdLabel(type: ScreeningType): string | null {
  return type === 'trestle' ? 'Min activity score' : type === 'ipqs' ? 'Max fraud score' : null;
}

export function screeningToRows(rules: ScreeningRuleSpec[] | undefined): ScreeningRowForm[] {
  return (rules ?? []).map((r) => ({
    type: r.type,
    action: r.action,
    onError: r.onError ?? 'flag',
    timeoutMs: String(r.timeoutMs),
    threshold: r.type === 'trestle' ? (r.minActivityScore === undefined ? '' : String(r.minActivityScore)) : r.type === 'ipqs' ? (r.maxFraudScore === undefined ? '' : String(r.maxFraudScore)) : '',
    apiKey: '',
    url: r.url,
  }));
}

export function emptyScreeningRow(taken: ScreeningType[]): ScreeningRowForm {
  const type = SCREENING_TYPES.map((t) => t.value).find((t) => !taken.includes(t)) ?? 'trustedform';
  return { type, action: 'flag', onError: 'flag', timeoutMs: '1000', threshold: '', apiKey: '' };
}

/** Rows → rules; `errors` gets `screening[i].<key>` paths, as the engine names them. */
export function rowsToScreening(rows: ScreeningRowForm[], errors: FieldErrors): ScreeningRuleSpec[] | undefined {
  if (!rows.length) return undefined;
  return rows.map((row, i) => {
    const rule: ScreeningRuleSpec = { type: row.type, action: row.action, onError: row.onError, timeoutMs: 0 };
    const timeout = parseOptionalNumber(row.timeoutMs);
    if (timeout === undefined || Number.isNaN(timeout) || !Number.isInteger(timeout)) errors[`screening[${i}].timeoutMs`] = 'A whole number of ms';
    else rule.timeoutMs = timeout;
    const threshold = parseOptionalNumber(row.threshold);
    if (threshold !== undefined) {
      if (Number.isNaN(threshold)) errors[`screening[${i}].threshold`] = 'A number 0-100';
      else if (row.type === 'trestle') rule.minActivityScore = threshold;
      else if (row.type === 'ipqs') rule.maxFraudScore = threshold;
    }
    if (row.apiKey.trim()) rule.apiKey = row.apiKey.trim();
    if (row.url) rule.url = row.url;
    return rule;
  });
}

import type { FieldRule, FieldValue, LeadFields } from '../../shared/domain.js';

/**
 * Buyer field rules against a validated lead. A missing field fails every rule except `neq`,
 * `nin` and `exists: false`: a buyer who asks "age gte 25" does not want leads without an age.
 * Comparisons are numeric when both sides are numbers (or numeric text), ISO dates compare as
 * dates, and text compares without regard to case.
 */
export function ruleHolds(rule: FieldRule, fields: LeadFields): boolean {
  const value = fields[rule.field];
  const present = value !== undefined && value !== null && value !== '';
  switch (rule.op) {
    case 'exists':
      return rule.value === false ? !present : present;
    case 'eq':
      return present && matches(value, rule.value);
    case 'neq':
      return !present || !matches(value, rule.value);
    case 'in':
      return present && listOf(rule.value).some((v) => matches(value, v));
    case 'nin':
      return !present || !listOf(rule.value).some((v) => matches(value, v));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (!present) return false;
      const order = compare(value, rule.value);
      if (order === null) return false;
      if (rule.op === 'gt') return order > 0;
      if (rule.op === 'gte') return order >= 0;
      if (rule.op === 'lt') return order < 0;
      return order <= 0;
    }
  }
}

/** How a rule reads in an exclusion reason; never includes the lead's own value. */
export function describeRule(rule: FieldRule): string {
  if (rule.op === 'exists') return `${rule.field} ${rule.value === false ? 'absent' : 'exists'}`;
  const shown = Array.isArray(rule.value) ? `[${rule.value.join(', ')}]` : String(rule.value);
  return `${rule.field} ${rule.op} ${shown}`;
}

type RuleValue = FieldRule['value'];

function listOf(value: RuleValue): Array<string | number | boolean> {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(v.trim())) return Number(v.trim());
  return null;
}

function matches(value: FieldValue, expected: RuleValue): boolean {
  if (expected === undefined || Array.isArray(expected)) return false;
  const a = asNumber(value);
  const b = asNumber(expected);
  if (a !== null && b !== null) return a === b;
  if (typeof value === 'boolean' || typeof expected === 'boolean') return String(value).toLowerCase() === String(expected).toLowerCase();
  return String(value).trim().toLowerCase() === String(expected).trim().toLowerCase();
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function compare(value: FieldValue, expected: RuleValue): number | null {
  if (expected === undefined || Array.isArray(expected) || typeof expected === 'boolean') return null;
  const a = asNumber(value);
  const b = asNumber(expected);
  if (a !== null && b !== null) return Math.sign(a - b);
  if (typeof value === 'string' && typeof expected === 'string' && ISO_DATE.test(value) && ISO_DATE.test(expected)) {
    return value < expected ? -1 : value > expected ? 1 : 0;
  }
  return null;
}

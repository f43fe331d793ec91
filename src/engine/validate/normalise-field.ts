import type { FieldSpec, FieldValue } from '../../shared/domain.js';
import { normaliseEmail } from './normalise-email.js';
import { normalisePhone } from './normalise-phone.js';
import { normaliseState } from './normalise-state.js';

export const DEFAULT_MAX_STRING_LENGTH = 500;

export type FieldResult = { ok: true; value: FieldValue } | { ok: false; message: string };

const INTEGER_TEXT = /^[+-]?\d{1,15}$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const ZIP_TEXT = /^(\d{5})(?:-?\d{4})?$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when a value counts as not given: absent, null, or blank text. */
export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Checks one present (non-blank) value against its field spec and returns the stored form.
 * Messages describe the expectation and never echo the value: they reach logs and HTTP clients.
 */
export function normaliseField(spec: FieldSpec, value: unknown): FieldResult {
  switch (spec.type) {
    case 'phone': {
      const phone = normalisePhone(value);
      return phone ? ok(phone) : fail('must be a valid phone number');
    }
    case 'email': {
      const email = normaliseEmail(value);
      return email ? ok(email) : fail('must be a valid email address');
    }
    case 'state': {
      const state = normaliseState(value);
      return state ? ok(state) : fail('must be a US state code such as "TX" or a state name');
    }
    case 'zip':
      return normaliseZip(value);
    case 'integer':
      return withinRange(spec, toInteger(value), 'must be a whole number');
    case 'number':
      return withinRange(spec, toNumber(value), 'must be a number');
    case 'boolean':
      return normaliseBoolean(value);
    case 'date':
      return normaliseDate(value);
    case 'enum':
      return normaliseEnum(spec, value);
    case 'string':
      return normaliseString(spec, value);
  }
}

function ok(value: FieldValue): FieldResult {
  return { ok: true, value };
}

function fail(message: string): FieldResult {
  return { ok: false, message };
}

function normaliseZip(value: unknown): FieldResult {
  // A zip sent as a JSON number lost its leading zeros ("02134" → 2134); pad them back.
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 && value <= 99_999 ? ok(String(value).padStart(5, '0')) : fail('must be a 5-digit ZIP code');
  }
  if (typeof value !== 'string') return fail('must be a 5-digit ZIP code');
  const match = ZIP_TEXT.exec(value.trim());
  return match ? ok(match[1]) : fail('must be a 5-digit ZIP code');
}

function toInteger(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : null;
  if (typeof value === 'string' && INTEGER_TEXT.test(value.trim())) return Number(value.trim());
  return null;
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

function withinRange(spec: FieldSpec, n: number | null, typeMessage: string): FieldResult {
  if (n === null) return fail(typeMessage);
  if (spec.min !== undefined && n < spec.min) return fail(`must be at least ${spec.min}`);
  if (spec.max !== undefined && n > spec.max) return fail(`must be at most ${spec.max}`);
  return ok(n);
}

function normaliseBoolean(value: unknown): FieldResult {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true' || text === 'yes') return ok(true);
    if (text === 'false' || text === 'no') return ok(false);
  }
  return fail('must be true or false');
}

function normaliseDate(value: unknown): FieldResult {
  const match = typeof value === 'string' ? DATE_TEXT.exec(value.trim()) : null;
  if (!match) return fail('must be a date as YYYY-MM-DD');
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 2025-02-30 over to March; a real calendar date survives the round trip.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return fail('must be a real calendar date');
  return ok(match[0]);
}

function normaliseEnum(spec: FieldSpec, value: unknown): FieldResult {
  const values = spec.values ?? [];
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : null;
  if (text !== null) {
    if (values.includes(text)) return ok(text);
    const folded = text.toLowerCase();
    const match = values.find((v) => v.toLowerCase() === folded);
    if (match !== undefined) return ok(match);
  }
  const shown = values.length <= 10 ? `: ${values.join(', ')}` : '';
  return fail(`must be one of the allowed values${shown}`);
}

function normaliseString(spec: FieldSpec, value: unknown): FieldResult {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else return fail('must be text');
  const max = spec.maxLength ?? DEFAULT_MAX_STRING_LENGTH;
  if (text.length > max) return fail(`must be at most ${max} characters`);
  return ok(text);
}

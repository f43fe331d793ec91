import type { ScreenAdapter } from './screen-types.js';
import { httpError, jsonObject, UNREADABLE } from './screen-types.js';

export const TRESTLE_URL = 'https://api.trestleiq.com';
/** Trestle: 30 or below means high confidence the phone is disconnected or unanswered. */
export const DEFAULT_MIN_ACTIVITY_SCORE = 31;

/**
 * Trestle Phone Validation API 3.0: `GET <url>/3.0/phone_intel?phone=<phone>` with `x-api-key`; the
 * answer's `is_valid` and `activity_score` (0–100) decide. `line_type`, `carrier` and the vendor's
 * `error.message` are free text and are not kept.
 */
export const trestle: ScreenAdapter = {
  plan(rule, input) {
    if (!input.phone) return { reading: { outcome: 'FAIL', code: 'NO_PHONE', score: null } };
    const headers: Record<string, string> = { accept: 'application/json' };
    if (rule.apiKey) headers['x-api-key'] = rule.apiKey;
    const url = `${rule.url.replace(/\/+$/, '')}/3.0/phone_intel?phone=${encodeURIComponent(input.phone)}`;
    return { request: { url, method: 'GET', headers } };
  },
  read(rule, status, body) {
    if (status < 200 || status > 299) return httpError(status);
    const doc = jsonObject(body);
    if (!doc) return UNREADABLE;
    const score = typeof doc.activity_score === 'number' && Number.isFinite(doc.activity_score) ? Math.round(doc.activity_score) : null;
    if (doc.is_valid === false) return { outcome: 'FAIL', code: 'INVALID_PHONE', score };
    if (doc.is_valid !== true) return doc.error ? { outcome: 'ERROR', code: 'VENDOR_ERROR', score } : UNREADABLE;
    if (score === null) return { outcome: 'ERROR', code: 'NO_SCORE', score };
    if (score < (rule.minActivityScore ?? DEFAULT_MIN_ACTIVITY_SCORE)) return { outcome: 'FAIL', code: 'LOW_ACTIVITY', score };
    return { outcome: 'PASS', code: 'OK', score };
  },
};

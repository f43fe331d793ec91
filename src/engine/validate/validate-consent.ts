import { isIP } from 'node:net';
import type { ConsentRecord } from '../../shared/domain.js';
import type { ErrorDetail } from '../../shared/errors.js';

/** A capture time may run this far ahead of our clock (the source's clock drifts). */
export const CONSENT_MAX_FUTURE_MS = 5 * 60_000;
/** Consent older than this no longer supports contacting the consumer. */
export const CONSENT_MAX_AGE_MS = 90 * 86_400_000;

const MAX_TEXT = 20_000;
const MAX_SHORT = 2_000;
const MAX_SELLERS = 200;
/** An instant with a time and an explicit zone; a zone-less time would be read in our own zone. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

const KNOWN_KEYS = new Set(['text', 'captured_at', 'ip', 'page_url', 'trustedform_cert_url', 'leadid_token', 'sellers', 'user_agent']);

export interface ConsentResult {
  consent: ConsentRecord | null;
  details: ErrorDetail[];
  /** Paths of keys that are not part of a consent record (`consent.foo`). */
  dropped: string[];
}

/** Checks a consent object; every problem is listed with a `consent.*` path. */
export function validateConsent(raw: unknown, now: number): ConsentResult {
  const details: ErrorDetail[] = [];
  const dropped: string[] = [];
  if (raw === undefined || raw === null) return { consent: null, details: [{ field: 'consent', message: 'consent is required' }], dropped };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { consent: null, details: [{ field: 'consent', message: 'must be an object' }], dropped };
  const input = raw as Record<string, unknown>;
  const problem = (key: string, message: string): void => {
    details.push({ field: `consent.${key}`, message });
  };
  for (const key of Object.keys(input)) if (!KNOWN_KEYS.has(key)) dropped.push(`consent.${key}`);

  const text = typeof input.text === 'string' ? input.text.trim() : '';
  if (!text) problem('text', 'the consent language shown to the consumer is required');
  else if (text.length > MAX_TEXT) problem('text', `must be at most ${MAX_TEXT} characters`);

  const capturedAt = typeof input.captured_at === 'string' ? input.captured_at.trim() : '';
  const capturedMs = ISO_INSTANT.test(capturedAt) ? Date.parse(capturedAt) : NaN;
  if (!capturedAt) problem('captured_at', 'the time consent was captured is required');
  else if (Number.isNaN(capturedMs)) problem('captured_at', 'must be an ISO 8601 timestamp with a time zone, e.g. 2026-11-27T15:04:05Z');
  else if (capturedMs > now + CONSENT_MAX_FUTURE_MS) problem('captured_at', 'is in the future');
  else if (capturedMs < now - CONSENT_MAX_AGE_MS) problem('captured_at', 'is older than 90 days');

  const consent: ConsentRecord = { text, captured_at: capturedAt };

  const ip = optionalText(input, 'ip', problem);
  if (ip !== undefined) {
    if (isIP(ip) === 0) problem('ip', 'must be an IPv4 or IPv6 address');
    else consent.ip = ip;
  }
  const pageUrl = optionalText(input, 'page_url', problem);
  if (pageUrl !== undefined) {
    if (!isUrl(pageUrl, ['http:', 'https:'])) problem('page_url', 'must be an http(s) URL');
    else consent.page_url = pageUrl;
  }
  const cert = optionalText(input, 'trustedform_cert_url', problem);
  if (cert !== undefined) {
    if (!isUrl(cert, ['https:'])) problem('trustedform_cert_url', 'must be an https URL');
    else consent.trustedform_cert_url = cert;
  }
  const token = optionalText(input, 'leadid_token', problem);
  if (token !== undefined) consent.leadid_token = token;
  const userAgent = optionalText(input, 'user_agent', problem);
  if (userAgent !== undefined) consent.user_agent = userAgent;

  const sellers = readSellers(input.sellers, problem);
  if (sellers) consent.sellers = sellers;

  return { consent: details.length ? null : consent, details, dropped };
}

/** A trimmed string, undefined when absent or blank; a non-string is reported. */
function optionalText(input: Record<string, unknown>, key: string, problem: (key: string, message: string) => void): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    problem(key, 'must be text');
    return undefined;
  }
  const text = value.trim();
  if (text.length > MAX_SHORT) {
    problem(key, `must be at most ${MAX_SHORT} characters`);
    return undefined;
  }
  return text || undefined;
}

function readSellers(value: unknown, problem: (key: string, message: string) => void): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) {
    problem('sellers', 'must be a list of seller names');
    return undefined;
  }
  if (value.length > MAX_SELLERS) {
    problem('sellers', `must name at most ${MAX_SELLERS} sellers`);
    return undefined;
  }
  const sellers: string[] = [];
  value.forEach((s, i) => {
    if (typeof s !== 'string' || !s.trim()) problem(`sellers[${i}]`, 'must be a seller name');
    else if (s.length > 200) problem(`sellers[${i}]`, 'must be at most 200 characters');
    else sellers.push(s.trim());
  });
  return sellers;
}

function isUrl(text: string, protocols: string[]): boolean {
  try {
    const url = new URL(text);
    return protocols.includes(url.protocol) && url.hostname.length > 0;
  } catch {
    return false;
  }
}

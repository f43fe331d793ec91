import type { ScreenAdapter, ScreenReading } from './screen-types.js';
import { httpError, jsonObject, UNREADABLE } from './screen-types.js';

export const TRUSTEDFORM_URL = 'https://cert.trustedform.com';
const CERT_HOST = 'cert.trustedform.com';
const CERT_ID = /^[A-Za-z0-9]{8,80}$/;

/**
 * TrustedForm certificate claim (Retain API): `POST <cert URL>` with Basic auth `API:<key>`,
 * `api-version: 4.0` and `{"retain":{"reference":<lead id>}}`; a 2xx `{"outcome":"success"}` (or a
 * v2 claim with the certificate's `token`) verifies it, `{"outcome":"failure"}` or a 404/410 does not.
 * Only a certificate on cert.trustedform.com is ever claimed: the credentials never go anywhere the
 * source chose. With a `url` override (tests), the request goes to `<url>/<cert id>`.
 */
export const trustedform: ScreenAdapter = {
  plan(rule, input) {
    if (!input.certUrl) return { reading: { outcome: 'FAIL', code: 'CERT_MISSING', score: null } };
    const certId = certIdOf(input.certUrl);
    if (!certId) return { reading: { outcome: 'FAIL', code: 'CERT_FOREIGN', score: null } };
    const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json', 'api-version': '4.0' };
    if (rule.apiKey) headers.authorization = `Basic ${Buffer.from(`API:${rule.apiKey}`).toString('base64')}`;
    return { request: { url: `${rule.url.replace(/\/+$/, '')}/${certId}`, method: 'POST', headers, body: JSON.stringify({ retain: { reference: input.leadId } }) } };
  },
  read(_rule, status, body) {
    if (status === 404) return { outcome: 'FAIL', code: 'CERT_NOT_FOUND', score: null };
    if (status === 410) return { outcome: 'FAIL', code: 'CERT_EXPIRED', score: null };
    if (status < 200 || status > 299) return httpError(status);
    const doc = jsonObject(body);
    if (!doc) return UNREADABLE;
    return readClaim(doc);
  },
};

function readClaim(doc: Record<string, unknown>): ScreenReading {
  if (doc.outcome === 'success') return { outcome: 'PASS', code: 'OK', score: null };
  if (doc.outcome === 'failure') return { outcome: 'FAIL', code: 'CERT_NOT_RETAINED', score: null };
  if (typeof doc.token === 'string' || Array.isArray(doc.claims)) return { outcome: 'PASS', code: 'OK', score: null };
  return UNREADABLE;
}

/** The certificate id of a cert.trustedform.com URL (https only), or null. */
export function certIdOf(certUrl: string): string | null {
  let u: URL;
  try {
    u = new URL(certUrl);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:' || u.hostname !== CERT_HOST || u.username || u.password || (u.port && u.port !== '443')) return null;
  const id = u.pathname.replace(/^\/+|\/+$/g, '');
  return CERT_ID.test(id) ? id : null;
}

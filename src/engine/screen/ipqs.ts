import type { ScreenAdapter } from './screen-types.js';
import { httpError, jsonObject, UNREADABLE } from './screen-types.js';

export const IPQS_URL = 'https://ipqualityscore.com';
/** IPQualityScore: 85 and above is high risk. */
export const DEFAULT_MAX_FRAUD_SCORE = 84;

/**
 * IPQualityScore Proxy & VPN Detection: `GET <url>/api/json/ip/<key>/<ip>?strictness=1`; the
 * answer's `success` and `fraud_score` (0–100) decide, and `proxy`, `vpn`, `tor` name why in the
 * code. The key travels in the path, so requests are never logged. `message` is free text and is not kept.
 */
export const ipqs: ScreenAdapter = {
  plan(rule, input) {
    if (!input.ip) return { reading: { outcome: 'FAIL', code: 'NO_IP', score: null } };
    const url = `${rule.url.replace(/\/+$/, '')}/api/json/ip/${encodeURIComponent(rule.apiKey ?? '')}/${encodeURIComponent(input.ip)}?strictness=1`;
    return { request: { url, method: 'GET', headers: { accept: 'application/json' } } };
  },
  read(rule, status, body) {
    if (status < 200 || status > 299) return httpError(status);
    const doc = jsonObject(body);
    if (!doc) return UNREADABLE;
    if (doc.success === false) return { outcome: 'ERROR', code: 'VENDOR_ERROR', score: null };
    if (typeof doc.fraud_score !== 'number' || !Number.isFinite(doc.fraud_score)) return UNREADABLE;
    const score = Math.round(doc.fraud_score);
    if (score <= (rule.maxFraudScore ?? DEFAULT_MAX_FRAUD_SCORE)) return { outcome: 'PASS', code: 'OK', score };
    const code = doc.tor === true ? 'HIGH_FRAUD_SCORE_TOR' : doc.vpn === true ? 'HIGH_FRAUD_SCORE_VPN' : doc.proxy === true ? 'HIGH_FRAUD_SCORE_PROXY' : 'HIGH_FRAUD_SCORE';
    return { outcome: 'FAIL', code, score };
  },
};

import { describe, expect, it } from 'vitest';
import { ipqs } from '../../src/engine/screen/ipqs.js';
import type { ScreenRule } from '../../src/engine/screen/screen-types.js';
import { verdictOf } from '../../src/engine/screen/screener.js';
import { trestle } from '../../src/engine/screen/trestle.js';
import { certIdOf, trustedform } from '../../src/engine/screen/trustedform.js';
import { compileScreening, keepScreeningKeys, screeningProblems, withoutScreeningKeys } from '../../src/engine/screen/compile-screening.js';

const rule = (over: Partial<ScreenRule>): ScreenRule => ({ type: 'trestle', url: 'https://api.trestleiq.com', apiKey: 'k', action: 'reject', onError: 'flag', timeoutMs: 1000, ...over });
const input = { leadId: 'L1', phone: '+15125550142', ip: '203.0.113.7', certUrl: 'https://cert.trustedform.com/8189d5a77937b27a3d85ca181fc34f2b46a60908' };

describe('screening adapters', () => {
  it('trustedform claims only certificates on https://cert.trustedform.com', () => {
    expect(certIdOf('https://cert.trustedform.com/8189d5a77937b27a3d85ca181fc34f2b46a60908')).toBe('8189d5a77937b27a3d85ca181fc34f2b46a60908');
    for (const bad of ['http://cert.trustedform.com/8189d5a779', 'https://cert.trustedform.com.evil.example/8189d5a779', 'https://user:pw@cert.trustedform.com/8189d5a779', 'https://cert.trustedform.com/../admin', 'not a url']) {
      expect(certIdOf(bad)).toBeNull();
    }
    expect(trustedform.plan(rule({ type: 'trustedform', url: 'https://cert.trustedform.com' }), { ...input, certUrl: null })).toEqual({ reading: { outcome: 'FAIL', code: 'CERT_MISSING', score: null } });
  });

  it('trustedform reads a v4 outcome, a v2 claim, 404/410 as a failed certificate and other statuses as errors', () => {
    const r = rule({ type: 'trustedform' });
    expect(trustedform.read(r, 200, '{"outcome":"success"}')).toMatchObject({ outcome: 'PASS', code: 'OK' });
    expect(trustedform.read(r, 201, '{"token":"abc","claims":[]}')).toMatchObject({ outcome: 'PASS' });
    expect(trustedform.read(r, 200, '{"outcome":"failure","reason":"x"}')).toMatchObject({ outcome: 'FAIL', code: 'CERT_NOT_RETAINED' });
    expect(trustedform.read(r, 404, '')).toMatchObject({ outcome: 'FAIL', code: 'CERT_NOT_FOUND' });
    expect(trustedform.read(r, 410, '')).toMatchObject({ outcome: 'FAIL', code: 'CERT_EXPIRED' });
    expect(trustedform.read(r, 401, '')).toMatchObject({ outcome: 'ERROR', code: 'HTTP_401' });
    expect(trustedform.read(r, 200, '{}')).toMatchObject({ outcome: 'ERROR', code: 'UNREADABLE' });
  });

  it('trestle judges is_valid and activity_score against the threshold', () => {
    expect(trestle.read(rule({ minActivityScore: 50 }), 200, '{"is_valid":true,"activity_score":50}')).toEqual({ outcome: 'PASS', code: 'OK', score: 50 });
    expect(trestle.read(rule({ minActivityScore: 50 }), 200, '{"is_valid":true,"activity_score":49}')).toEqual({ outcome: 'FAIL', code: 'LOW_ACTIVITY', score: 49 });
    expect(trestle.read(rule({}), 200, '{"is_valid":false,"activity_score":0}')).toEqual({ outcome: 'FAIL', code: 'INVALID_PHONE', score: 0 });
    expect(trestle.read(rule({}), 200, '{"is_valid":null,"error":{"name":"InternalError","message":"x"}}')).toMatchObject({ outcome: 'ERROR', code: 'VENDOR_ERROR' });
    expect(trestle.read(rule({}), 200, '[1]')).toMatchObject({ outcome: 'ERROR', code: 'UNREADABLE' });
    expect(trestle.plan(rule({}), { ...input, phone: null })).toEqual({ reading: { outcome: 'FAIL', code: 'NO_PHONE', score: null } });
  });

  it('ipqs judges fraud_score against the threshold and names the proxy kind', () => {
    expect(ipqs.read(rule({ type: 'ipqs', maxFraudScore: 75 }), 200, '{"success":true,"fraud_score":75}')).toEqual({ outcome: 'PASS', code: 'OK', score: 75 });
    expect(ipqs.read(rule({ type: 'ipqs', maxFraudScore: 75 }), 200, '{"success":true,"fraud_score":90,"vpn":true}')).toEqual({ outcome: 'FAIL', code: 'HIGH_FRAUD_SCORE_VPN', score: 90 });
    expect(ipqs.read(rule({ type: 'ipqs' }), 200, '{"success":false,"message":"Invalid key"}')).toMatchObject({ outcome: 'ERROR', code: 'VENDOR_ERROR' });
    expect(ipqs.read(rule({ type: 'ipqs' }), 503, '')).toMatchObject({ outcome: 'ERROR', code: 'HTTP_503' });
    const plan = ipqs.plan(rule({ type: 'ipqs', url: 'https://ipqualityscore.com', apiKey: 'KEY/1' }), input);
    expect(plan).toEqual({ request: { url: 'https://ipqualityscore.com/api/json/ip/KEY%2F1/203.0.113.7?strictness=1', method: 'GET', headers: { accept: 'application/json' } } });
  });

  it('verdicts: any reject rejects, else any flag flags', () => {
    const r = (verdict: 'pass' | 'flag' | 'reject') => ({ vendor: 'ipqs' as const, outcome: 'PASS' as const, code: 'OK', score: null, httpStatus: 200, latencyMs: 1, verdict });
    expect(verdictOf([])).toBe('pass');
    expect(verdictOf([r('pass'), r('flag')])).toBe('flag');
    expect(verdictOf([r('flag'), r('reject')])).toBe('reject');
  });

  it('rules compile with vendor URLs and defaults; keys are write-only', () => {
    expect(compileScreening([{ type: 'ipqs', action: 'flag', timeoutMs: 500 }])).toEqual([{ type: 'ipqs', url: 'https://ipqualityscore.com', apiKey: null, action: 'flag', onError: 'flag', timeoutMs: 500, minActivityScore: undefined, maxFraudScore: undefined }]);
    expect(screeningProblems([{ type: 'ipqs', action: 'flag', timeoutMs: 1, minActivityScore: 3 }, { type: 'ipqs', action: 'flag', timeoutMs: 1 }]).map((p) => p.field)).toEqual(['screening[0].minActivityScore', 'screening[1].type']);
    const withKey = { id: 'c', screening: [{ type: 'trestle' as const, apiKey: 'secret', action: 'flag' as const, timeoutMs: 1 }] };
    expect(JSON.stringify(withoutScreeningKeys(withKey))).not.toContain('secret');
    expect(keepScreeningKeys(withoutScreeningKeys(withKey), withKey).screening?.[0].apiKey).toBe('secret');
  });
});

import { describe, expect, it } from 'vitest';
import { describeConfigEvent } from '../../src/renderer/features/audit/config-changes-panel.js';
import { dynamicFloorForm, parseDynamicFloorForm } from '../../src/renderer/features/tiers/dynamic-floor-form.js';

describe('dynamic floor form', () => {
  it('round-trips a tier’s settings through the form in dollars, minutes and seconds', () => {
    const spec = { enabled: false, basis: 'predictedValue' as const, percentile: 40, windowMs: 7_200_000, minSamples: 30, min: 5, max: 42.5, maxStep: 0.5, intervalMs: 90_000 };
    const form = dynamicFloorForm(spec, 12);
    expect(form).toMatchObject({ windowMinutes: '120', intervalSeconds: '90', max: '42.50', maxStep: '0.50' });
    expect(parseDynamicFloorForm(form)).toEqual({ ok: true, spec });
  });

  it('starts a new dynamic floor around today’s floor', () => {
    expect(dynamicFloorForm(undefined, 12)).toMatchObject({ enabled: true, basis: 'winningBids', min: '12.00', max: '32.00', percentile: '25' });
  });

  it('names each field a person must fix', () => {
    const form = { ...dynamicFloorForm(undefined, 10), percentile: '0', min: '9.999', max: 'abc', maxStep: '0', intervalSeconds: '1.5' };
    const parsed = parseDynamicFloorForm(form);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors).sort()).toEqual(['intervalSeconds', 'max', 'maxStep', 'min', 'percentile']);
    const inverted = parseDynamicFloorForm({ ...dynamicFloorForm(undefined, 10), min: '30', max: '20' });
    expect(inverted).toEqual({ ok: false, errors: { max: 'at least the minimum' } });
  });
});

describe('configuration events in the audit screen', () => {
  it('tells a dynamic floor change from an operator’s, with its evidence', () => {
    const data = { kind: 'tiers', id: 'auto', action: 'floor', tier: 'Premium', before: 19, after: 22, reason: 'dynamicFloor', basis: 'winningBids', percentile: 25, samples: 8, target: 22, limitedBy: null };
    expect(describeConfigEvent(data)).toBe('tiers auto: Premium floor $19.00 → $22.00 (dynamic: P25 of 8 winning bids = $22.00)');
    expect(describeConfigEvent({ ...data, before: 10, after: 13, limitedBy: 'step' })).toContain('step limit');
    expect(describeConfigEvent({ kind: 'tiers', id: 'auto', action: 'floor', tier: 'Premium', before: 20, after: 22.5 })).toBe('tiers auto: Premium floor $20.00 → $22.50');
    expect(describeConfigEvent({ kind: 'tiers', id: 'auto', action: 'dynamicFloor', tier: 'Premium', after: { enabled: true } })).toBe('tiers auto: Premium dynamic floor on');
  });
});

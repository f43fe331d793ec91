import { describe, expect, it } from 'vitest';
import type { TierPlacementSpec } from '../../src/shared/domain.js';
import type { FieldErrors } from '../../src/renderer/features/buyers/field-errors.js';
import { formToPlacement, placementToForm } from '../../src/renderer/features/campaigns/placement-form.js';

describe('campaign editor: tier placement controls', () => {
  it('a policy survives the round trip, the cool-down shown in minutes', () => {
    const policy: TierPlacementSpec = { mode: 'automatic', promoteConversionPercent: 12, demoteConversionPercent: 8, minAcceptPercent: 70, maxResponseMs: 400, minSamples: 30, cooldownMs: 7_200_000 };
    const form = placementToForm(policy);
    expect(form).toMatchObject({ mode: 'automatic', cooldownMinutes: '120', maxTimeoutPercent: '', maxResponseMs: '400' });
    const errors: FieldErrors = {};
    expect(formToPlacement(form, policy, errors)).toEqual(policy);
    expect(errors).toEqual({});
  });

  it('a campaign without a policy left off keeps none; switching it on writes the seed defaults', () => {
    const form = placementToForm(undefined);
    expect(formToPlacement(form, undefined, {})).toBeUndefined();
    expect(formToPlacement({ ...form, mode: 'suggest' }, undefined, {})).toEqual({ mode: 'suggest', promoteConversionPercent: 12, demoteConversionPercent: 8, minSamples: 20, cooldownMs: 3_600_000 });
  });

  it('bad numbers are named on their field', () => {
    const errors: FieldErrors = {};
    formToPlacement({ ...placementToForm(undefined), mode: 'suggest', minSamples: '2.5', maxResponseMs: 'fast', promoteConversionPercent: '' }, undefined, errors);
    expect(errors).toEqual({ 'tierPlacement.minSamples': 'A whole number', 'tierPlacement.maxResponseMs': 'A whole number', 'tierPlacement.promoteConversionPercent': 'Required' });
  });
});

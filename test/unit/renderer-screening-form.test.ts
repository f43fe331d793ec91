import { describe, expect, it } from 'vitest';
import { campaignToForm, formToCampaign } from '../../src/renderer/features/campaigns/campaign-form.js';
import { emptyScreeningRow } from '../../src/renderer/features/campaigns/screening-form.js';
import { AUTO_INSURANCE } from '../../src/engine/demo/demo-workspace.js';

describe('campaign editor: screening rules', () => {
  it('a listed campaign (keys left out) edits and saves its rules, an empty key field sends no key, a typed one sends it', () => {
    const listed = { ...AUTO_INSURANCE, tiers: [], screening: [{ type: 'trestle' as const, action: 'reject' as const, timeoutMs: 800, minActivityScore: 40, url: 'http://127.0.0.1:9' }] };
    const form = campaignToForm(listed);
    expect(form.screening).toEqual([{ type: 'trestle', action: 'reject', onError: 'flag', timeoutMs: '800', threshold: '40', apiKey: '', url: 'http://127.0.0.1:9' }]);
    const added = { ...form, screening: [...form.screening, { ...emptyScreeningRow(['trestle']), threshold: '70', apiKey: 'new-ipqs-key' }] };
    const { spec, errors } = formToCampaign(added, listed);
    expect(errors).toEqual({});
    expect(spec.screening).toEqual([
      { type: 'trestle', action: 'reject', onError: 'flag', timeoutMs: 800, minActivityScore: 40, url: 'http://127.0.0.1:9' },
      { type: 'trustedform', action: 'flag', onError: 'flag', timeoutMs: 1000, apiKey: 'new-ipqs-key' },
    ]);
  });

  it('removing every rule saves a campaign with no screening, and a bad budget is named by its path', () => {
    const listed = { ...AUTO_INSURANCE, tiers: [], screening: [{ type: 'ipqs' as const, action: 'flag' as const, timeoutMs: 500 }] };
    expect(formToCampaign({ ...campaignToForm(listed), screening: [] }, listed).spec.screening).toBeUndefined();
    const bad = formToCampaign({ ...campaignToForm(listed), screening: [{ ...campaignToForm(listed).screening[0], timeoutMs: 'soon' }] }, listed);
    expect(bad.errors).toEqual({ 'screening[0].timeoutMs': 'A whole number of ms' });
  });
});

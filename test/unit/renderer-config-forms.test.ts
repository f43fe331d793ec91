import { describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../src/shared/domain.js';
import { campaignToForm, formToCampaign, offersPing, rekeyPingErrors } from '../../src/renderer/features/campaigns/campaign-form.js';

const auto: CampaignSpec = {
  id: 'auto-insurance', name: 'Auto insurance', vertical: 'auto-insurance',
  fields: {
    first_name: { type: 'string', required: true, contact: true },
    phone: { type: 'phone', required: true, contact: true },
    state: { type: 'state', required: true },
    age: { type: 'integer', min: 18, max: 120 },
    plan: { type: 'enum', values: ['basic', 'full'] },
  },
  pingFields: ['state', 'age', 'plan'],
  minPrice: 5, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 1 },
  requireNamedSeller: true, duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000,
  auctionTimeoutMs: 4000, maxPostAttempts: 2, failOverOnUnknownPost: true,
  tiers: [{ name: 'Tier 1', floor: 20, buyers: ['acme'] }], active: true,
};

describe('campaign editor conversions', () => {
  it('a campaign survives the round trip, tiers included', () => {
    const { spec, errors } = formToCampaign(campaignToForm(auto), auto);
    expect(errors).toEqual({});
    expect(spec).toEqual(auto);
  });

  it('contact, phone and email fields are not offered as ping fields', () => {
    const rows = campaignToForm(auto).fields;
    expect(rows.filter(offersPing).map((r) => r.name)).toEqual(['state', 'age', 'plan']);
    expect(offersPing({ name: 'work_email', type: 'email', contact: false })).toBe(false);
    expect(offersPing({ name: 'ip', type: 'string', contact: false })).toBe(false);
    expect(offersPing({ name: 'credit_band', type: 'string', contact: false })).toBe(true);
  });

  it('a timeout typed as text is reported on its path instead of being sent', () => {
    const form = campaignToForm(auto);
    form.pingTimeoutMs = '0.3s';
    expect(formToCampaign(form, auto).errors).toEqual({ pingTimeoutMs: 'Enter a whole number' });
  });

  it('an empty auction timeout leaves the engine default, a fractional buyer count is refused', () => {
    const form = campaignToForm(auto);
    expect(form).toMatchObject({ auctionTimeoutMs: '4000', maxPostAttempts: '2', failOverOnUnknownPost: true });
    form.auctionTimeoutMs = ' ';
    form.maxPostAttempts = '2.5';
    const { spec, errors } = formToCampaign(form, auto);
    expect(spec.auctionTimeoutMs).toBeUndefined();
    expect(errors).toEqual({ maxPostAttempts: 'Enter a whole number' });
  });

  it("the engine's ping-field refusal by index is shown on the field row", () => {
    const errors = rekeyPingErrors({ 'pingFields[1]': '"first_name" is a contact field and can never be pinged', minPrice: 'too low' }, ['state', 'first_name']);
    expect(errors).toEqual({ 'fields.first_name.ping': '"first_name" is a contact field and can never be pinged', minPrice: 'too low' });
  });
});

describe('campaign editor: shared leads', () => {
  it('maxSales survives the round trip and clearing it makes the campaign exclusive again', () => {
    const shared: CampaignSpec = { ...auto, maxSales: 2 };
    expect(formToCampaign(campaignToForm(shared), shared).spec.maxSales).toBe(2);
    expect(formToCampaign({ ...campaignToForm(shared), maxSales: '' }, shared).spec.maxSales).toBeUndefined();
  });
});

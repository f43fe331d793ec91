import { describe, expect, it } from 'vitest';
import type { BuyerSpec } from '../../src/shared/domain.js';
import { buyerToForm } from '../../src/renderer/features/buyers/buyer-form.js';
import { formToBuyer } from '../../src/renderer/features/buyers/buyer-form-parse.js';
import { errorAt, toFieldErrors, unclaimedErrors } from '../../src/renderer/features/buyers/field-errors.js';

const acme: BuyerSpec = {
  id: 'acme',
  name: 'Acme Insurance',
  consentName: 'Acme Insurance',
  apiKeyHashes: ['sha256:' + 'a'.repeat(64)],
  ping: {
    url: 'http://127.0.0.1:9101/ping',
    timeoutMs: 250,
    auth: { type: 'bearer', token: 't0k' },
    template: { format: 'xml', root: 'lead', fields: { zip_code: 'zip' }, static: { vendor: 'pd', rank: 3, live: true }, response: { format: 'xml', bidPath: 'r.price', acceptedValue: 1 } },
  },
  post: { url: 'http://127.0.0.1:9101/post', timeoutMs: 1500, method: 'PUT', headers: { 'X-Src': 'pd' } },
  filters: { states: ['TX', 'CA'], zips: ['787'], rules: [{ field: 'age', op: 'gte', value: 21 }, { field: 'zip', op: 'in', value: ['01234', 78701] }, { field: 'homeowner', op: 'exists' }], campaigns: ['auto'] },
  caps: { hourly: 50, daily: 200, dailyBudget: 5000 },
  schedule: { timezone: 'America/Chicago', days: ['mon', 'tue'], from: '08:00', to: '20:00' },
  priority: 2,
  active: true,
};

describe('buyer editor conversions', () => {
  it('a buyer survives the round trip through the editor unchanged', () => {
    const { spec, errors } = formToBuyer(buyerToForm(acme), acme);
    expect(errors).toEqual({});
    expect(spec).toEqual(acme);
  });

  it('an empty ping URL makes a fixed-price buyer and asks for the price', () => {
    const form = buyerToForm(acme);
    form.ping.url = '';
    expect(formToBuyer(form, acme).errors.fixedPrice).toMatch(/fixed price/);
    form.fixedPrice = '15.5';
    const { spec, errors } = formToBuyer(form, acme);
    expect(errors).toEqual({});
    expect(spec.ping).toBeUndefined();
    expect(spec.fixedPrice).toBe(15.5);
  });

  it('typed states are upper-cased and blanks dropped; cleared sections disappear', () => {
    const form = buyerToForm(acme);
    form.states = 'tx, ca ,, ny';
    form.hourly = form.daily = form.dailyBudget = '';
    form.timezone = '';
    form.days = [];
    form.from = form.to = '';
    const { spec } = formToBuyer(form, acme);
    expect(spec.filters?.states).toEqual(['TX', 'CA', 'NY']);
    expect(spec.caps).toBeUndefined();
    expect(spec.schedule).toBeUndefined();
  });

  it('a timeout that is not a number is reported on its own field path', () => {
    const form = buyerToForm(acme);
    form.post.timeoutMs = 'soon';
    expect(formToBuyer(form, acme).errors).toEqual({ 'post.timeoutMs': 'Enter a whole number' });
  });

  it('engine details land on the field they name, and unknown ones are not dropped', () => {
    const errors = toFieldErrors([
      { field: 'buyer.post.url', message: 'an http(s) URL' },
      { field: 'filters.states[1]', message: 'too long' },
      { field: 'mystery', message: 'odd' },
    ], 'buyer');
    expect(errorAt(errors, 'post.url')).toBe('An http(s) URL');
    expect(errorAt(errors, 'filters.states')).toBe('Too long');
    expect(errorAt(errors, 'ping.url')).toBeUndefined();
    expect(unclaimedErrors(errors, ['post.url', 'filters.states'])).toEqual([{ field: 'mystery', message: 'Odd' }]);
  });
});

describe('buyer editor: bid adjustment', () => {
  it('a −20% adjustment survives the round trip, an empty one is left out, one past 100 is refused on its field', () => {
    const penalised: BuyerSpec = { ...acme, bidAdjustmentPercent: -20 };
    expect(formToBuyer(buyerToForm(penalised), penalised)).toEqual({ spec: penalised, errors: {} });
    const cleared = { ...buyerToForm(penalised), bidAdjustment: '' };
    expect(formToBuyer(cleared, penalised).spec.bidAdjustmentPercent).toBeUndefined();
    expect(formToBuyer({ ...buyerToForm(acme), bidAdjustment: '150' }, acme).errors).toEqual({ bidAdjustmentPercent: 'A whole percent from −100 to 100' });
  });
});

describe('buyer form accepts what the intake accepts', () => {
  it('state names become codes and a misspelt state is named in one message', () => {
    const form = buyerToForm(acme);
    form.states = 'Texas, california';
    form.excludeStates = 'Texsa';
    const { spec, errors } = formToBuyer(form, acme);
    expect(spec.filters?.states).toEqual(['TX', 'CA']);
    expect(errors['filters.excludeStates']).toBe('"Texsa" is not a US state: use a name (Texas) or a two-letter code (TX)');
  });

  it('formatted money is read as dollars for the fixed price and the daily budget', () => {
    const form = buyerToForm(acme);
    form.ping.url = '';
    form.fixedPrice = '$1,250.00';
    form.dailyBudget = '$2,000';
    const { spec, errors } = formToBuyer(form, acme);
    expect(errors).toEqual({});
    expect(spec.fixedPrice).toBe(1250);
    expect(spec.caps?.dailyBudget).toBe(2000);
  });
});

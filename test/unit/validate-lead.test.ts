import { describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../src/shared/domain.js';
import { validateLead } from '../../src/engine/validate/validate-lead.js';
import { compileCampaign } from '../../src/engine/workspace/compile.js';

const NOW = Date.parse('2026-11-27T15:10:00Z');

const campaign = compileCampaign({
  id: 'auto-insurance',
  name: 'Auto insurance',
  vertical: 'auto-insurance',
  fields: {
    first_name: { type: 'string', required: true, contact: true, maxLength: 40 },
    phone: { type: 'phone', required: true, contact: true },
    email: { type: 'email', required: true, contact: true },
    state: { type: 'state', required: true },
    zip: { type: 'zip', required: true },
    age: { type: 'integer', min: 18, max: 120 },
    credit_score: { type: 'number', min: 300, max: 850 },
    homeowner: { type: 'boolean' },
    policy_start: { type: 'date' },
    coverage: { type: 'enum', values: ['minimum', 'standard', 'full'] },
  },
  pingFields: ['state', 'zip', 'age'],
  minPrice: 5,
  payout: { type: 'percent', value: 70 },
  margin: { type: 'fixed', value: 1 },
  requireNamedSeller: true,
  duplicateWindowDays: 30,
  pingTimeoutMs: 300,
  postTimeoutMs: 2000,
  tiers: [],
} satisfies CampaignSpec);

function body(fields: Record<string, unknown> = {}, consent: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    campaign: 'auto-insurance',
    fields: { first_name: 'Ana', phone: '+15125550142', email: 'ana@example.com', state: 'TX', zip: '78701', ...fields },
    consent: { text: 'By clicking, I agree that Acme Insurance may call me.', captured_at: '2026-11-27T15:04:05Z', ...consent },
    test: false,
    ...extra,
  };
}

function accepted(input: unknown) {
  const result = validateLead(campaign, input, NOW);
  if (!result.ok) throw new Error(`expected a valid lead, got ${JSON.stringify(result.details)}`);
  return result.lead;
}

function problems(input: unknown): Record<string, string> {
  const result = validateLead(campaign, input, NOW);
  if (result.ok) throw new Error('expected the lead to be refused');
  return Object.fromEntries(result.details.map((d) => [d.field, d.message]));
}

describe('validateLead: normalisation', () => {
  it.each([
    ['a national US phone number becomes E.164', { phone: '(512) 555-0142' }, 'phone', '+15125550142'],
    ['a dashed phone number becomes E.164', { phone: '512-555-0142' }, 'phone', '+15125550142'],
    ['an email is trimmed and lower-cased', { email: '  Ana.Diaz@Example.COM ' }, 'email', 'ana.diaz@example.com'],
    ['a lower-case state code is upper-cased', { state: 'tx' }, 'state', 'TX'],
    ['a full state name becomes its code', { state: 'Texas' }, 'state', 'TX'],
    ['a multi-word state name becomes its code', { state: 'new york' }, 'state', 'NY'],
    ['a ZIP+4 keeps the 5-digit zip', { zip: '78701-1234' }, 'zip', '78701'],
    ['a zip sent as a number gets its leading zero back', { zip: 2134 }, 'zip', '02134'],
    ['a numeric string integer becomes a number', { age: '41' }, 'age', 41],
    ['a numeric string decimal becomes a number', { credit_score: '712.5' }, 'credit_score', 712.5],
    ['"yes" reads as true', { homeowner: 'yes' }, 'homeowner', true],
    ['an ISO date is kept', { policy_start: '2027-01-15' }, 'policy_start', '2027-01-15'],
    ['an enum value in another case takes the configured spelling', { coverage: 'Full' }, 'coverage', 'full'],
    ['a string is trimmed', { first_name: '  Ana  ' }, 'first_name', 'Ana'],
  ])('%s', (_name, fields, key, expected) => {
    expect(accepted(body(fields)).fields[key]).toBe(expected);
  });

  it('a valid lead keeps its consent and test flag and omits blank optional fields', () => {
    const lead = accepted(body({ age: '', coverage: null }, { sellers: [' Acme Insurance '], ip: '203.0.113.7' }, { test: true }));
    expect(lead.test).toBe(true);
    expect(lead.consent).toEqual({
      text: 'By clicking, I agree that Acme Insurance may call me.',
      captured_at: '2026-11-27T15:04:05Z',
      ip: '203.0.113.7',
      sellers: ['Acme Insurance'],
    });
    expect(lead.fields).not.toHaveProperty('age');
    expect(lead.fields).not.toHaveProperty('coverage');
  });

  it('fields the campaign does not define are dropped and named', () => {
    const lead = accepted({ ...body({ favourite_color: 'blue' }, { shoe_size: 9 }), utm: 'x' });
    expect(lead.fields).not.toHaveProperty('favourite_color');
    expect(lead.consent).not.toHaveProperty('shoe_size');
    expect(lead.dropped.sort()).toEqual(['consent.shoe_size', 'fields.favourite_color', 'utm']);
  });

  it('a missing test flag means a live lead', () => {
    const { test: _test, ...rest } = body();
    expect(accepted(rest).test).toBe(false);
  });
});

describe('validateLead: refusals', () => {
  it.each([
    ['a phone that is too short', { phone: '555-0142' }, 'fields.phone'],
    ['an email without a domain dot', { email: 'ana@example' }, 'fields.email'],
    ['an email with two @', { email: 'ana@@example.com' }, 'fields.email'],
    ['a state that does not exist', { state: 'ZZ' }, 'fields.state'],
    ['a zip with four digits', { zip: '7870' }, 'fields.zip'],
    ['an age below the minimum', { age: 17 }, 'fields.age'],
    ['an age above the maximum', { age: '121' }, 'fields.age'],
    ['a fractional integer', { age: 41.5 }, 'fields.age'],
    ['text in a number field', { credit_score: 'good' }, 'fields.credit_score'],
    ['a boolean field with other text', { homeowner: 'maybe' }, 'fields.homeowner'],
    ['a date that is not on the calendar', { policy_start: '2027-02-30' }, 'fields.policy_start'],
    ['a date in US order', { policy_start: '01/15/2027' }, 'fields.policy_start'],
    ['an enum value not in the list', { coverage: 'platinum' }, 'fields.coverage'],
    ['a string past its maxLength', { first_name: 'x'.repeat(41) }, 'fields.first_name'],
  ])('%s is refused at its path', (_name, fields, path) => {
    expect(Object.keys(problems(body(fields)))).toEqual([path]);
  });

  it('every bad field is listed, not just the first', () => {
    const found = problems(body({ phone: '123', email: 'nope', state: 'Atlantis', zip: 'abc', age: 'old' }));
    expect(Object.keys(found).sort()).toEqual(['fields.age', 'fields.email', 'fields.phone', 'fields.state', 'fields.zip']);
  });

  it('missing required fields are each reported as required', () => {
    const found = problems({ ...body(), fields: { first_name: 'Ana', phone: ' ' } });
    expect(found).toEqual({
      'fields.phone': 'is required',
      'fields.email': 'is required',
      'fields.state': 'is required',
      'fields.zip': 'is required',
    });
  });

  it('an error message never echoes the value it refused', () => {
    const found = problems(body({ phone: '+1 999 SECRET' }));
    expect(found['fields.phone']).not.toContain('SECRET');
  });

  it.each([
    ['text', { text: '  ' }, 'consent.text'],
    ['captured_at', { captured_at: 'yesterday' }, 'consent.captured_at'],
    ['a capture time without a zone', { captured_at: '2026-11-27T15:04:05' }, 'consent.captured_at'],
    ['a capture time more than 5 minutes ahead', { captured_at: '2026-11-27T15:15:01Z' }, 'consent.captured_at'],
    ['a capture time older than 90 days', { captured_at: '2026-08-29T15:09:59Z' }, 'consent.captured_at'],
    ['an ip that is not an address', { ip: '203.0.113' }, 'consent.ip'],
    ['a page_url that is not a URL', { page_url: 'quotes.example/auto' }, 'consent.page_url'],
    ['a TrustedForm certificate over http', { trustedform_cert_url: 'http://cert.trustedform.com/abc' }, 'consent.trustedform_cert_url'],
    ['sellers that are not a list', { sellers: 'Acme' }, 'consent.sellers'],
    ['a blank seller name', { sellers: ['Acme', ''] }, 'consent.sellers[1]'],
    ['a non-text user agent', { user_agent: 42 }, 'consent.user_agent'],
  ])('bad consent %s is refused at its path', (_name, consent, path) => {
    expect(Object.keys(problems(body({}, consent)))).toEqual([path]);
  });

  it('a capture time 4 minutes ahead of our clock is accepted (source clock drift)', () => {
    expect(accepted(body({}, { captured_at: '2026-11-27T15:14:00Z' })).consent.captured_at).toBe('2026-11-27T15:14:00Z');
  });

  it('consent captured exactly 90 days ago is still accepted', () => {
    expect(accepted(body({}, { captured_at: '2026-08-29T15:10:00Z' })).consent.captured_at).toBe('2026-08-29T15:10:00Z');
  });

  it('accepts an IPv6 address and a zone offset in the capture time', () => {
    const lead = accepted(body({}, { ip: '2001:db8::7', captured_at: '2026-11-27T09:04:05-06:00' }));
    expect(lead.consent.ip).toBe('2001:db8::7');
  });

  it('a lead without consent is refused', () => {
    const { consent: _consent, ...rest } = body();
    expect(problems(rest)).toEqual({ consent: 'consent is required' });
  });

  it('a test flag that is not a boolean is refused', () => {
    expect(Object.keys(problems(body({}, {}, { test: 'yes' })))).toEqual(['test']);
  });

  it('a body naming another campaign is refused', () => {
    expect(Object.keys(problems(body({}, {}, { campaign: 'home-insurance' })))).toEqual(['campaign']);
  });

  it.each([
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'lead'],
  ])('a body that is %s is refused', (_name, input) => {
    expect(problems(input)).toHaveProperty(['(root)']);
  });

  it('fields that are not an object are refused along with other problems', () => {
    const found = problems({ ...body({}, { text: '' }), fields: ['Ana'] });
    expect(Object.keys(found).sort()).toEqual(['consent.text', 'fields']);
  });
});

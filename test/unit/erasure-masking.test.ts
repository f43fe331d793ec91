import { describe, expect, it } from 'vitest';
import { maskFreeText } from '../../src/engine/compliance/mask-free-text.js';
import { contactFieldsOf, scrubLead } from '../../src/engine/store/erase-record.js';

const lead = ['Ana', 'Diaz', '+15124015001', 'ana@example.com', '203.0.113.7', 'https://quotes.example/auto'];

describe('masking free text from buyers and sources', () => {
  it("masks the lead's own values, then any other email or phone a buyer quotes", () => {
    expect(maskFreeText('Ana Diaz (512) 401-5001 came from https://quotes.example/auto', lead)).toBe('[redacted] [redacted] [redacted] came from [redacted]');
    expect(maskFreeText('spouse on +1 512 555 0199 / bo@example.org', lead)).toBe('spouse on [redacted] / [redacted]');
  });

  it('keeps what explains the answer: codes, prices, years, refs and the buyer server address', () => {
    const text = 'HTTP 500 from 127.0.0.1:9101 at 2026-11-27, bid 40.00 for 2019 vehicle, ref-88231';
    expect(maskFreeText(text, lead)).toBe(text);
    expect(maskFreeText(null, lead)).toBeNull();
    expect(maskFreeText(undefined)).toBeNull();
  });
});

describe('what erasure blanks in a lead', () => {
  const fields = { first_name: 'Ana', cell: '512 401 5001', backup: 'ana.alt@example.com', spouse: 'Bo', state: 'TX', age: 41, year: '2019' };
  const consent = {
    text: 'I, Ana Diaz, agree to be called at +15124015001 by Acme',
    captured_at: '2026-11-27T15:04:05Z',
    ip: '203.0.113.7',
    user_agent: 'Mozilla/5.0',
    page_url: 'https://quotes.example/auto',
    trustedform_cert_url: 'https://cert.trustedform.com/abc',
    leadid_token: 'LID-1',
    sellers: ['Acme'],
  };

  it('takes the recorded contact fields, the shared contact names and any phone- or email-shaped value', () => {
    expect(contactFieldsOf(fields, ['spouse'])).toEqual(['backup', 'cell', 'first_name', 'spouse']);
    expect(contactFieldsOf(fields, null)).toEqual(['backup', 'cell', 'first_name']);
  });

  it('keeps the disclosure of the consent and masks the consumer inside its text', () => {
    const out = scrubLead(fields, consent, ['spouse']);
    expect(out.fields).toEqual({ first_name: null, cell: null, backup: null, spouse: null, state: 'TX', age: 41, year: '2019' });
    expect(out.erasedFields).toEqual(['backup', 'cell', 'first_name', 'spouse']);
    expect(out.consent).toEqual({ text: 'I, [redacted] Diaz, agree to be called at [redacted] by Acme', captured_at: consent.captured_at, sellers: ['Acme'] });
    expect(out.erasedConsent).toEqual(['ip', 'leadid_token', 'page_url', 'trustedform_cert_url', 'user_agent']);
  });
});

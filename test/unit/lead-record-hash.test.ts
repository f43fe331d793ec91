import { describe, expect, it } from 'vitest';
import { checkLeadRecord, hashLeadRecord, newRecordKey } from '../../src/engine/store/lead-record-hash.js';
import type { ConsentRecord, LeadFields } from '../../src/shared/domain.js';

const SALT = 'a'.repeat(64);
const fields: LeadFields = { first_name: 'Ana', last_name: 'Diaz', phone: '+15125550142', email: 'ana@example.com', state: 'TX', zip: '78701', age: 41 };
const consent: ConsentRecord = {
  text: 'By clicking I agree to be contacted by Acme Insurance.',
  captured_at: '2026-11-27T15:04:05Z',
  ip: '203.0.113.7',
  page_url: 'https://quotes.example/auto',
  trustedform_cert_url: 'https://cert.trustedform.com/abc',
  sellers: ['Acme Insurance'],
};
const CONTACT = ['first_name', 'last_name', 'phone', 'email'];

/** What erasure leaves: contact fields null, visitor keys gone. */
function erased(f: LeadFields, c: ConsentRecord): { fields: LeadFields; consent: ConsentRecord; erasedAt: number } {
  const { ip: _ip, page_url: _page, trustedform_cert_url: _cert, ...kept } = c;
  return { fields: { ...f, first_name: null, last_name: null, phone: null, email: null }, consent: kept, erasedAt: 1 };
}

describe('the record hash in a received event', () => {
  it('matches the same record read back in another key order', () => {
    const key = newRecordKey();
    const sealed = hashLeadRecord(SALT, key, fields, consent, CONTACT);
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as LeadFields;
    expect(checkLeadRecord(SALT, { fields: reordered, consent }, sealed, key)).toEqual({ status: 'intact' });
    expect(JSON.stringify(sealed)).not.toContain('Ana');
  });

  it('counts well-known contact names as contact even when the campaign did not flag them', () => {
    const sealed = hashLeadRecord(SALT, newRecordKey(), { ...fields, ip_address: '203.0.113.7' }, consent, []);
    expect(sealed.contactFields).toEqual(['email', 'first_name', 'ip_address', 'last_name', 'phone']);
  });

  it('catches one changed consent character, a changed seller and a changed non-contact field', () => {
    const key = newRecordKey();
    const sealed = hashLeadRecord(SALT, key, fields, consent, CONTACT);
    expect(checkLeadRecord(SALT, { fields, consent: { ...consent, text: consent.text.replace('Acme', 'Acmé') } }, sealed, key)).toEqual({ status: 'changed', part: 'kept' });
    expect(checkLeadRecord(SALT, { fields, consent: { ...consent, sellers: ['Acme Insurance', 'Bolt Auto'] } }, sealed, key)).toEqual({ status: 'changed', part: 'kept' });
    expect(checkLeadRecord(SALT, { fields: { ...fields, age: 42 }, consent }, sealed, key)).toEqual({ status: 'changed', part: 'kept' });
    expect(checkLeadRecord(SALT, { fields, consent: { ...consent, ip: '198.51.100.1' } }, sealed, key)).toEqual({ status: 'changed', part: 'contact' });
  });

  it('verifies an erased lead as erased, and still catches a consent change made after erasure', () => {
    const sealed = hashLeadRecord(SALT, newRecordKey(), fields, consent, CONTACT);
    const after = erased(fields, consent);
    // The per-lead key is gone with the erasure.
    expect(checkLeadRecord(SALT, after, sealed, null)).toEqual({ status: 'erased' });
    expect(checkLeadRecord(SALT, { ...after, consent: { ...after.consent, captured_at: '2026-11-27T15:04:06Z' } }, sealed, null)).toEqual({ status: 'changed', part: 'kept' });
  });

  it('reports a lead that is not erased but lost its key as changed', () => {
    const sealed = hashLeadRecord(SALT, newRecordKey(), fields, consent, CONTACT);
    expect(checkLeadRecord(SALT, { fields, consent }, sealed, null)).toEqual({ status: 'changed', part: 'contact' });
  });
});

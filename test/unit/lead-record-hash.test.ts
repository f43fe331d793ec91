import { describe, expect, it } from 'vitest';
import { createHmac, randomBytes } from 'node:crypto';
import { checkErasedRecord, checkLeadRecord, hashLeadRecord, priorRecordOf, sealErasedRecord } from '../../src/engine/store/lead-record-hash.js';
import { canonicalJson } from '../../src/engine/store/canonical-json.js';
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
function erased(f: LeadFields, c: ConsentRecord): { fields: LeadFields; consent: ConsentRecord } {
  const { ip: _ip, page_url: _page, trustedform_cert_url: _cert, ...kept } = c;
  return { fields: { ...f, first_name: null, last_name: null, phone: null, email: null }, consent: kept };
}

const newKey = (): Buffer => randomBytes(32);

describe('the record hash in a received event', () => {
  it('matches the same record read back in another key order', () => {
    const key = newKey();
    const sealed = hashLeadRecord(key, fields, consent, CONTACT);
    const reordered = Object.fromEntries(Object.entries(fields).reverse()) as LeadFields;
    expect(checkLeadRecord({ fields: reordered, consent }, sealed, key)).toEqual({ status: 'intact' });
    expect(JSON.stringify(sealed)).not.toContain('Ana');
  });

  it('counts well-known contact names as contact even when the campaign did not flag them', () => {
    const sealed = hashLeadRecord(newKey(), { ...fields, ip_address: '203.0.113.7' }, consent, []);
    expect(sealed.contactFields).toEqual(['email', 'first_name', 'ip_address', 'last_name', 'phone']);
  });

  it('catches one changed consent character, a changed seller and a changed non-contact field', () => {
    const key = newKey();
    const sealed = hashLeadRecord(key, fields, consent, CONTACT);
    expect(checkLeadRecord({ fields, consent: { ...consent, text: consent.text.replace('Acme', 'Acmé') } }, sealed, key)).toEqual({ status: 'changed', part: 'kept' });
    expect(checkLeadRecord({ fields, consent: { ...consent, sellers: ['Acme Insurance', 'Bolt Auto'] } }, sealed, key)).toEqual({ status: 'changed', part: 'kept' });
    expect(checkLeadRecord({ fields: { ...fields, age: 42 }, consent }, sealed, key)).toEqual({ status: 'changed', part: 'kept' });
    expect(checkLeadRecord({ fields, consent: { ...consent, ip: '198.51.100.1' } }, sealed, key)).toEqual({ status: 'changed', part: 'contact' });
  });

  it('keys both parts with the lead key: a phone inside the consent text cannot be tested with the salt', () => {
    const key = newKey();
    const quoting: ConsentRecord = { ...consent, text: 'I, Ana Diaz, at 512-555-0142 agree to be contacted.' };
    const sealed = hashLeadRecord(key, fields, quoting, CONTACT);
    const kept = { fields: { state: 'TX', zip: '78701', age: 41 }, consent: { text: quoting.text, captured_at: quoting.captured_at, sellers: quoting.sellers } };
    expect(sealed.kept).toBe(createHmac('sha256', key).update(canonicalJson(kept)).digest('hex'));
    expect(sealed.kept).not.toBe(createHmac('sha256', SALT).update(canonicalJson(kept)).digest('hex'));
  });

  it('reports a lead that is not erased but lost its key as changed', () => {
    const sealed = hashLeadRecord(newKey(), fields, consent, CONTACT);
    expect(checkLeadRecord({ fields, consent }, sealed, null)).toEqual({ status: 'changed', part: 'contact' });
  });
});

describe('the erasure receipt', () => {
  it('says intact for a row that matches, changed for one that does not, unhashed for a lead from before record hashes', () => {
    const key = newKey();
    const sealed = hashLeadRecord(key, fields, consent, CONTACT);
    expect(priorRecordOf(SALT, { fields, consent, erased: false }, sealed, key, undefined)).toBe('intact');
    expect(priorRecordOf(SALT, { fields: { ...fields, age: 42 }, consent, erased: false }, sealed, key, undefined)).toBe('changed');
    expect(priorRecordOf(SALT, { fields, consent, erased: false }, undefined, key, undefined)).toBe('unhashed');
  });

  it('verifies an erased row by its seal, and tells a change before erasure from one after', () => {
    const after = erased(fields, consent);
    const resealed = sealErasedRecord(SALT, after.fields, after.consent);
    expect(checkErasedRecord(SALT, after, true, { priorRecord: 'intact', resealed })).toEqual({ status: 'erased' });
    expect(checkErasedRecord(SALT, { ...after, consent: { ...after.consent, captured_at: '2026-11-27T15:04:06Z' } }, true, { priorRecord: 'intact', resealed })).toEqual({ status: 'changed', part: 'after_erasure' });
    expect(checkErasedRecord(SALT, after, true, { priorRecord: 'changed', resealed })).toEqual({ status: 'changed', part: 'before_erasure' });
    // A hashed lead cannot claim it had no hash; an erased row without a receipt is changed.
    expect(checkErasedRecord(SALT, after, true, { priorRecord: 'unhashed', resealed })).toEqual({ status: 'changed', part: 'before_erasure' });
    expect(checkErasedRecord(SALT, after, false, { priorRecord: 'unhashed', resealed })).toEqual({ status: 'erased' });
    expect(checkErasedRecord(SALT, after, true, undefined)).toEqual({ status: 'changed', part: 'no_receipt' });
  });

  it('carries the verdict of an earlier erasure over when the same row is erased again', () => {
    const after = erased(fields, consent);
    const resealed = sealErasedRecord(SALT, after.fields, after.consent);
    const sealed = hashLeadRecord(newKey(), fields, consent, CONTACT);
    expect(priorRecordOf(SALT, { ...after, erased: true }, sealed, null, { priorRecord: 'intact', resealed })).toBe('intact');
    expect(priorRecordOf(SALT, { ...after, fields: { ...after.fields, age: 42 }, erased: true }, sealed, null, { priorRecord: 'intact', resealed })).toBe('changed');
  });
});

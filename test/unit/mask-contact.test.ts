import { describe, expect, it } from 'vitest';
import { maskContact } from '../../src/engine/compliance/mask-contact.js';

const lead = ['Ana', 'Diaz', '+15124015001', 'ana@example.com', '203.0.113.7'];

describe('masking contact data in buyer answers', () => {
  it('masks a phone echoed in any punctuation, and names and emails whatever their case', () => {
    expect(maskContact('duplicate: Ana (512) 401-5001 ANA@EXAMPLE.COM', lead)).toBe('duplicate: [redacted] [redacted] [redacted]');
    expect(maskContact('seen 512.401.5001 from 203.0.113.7', lead)).toBe('seen [redacted] from [redacted]');
  });

  it('masks a phone right after a name that ends in digits without swallowing the name', () => {
    const withDigits = ['Ana29599001', '+15124015001'];
    expect(maskContact('dup Ana29599001 (512) 401-5001', withDigits)).toBe('dup [redacted] [redacted]');
  });

  it('leaves text that holds no contact value untouched, including names inside longer words', () => {
    expect(maskContact('ref-88231 accepted', lead)).toBe('ref-88231 accepted');
    expect(maskContact('Banana Diazepam', lead)).toBe('Banana Diazepam');
    expect(maskContact(null, lead)).toBeNull();
  });
});

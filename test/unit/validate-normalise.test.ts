import { describe, expect, it } from 'vitest';
import { normaliseEmail } from '../../src/engine/validate/normalise-email.js';
import { normalisePhone } from '../../src/engine/validate/normalise-phone.js';
import { normaliseState } from '../../src/engine/validate/normalise-state.js';

describe('normalisePhone (intake and search share it)', () => {
  it.each([
    ['(512) 555-0142', '+15125550142'],
    ['512.555.0142', '+15125550142'],
    ['1-512-555-0142', '+15125550142'],
    ['+1 512 555 0142', '+15125550142'],
    [' +15125550142 ', '+15125550142'],
    [5125550142, '+15125550142'],
    ['+44 20 7183 8750', '+442071838750'],
  ])('%s reads as %s', (input, expected) => {
    expect(normalisePhone(input)).toBe(expected);
  });

  it.each([['555-0142'], ['123'], ['not a phone'], [''], [null], [{}], ['+1 512 555 0142'.repeat(4)], ['(012) 555-0142']])('%s is not a phone number', (input) => {
    expect(normalisePhone(input)).toBeNull();
  });
});

describe('normaliseEmail (intake and search share it)', () => {
  it.each([
    ['Ana@Example.com', 'ana@example.com'],
    ['  ana.diaz+quotes@mail.example.co.uk ', 'ana.diaz+quotes@mail.example.co.uk'],
    ["o'brien@example.org", "o'brien@example.org"],
  ])('%s reads as %s', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it.each([['ana@example'], ['ana.example.com'], ['ana@@example.com'], ['ana@exa mple.com'], ['.ana@example.com'], ['ana..diaz@example.com'], ['ana@-example.com'], ['ana@example.c0m'], [42], ['']])(
    '%s is not an email address',
    (input) => {
      expect(normaliseEmail(input)).toBeNull();
    },
  );
});

describe('normaliseState', () => {
  it.each([
    ['tx', 'TX'],
    ['Texas', 'TX'],
    ['DISTRICT OF COLUMBIA', 'DC'],
    ['Washington, D.C.', 'DC'],
    ['Puerto Rico', 'PR'],
    ['north   carolina', 'NC'],
  ])('%s reads as %s', (input, expected) => {
    expect(normaliseState(input)).toBe(expected);
  });

  it.each([['XX'], ['Texass'], ['T'], [48]])('%s is not a state', (input) => {
    expect(normaliseState(input)).toBeNull();
  });
});

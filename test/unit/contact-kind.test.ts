import { describe, expect, it } from 'vitest';
import { readSuppressionValues } from '../../src/engine/compliance/suppression-values.js';
import { readContact } from '../../src/engine/validate/contact-kind.js';

describe('phone or email', () => {
  it('reads text with an @ as an email and anything else as a phone, normalised as intake does', () => {
    expect(readContact('  Jane.Doe@Example.COM ')).toEqual({ kind: 'email', normalised: 'jane.doe@example.com' });
    expect(readContact('(512) 555-0142')).toEqual({ kind: 'phone', normalised: '+15125550142' });
  });

  it('keeps the kind of an invalid value so the operator is told what was wrong', () => {
    expect(readContact('jane@nowhere')).toEqual({ kind: 'email', normalised: null });
    expect(readContact('555')).toEqual({ kind: 'phone', normalised: null });
  });

  it('turns typed suppression values into hashed entries with hints, and refuses the rest with a reason', () => {
    const { entries, refused } = readSuppressionValues(['(512) 555-0142', 'Jane@Example.com', 'jane@', '12'], (v) => `h:${v}`, 1000, 'console');
    expect(entries).toEqual([
      { kind: 'phone', hash: 'h:+15125550142', hint: '0142', addedAt: 1000, source: 'console' },
      { kind: 'email', hash: 'h:jane@example.com', hint: 'j***@example.com', addedAt: 1000, source: 'console' },
    ]);
    expect(refused).toEqual([
      { value: 'jane@', reason: 'not a valid email' },
      { value: '12', reason: 'not a valid phone number' },
    ]);
  });
});

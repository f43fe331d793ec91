import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseMoneyInput } from '../../src/shared/money-input.js';
import { isRawZodMessage, plainIssueMessage, plainMessage } from '../../src/shared/plain-messages.js';
import { parseStateList, stateCode } from '../../src/shared/us-states.js';
import { buyerSchema } from '../../src/engine/workspace/schema.js';
import { issuesToDetails } from '../../src/engine/workspace/validate-workspace.js';
import { checkBuyer } from '../../src/engine/config/entity-problems.js';

const issuesOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error('expected a failure');
  return r.error.issues;
};

describe('zod issues in a broker’s words', () => {
  it('an empty name asks for a name instead of quoting the string length', () => {
    const [issue] = issuesOf(z.object({ name: z.string().min(1) }), { name: '' });
    expect(issue.message).toMatch(/^Too small/);
    expect(plainIssueMessage(issue)).toBe('Enter a name');
  });

  it('a missing field asks for it', () => {
    const [issue] = issuesOf(z.object({ name: z.string() }), {});
    expect(plainIssueMessage(issue)).toBe('Enter a name');
  });

  it('a number beyond the safe integer range is "too large", not an int bound', () => {
    const [issue] = issuesOf(z.object({ hourly: z.number().int() }), { hourly: 1e20 });
    expect(plainIssueMessage(issue)).toBe('The hourly cap is too large');
  });

  it('a negative money amount says it cannot be negative; bounds on money read as dollars', () => {
    expect(plainIssueMessage(issuesOf(z.object({ fixedPrice: z.number().min(0) }), { fixedPrice: -1 })[0])).toBe('The fixed price cannot be negative');
    expect(plainIssueMessage(issuesOf(z.object({ floor: z.number().max(1_000_000) }), { floor: 2_000_000 })[0])).toBe('The floor can be at most $1,000,000.00');
  });

  it('an unknown key is named and the fix is to remove it', () => {
    const [issue] = issuesOf(z.strictObject({ id: z.string() }), { id: 'a', colour: 'red' });
    expect(plainIssueMessage(issue)).toBe('"colour" is not a setting Pingdesk knows: remove it');
  });

  it('an enum lists the choices', () => {
    const [issue] = issuesOf(z.object({ method: z.enum(['POST', 'PUT']) }), { method: 'GET' });
    expect(plainIssueMessage(issue)).toBe('Choose one of: POST, PUT');
  });

  it('a message the schema wrote itself is kept, as a sentence', () => {
    const [issue] = issuesOf(z.object({ id: z.string().regex(/^a$/, 'use the letter a') }), { id: 'b' });
    expect(plainIssueMessage(issue)).toBe('Use the letter a');
  });

  it('no detail of a badly filled buyer reads like zod', () => {
    const details = issuesToDetails(issuesOf(buyerSchema, { id: 'has space', name: '', post: { url: 'ftp://x', timeoutMs: 0 }, caps: { hourly: -1 }, filters: { states: ['Texas'] } }));
    expect(details.length).toBeGreaterThanOrEqual(5);
    for (const d of details) expect(isRawZodMessage(d.message), `${d.field}: ${d.message}`).toBe(false);
    expect(details).toEqual(expect.arrayContaining([{ field: 'name', message: 'Enter a name' }, { field: 'caps.hourly', message: 'The hourly cap cannot be negative' }]));
  });

  it('a buyer is refused with every problem at once, the missing fixed price included', () => {
    const checked = checkBuyer({ id: 'x', name: '', post: { url: 'nope' } });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((p) => p.field).sort()).toEqual(['fixedPrice', 'name', 'post.url']);
  });

  it('the console rewords a raw message it is given, by field', () => {
    expect(plainMessage('Too small: expected string to have >=1 characters', 'buyer.name')).toBe('Enter a name');
    expect(plainMessage('Too big: expected int to be <=9007199254740991', 'caps.daily')).toBe('The daily cap is too large');
    expect(plainMessage('no buyer "x"', 'tiers[0].buyers[0]')).toBe('No buyer "x"');
  });
});

describe('inputs accept what the intake accepts', () => {
  it('state names and codes in any case become codes', () => {
    expect(stateCode('Texas')).toBe('TX');
    expect(stateCode('tx')).toBe('TX');
    expect(stateCode('new york')).toBe('NY');
    expect(stateCode('Texsa')).toBeNull();
  });

  it('a list mixes names and codes, drops repeats and names what is not a state', () => {
    expect(parseStateList('Texas, CA; new york\nTX')).toEqual({ codes: ['TX', 'CA', 'NY'], unknown: [] });
    expect(parseStateList('TX CA')).toEqual({ codes: ['TX', 'CA'], unknown: [] });
    expect(parseStateList('Texsa, CA')).toEqual({ codes: ['CA'], unknown: ['Texsa'] });
  });

  it('formatted money is read as dollars', () => {
    expect(parseMoneyInput('$1,250.00')).toBe(1250);
    expect(parseMoneyInput('1250')).toBe(1250);
    expect(parseMoneyInput(' $ 12.5 ')).toBe(12.5);
    expect(parseMoneyInput('1,234,567.89')).toBe(1234567.89);
    expect(parseMoneyInput('')).toBeUndefined();
    expect(parseMoneyInput('1,25')).toBeNaN();
    expect(parseMoneyInput('12.345')).toBeNaN();
    expect(parseMoneyInput('twelve')).toBeNaN();
  });
});

import { describe, expect, it } from 'vitest';
import { DEMO_SERIAL_SPACE, demoLead } from '../../src/engine/demo/demo-lead.js';
import { demoLeadSequence } from '../../src/engine/demo/run-demo.js';
import { normalisePhone } from '../../src/engine/validate/normalise-phone.js';

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

describe('demo lead serials', () => {
  it('give a phone that passes the intake phone validation for every exchange and line range', () => {
    const rng = seeded(7);
    const invalid: string[] = [];
    // Every 10,000th serial starts a new exchange; probe each exchange at several lines and places.
    for (let serial = 0; serial < DEMO_SERIAL_SPACE; serial += 997) {
      const phone = String(demoLead(rng, { serial }).fields.phone);
      if (normalisePhone(phone) !== phone) invalid.push(phone);
    }
    expect(invalid).toEqual([]);
  });

  it('never repeat a phone or an email within a run of 50,000 leads', () => {
    const next = demoLeadSequence(DEMO_SERIAL_SPACE - 25_000);
    const phones = new Set<string>();
    const emails = new Set<string>();
    for (let i = 0; i < 50_000; i += 1) {
      const lead = next();
      phones.add(String(lead.fields.phone));
      emails.add(String(lead.fields.email));
    }
    expect(phones.size).toBe(50_000);
    expect(emails.size).toBe(50_000);
  });
});

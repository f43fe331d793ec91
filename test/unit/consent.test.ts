import { describe, expect, it } from 'vitest';
import type { BuyerSpec, CampaignSpec, ConsentRecord } from '../../src/shared/domain.js';
import { consentCovers } from '../../src/engine/compliance/consent.js';
import { compileBuyer, compileCampaign } from '../../src/engine/workspace/compile.js';

function campaign(requireNamedSeller: boolean) {
  const spec: CampaignSpec = {
    id: 'auto', name: 'Auto', vertical: 'auto', fields: { state: { type: 'state' } }, pingFields: ['state'],
    minPrice: 0, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 0 }, requireNamedSeller,
    duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000, tiers: [],
  };
  return compileCampaign(spec);
}

function buyer(name: string, consentName?: string) {
  const spec: BuyerSpec = { id: 'b1', name, consentName, post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 10 };
  return compileBuyer(spec);
}

const consent = (sellers?: string[]): ConsentRecord => ({ text: 'I agree to be contacted.', captured_at: '2026-11-27T15:04:05Z', sellers });

describe('consentCovers', () => {
  it.each([
    ["consent naming 'ACME Insurance, Inc.' covers consent name 'Acme Insurance'", ['ACME Insurance, Inc.'], 'Acme Insurance', true],
    ["consent naming 'Acme Insurance LLC' covers consent name 'acme insurance'", ['Bolt Auto', 'Acme Insurance LLC'], 'acme insurance', true],
    ["'Smith & Sons' covers 'Smith and Sons'", ['Smith & Sons'], 'Smith and Sons', true],
    ["'Acme Auto' does not cover 'Acme Insurance'", ['Acme Auto'], 'Acme Insurance', false],
    ['an empty seller list covers no one', [], 'Acme Insurance', false],
    ['consent without a seller list covers no one', undefined, 'Acme Insurance', false],
  ])('%s', (_name, sellers, consentName, covered) => {
    expect(consentCovers(buyer('Acme', consentName), consent(sellers), campaign(true))).toBe(covered);
  });

  it("a buyer without a consent name is matched by its name", () => {
    expect(consentCovers(buyer('Bolt Auto Corp.'), consent(['Bolt Auto']), campaign(true))).toBe(true);
  });

  it('a seller named only in the free consent text does not count', () => {
    const c: ConsentRecord = { text: 'By clicking, Acme Insurance may call me.', captured_at: '2026-11-27T15:04:05Z', sellers: ['Bolt Auto'] };
    expect(consentCovers(buyer('Acme Insurance'), c, campaign(true))).toBe(false);
  });

  it('a campaign that does not require named sellers covers every buyer', () => {
    expect(consentCovers(buyer('Acme Insurance'), consent(undefined), campaign(false))).toBe(true);
  });
});

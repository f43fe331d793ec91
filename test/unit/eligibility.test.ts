import { describe, expect, it } from 'vitest';
import type { BuyerSpec, CampaignSpec, ConsentRecord, LeadFields } from '../../src/shared/domain.js';
import { CircuitBreaker } from '../../src/engine/signals/circuit-breaker.js';
import { CapsLedger } from '../../src/engine/tree/caps-ledger.js';
import { selectEligible, type EligibilityInput } from '../../src/engine/tree/eligibility.js';
import { compileBuyer, compileCampaign } from '../../src/engine/workspace/compile.js';
import type { RuntimeBuyer } from '../../src/engine/workspace/runtime.js';

// Monday 30 Nov 2026, 10:00 in Chicago.
const NOW = Date.parse('2026-11-30T16:00:00Z');

const campaignSpec: CampaignSpec = {
  id: 'auto-insurance', name: 'Auto insurance', vertical: 'auto-insurance',
  fields: {
    phone: { type: 'phone', required: true, contact: true },
    state: { type: 'state', required: true },
    zip: { type: 'zip', required: true },
    age: { type: 'integer' },
    homeowner: { type: 'boolean' },
    coverage: { type: 'enum', values: ['minimum', 'full'] },
  },
  pingFields: ['state', 'zip', 'age'],
  minPrice: 5, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 1 },
  requireNamedSeller: true, duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000,
  tiers: [{ name: 'Tier 1', floor: 20, buyers: ['acme'] }],
};
const campaign = compileCampaign(campaignSpec);

const lead: { fields: LeadFields; consent: ConsentRecord } = {
  fields: { phone: '+15125550142', state: 'TX', zip: '78701', age: 41, homeowner: true, coverage: 'full' },
  consent: { text: 'I agree.', captured_at: '2026-11-30T15:59:00Z', sellers: ['Acme Insurance, Inc.', 'Bolt Auto'] },
};

function acme(overrides: Partial<BuyerSpec> = {}): RuntimeBuyer {
  return compileBuyer({ id: 'acme', name: 'Acme Insurance', ping: { url: 'http://127.0.0.1:9/ping' }, post: { url: 'http://127.0.0.1:9/post' }, ...overrides });
}

function run(buyers: RuntimeBuyer[], overrides: Partial<EligibilityInput> = {}, tierBuyers = buyers.map((b) => b.id)) {
  return selectEligible({
    campaign,
    tier: { index: 0, name: 'Tier 1', floorCents: 2000, buyerIds: tierBuyers },
    buyers: new Map(buyers.map((b) => [b.id, b])),
    lead,
    now: NOW,
    caps: { check: () => null },
    isPaused: () => false,
    isCircuitOpen: () => false,
    ...overrides,
  });
}

function exclusionOf(buyer: RuntimeBuyer, overrides: Partial<EligibilityInput> = {}) {
  const result = run([buyer], overrides);
  return result.excluded[0] ?? null;
}

describe('selectEligible', () => {
  it('a buyer passing every check is eligible', () => {
    const result = run([acme({ filters: { states: ['TX'], zips: ['787'] }, schedule: { timezone: 'America/Chicago', from: '08:00', to: '20:00' } })]);
    expect(result.eligible.map((b) => b.id)).toEqual(['acme']);
    expect(result.excluded).toEqual([]);
  });

  it.each<[string, Partial<BuyerSpec>, string]>([
    ['an inactive buyer', { active: false }, 'INACTIVE'],
    ['a buyer limited to other campaigns', { filters: { campaigns: ['home-insurance'] } }, 'FILTERED_CAMPAIGN'],
    ['a buyer of other states', { filters: { states: ['CA', 'NV'] } }, 'FILTERED_STATE'],
    ['a buyer excluding the lead state', { filters: { excludeStates: ['tx'] } }, 'FILTERED_STATE'],
    ['a buyer of other zip prefixes', { filters: { zips: ['900', '10001'] } }, 'FILTERED_ZIP'],
    ['a buyer excluding the zip prefix', { filters: { excludeZips: ['787'] } }, 'FILTERED_ZIP'],
    ['a buyer whose field rule fails', { filters: { rules: [{ field: 'age', op: 'gte', value: 50 }] } }, 'FILTERED_FIELD'],
    ['a buyer out of its schedule', { schedule: { timezone: 'America/Chicago', from: '12:00', to: '18:00' } }, 'OUT_OF_SCHEDULE'],
    ['a buyer the consent does not name', { consentName: 'Cheap Leads' }, 'CONSENT_NOT_NAMED'],
  ])('%s is excluded as %s', (_name, overrides, code) => {
    expect(exclusionOf(acme(overrides))?.code).toBe(code);
  });

  it('a paused buyer is excluded as PAUSED and one with an open circuit as CIRCUIT_OPEN', () => {
    expect(exclusionOf(acme(), { isPaused: (id) => id === 'acme' })?.code).toBe('PAUSED');
    expect(exclusionOf(acme(), { isCircuitOpen: (id) => id === 'acme' })?.code).toBe('CIRCUIT_OPEN');
  });

  it('a lead the filters exclude does not use up the half-open trial of an open circuit', () => {
    let now = NOW;
    const breaker = new CircuitBreaker({ threshold: 1, coolDownMs: 1000, now: () => now });
    breaker.recordFailure('acme');
    now += 1000;
    const texasOnly = acme({ filters: { states: ['TX'] } });
    const isCircuitOpen = (id: string) => breaker.isOpen(id);
    const elsewhere = { ...lead, fields: { ...lead.fields, state: 'CA' } };
    expect(run([texasOnly], { isCircuitOpen, lead: elsewhere }).excluded[0]?.code).toBe('FILTERED_STATE');
    // The trial is still there for the next lead the buyer would take, and only once.
    expect(run([texasOnly], { isCircuitOpen }).eligible.map((b) => b.id)).toEqual(['acme']);
    expect(run([texasOnly], { isCircuitOpen }).excluded[0]?.code).toBe('CIRCUIT_OPEN');
  });

  it('a tier naming a buyer with no configuration excludes it as INACTIVE "unknown buyer"', () => {
    expect(run([], {}, ['ghost']).excluded).toEqual([{ buyerId: 'ghost', code: 'INACTIVE', reason: 'unknown buyer' }]);
  });

  it('a buyer whose cap is reached in the shared ledger is excluded as CAP_REACHED', () => {
    const ledger = new CapsLedger({ now: () => NOW });
    const b = acme({ caps: { hourly: 1 } });
    ledger.commit(ledger.reserve(b, 2500)!);
    expect(exclusionOf(b, { caps: ledger })?.code).toBe('CAP_REACHED');
  });

  it('a fixed-price buyer whose price would overrun its budget is excluded as BUDGET_REACHED', () => {
    const ledger = new CapsLedger({ now: () => NOW });
    const b = acme({ ping: undefined, fixedPrice: 30, caps: { dailyBudget: 50 } });
    ledger.commit(ledger.reserve(b, 3000)!);
    expect(exclusionOf(b, { caps: ledger })?.code).toBe('BUDGET_REACHED');
  });

  it('the first failing check decides the code (inactive before filters before caps)', () => {
    const everything = acme({ active: false, filters: { states: ['CA'] }, consentName: 'Nobody' });
    expect(exclusionOf(everything, { caps: { check: () => 'CAP_REACHED' } })?.code).toBe('INACTIVE');
    const filteredAndCapped = acme({ filters: { states: ['CA'] } });
    expect(exclusionOf(filteredAndCapped, { caps: { check: () => 'CAP_REACHED' } })?.code).toBe('FILTERED_STATE');
  });

  it('a field rule exclusion names the rule but not the lead value', () => {
    const excluded = exclusionOf(acme({ filters: { rules: [{ field: 'phone', op: 'exists', value: false }] } }));
    expect(excluded?.code).toBe('FILTERED_FIELD');
    expect(excluded?.reason).toContain('phone absent');
    expect(excluded?.reason).not.toContain('5550142');
  });

  it('a lead with no state is filtered by a buyer that lists states, but not by one that only excludes', () => {
    const noState = { ...lead, fields: { ...lead.fields, state: null } };
    expect(exclusionOf(acme({ filters: { states: ['TX'] } }), { lead: noState })?.code).toBe('FILTERED_STATE');
    expect(exclusionOf(acme({ filters: { excludeStates: ['TX'] } }), { lead: noState })).toBeNull();
  });

  it('eligible buyers keep the tier order and every other buyer gets a reason', () => {
    const buyers = [
      acme(),
      compileBuyer({ id: 'bolt', name: 'Bolt Auto', post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 25 }),
      compileBuyer({ id: 'cheap', name: 'Cheap Leads', post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 6 }),
    ];
    const result = run(buyers, {}, ['bolt', 'cheap', 'acme']);
    expect(result.eligible.map((b) => b.id)).toEqual(['bolt', 'acme']);
    expect(result.excluded).toEqual([{ buyerId: 'cheap', code: 'CONSENT_NOT_NAMED', reason: 'consent does not name the buyer' }]);
  });
});

describe('buyer field rules', () => {
  it.each<[string, NonNullable<BuyerSpec['filters']>['rules'], boolean]>([
    ['age gte 41 holds at 41', [{ field: 'age', op: 'gte', value: 41 }], true],
    ['age gt 41 fails at 41', [{ field: 'age', op: 'gt', value: 41 }], false],
    ['age lt "50" compares numerically', [{ field: 'age', op: 'lt', value: '50' }], true],
    ['age lte 40 fails', [{ field: 'age', op: 'lte', value: 40 }], false],
    ['coverage eq "FULL" ignores case', [{ field: 'coverage', op: 'eq', value: 'FULL' }], true],
    ['coverage neq full fails', [{ field: 'coverage', op: 'neq', value: 'full' }], false],
    ['state in [TX, CA] holds', [{ field: 'state', op: 'in', value: ['TX', 'CA'] }], true],
    ['state nin [TX] fails', [{ field: 'state', op: 'nin', value: ['TX'] }], false],
    ['homeowner eq true holds', [{ field: 'homeowner', op: 'eq', value: true }], true],
    ['a missing field fails exists', [{ field: 'vehicle_year', op: 'exists' }], false],
    ['a missing field fails gte', [{ field: 'vehicle_year', op: 'gte', value: 2010 }], false],
    ['a missing field passes neq', [{ field: 'vehicle_year', op: 'neq', value: 2010 }], true],
    ['a missing field passes nin', [{ field: 'vehicle_year', op: 'nin', value: [2010] }], true],
    ['text cannot be ordered against a number', [{ field: 'coverage', op: 'gte', value: 3 }], false],
    ['all rules must hold', [{ field: 'age', op: 'gte', value: 18 }, { field: 'state', op: 'eq', value: 'CA' }], false],
  ])('%s', (_name, rules, eligible) => {
    expect(exclusionOf(acme({ filters: { rules } })) === null).toBe(eligible);
  });
});

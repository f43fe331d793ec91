import type { BuyerSpec, CampaignSpec, TierSpec, Workspace } from '../../shared/domain.js';
import { DEMO_SOURCE_KEY } from './demo-names.js';

const contact = (type: 'string' | 'phone' | 'email') => ({ type, required: true, contact: true });

/** The auto-insurance campaign of DESIGN.md §4 (without tiers): the demo's, and the base of test workspaces. */
export const AUTO_INSURANCE: Readonly<Omit<CampaignSpec, 'tiers'>> = {
  id: 'auto-insurance',
  name: 'Auto insurance',
  vertical: 'auto-insurance',
  fields: {
    first_name: contact('string'),
    last_name: contact('string'),
    phone: contact('phone'),
    email: contact('email'),
    state: { type: 'state', required: true },
    zip: { type: 'zip', required: true },
    age: { type: 'integer', min: 18, max: 120 },
    vehicle_year: { type: 'integer' },
  },
  pingFields: ['state', 'zip', 'age', 'vehicle_year'],
  minPrice: 5,
  payout: { type: 'percent', value: 70 },
  margin: { type: 'fixed', value: 1 },
  requireNamedSeller: true,
  duplicateWindowDays: 30,
  pingTimeoutMs: 300,
  postTimeoutMs: 2000,
};

const HOME: Omit<CampaignSpec, 'tiers'> = {
  id: 'home-services',
  name: 'Home services',
  vertical: 'home-services',
  fields: {
    first_name: contact('string'),
    last_name: contact('string'),
    phone: contact('phone'),
    email: contact('email'),
    state: { type: 'state', required: true },
    zip: { type: 'zip', required: true },
    service: { type: 'enum', required: true, values: ['roofing', 'solar', 'hvac', 'plumbing', 'windows'] },
    homeowner: { type: 'boolean', required: true },
    timeline: { type: 'enum', values: ['immediately', '1-3 months', '3-6 months', 'researching'] },
  },
  pingFields: ['state', 'zip', 'service', 'homeowner', 'timeline'],
  minPrice: 3,
  payout: { type: 'fixed', value: 6 },
  margin: { type: 'percent', value: 20 },
  requireNamedSeller: false,
  duplicateWindowDays: 14,
  pingTimeoutMs: 400,
  postTimeoutMs: 2000,
};

/**
 * A workspace around the demo buyers: two campaigns, tiers made of whichever demo buyers were
 * started, and the `demo-source` publisher (API key `src_demo_key_0001`).
 */
export function demoWorkspace(buyers: BuyerSpec[]): Workspace {
  const present = new Set(buyers.map((b) => b.id));
  const tier = (name: string, floor: number, ids: string[]): TierSpec => ({ name, floor, buyers: ids.filter((id) => present.has(id)) });
  return {
    version: 1,
    campaigns: [
      { ...AUTO_INSURANCE, tiers: [tier('Tier 1', 20, ['demo-acme', 'demo-bolt', 'demo-slowpoke', 'demo-harbor']), tier('Tier 2', 5, ['demo-flaky', 'demo-picky', 'demo-budget'])] },
      { ...HOME, tiers: [tier('Premium', 12, ['demo-homepro']), tier('Fallback', 5, ['demo-budget'])] },
    ],
    sources: [{ id: 'demo-source', name: 'Demo quotes site', apiKey: DEMO_SOURCE_KEY, campaigns: ['auto-insurance', 'home-services'] }],
    buyers,
  };
}

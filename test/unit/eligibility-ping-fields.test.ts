import { describe, expect, it } from 'vitest';
import type { CampaignSpec } from '../../src/shared/domain.js';
import { buildPingFields } from '../../src/engine/tree/ping-fields.js';
import { compileCampaign } from '../../src/engine/workspace/compile.js';
import type { RuntimeCampaign } from '../../src/engine/workspace/runtime.js';

const spec: CampaignSpec = {
  id: 'auto-insurance', name: 'Auto insurance', vertical: 'auto-insurance',
  fields: {
    first_name: { type: 'string', contact: true },
    phone: { type: 'phone', contact: true },
    email: { type: 'email' },
    street_address: { type: 'string' },
    notes: { type: 'string', contact: true },
    state: { type: 'state' },
    zip: { type: 'zip' },
    age: { type: 'integer' },
    vehicle_year: { type: 'integer' },
  },
  pingFields: ['state', 'zip', 'age', 'vehicle_year'],
  minPrice: 0, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 0 }, requireNamedSeller: false,
  duplicateWindowDays: 30, pingTimeoutMs: 300, postTimeoutMs: 2000, tiers: [],
};

const fields = {
  first_name: 'Ana', phone: '+15125550142', email: 'ana@example.com', street_address: '1 Main St', notes: 'call after 5',
  state: 'TX', zip: '78701', age: 41,
};

describe('buildPingFields', () => {
  it("a ping carries only the campaign's ping fields that the lead has", () => {
    expect(buildPingFields(compileCampaign(spec), fields)).toEqual({ state: 'TX', zip: '78701', age: 41 });
  });

  it('a misconfigured ping list still never carries a contact field', () => {
    // Bypass the compiler's own filtering, as a hand-built or stale runtime config would.
    const campaign: RuntimeCampaign = {
      ...compileCampaign(spec),
      pingFields: ['first_name', 'phone', 'email', 'street_address', 'notes', 'state', 'undeclared'],
      contactFields: new Set(),
    };
    expect(buildPingFields(campaign, { ...fields, undeclared: 'x' })).toEqual({ state: 'TX' });
  });
});

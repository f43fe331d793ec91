import { describe, expect, it, vi } from 'vitest';
import type { SourceStat } from '../../src/shared/console-api.js';
import { SOURCE_KEY, autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf } from './fixtures/engine-harness.js';

const rig = useTestRig();
const PING_FIELDS = { state: 'TX', zip: '78701', age: 41, vehicle_year: 2019 };

describe('inbound ping/post with per-party terms', () => {
  it("a source with a fixed $12 payout is promised and paid $12 on a $30 bid, and a refused ping is not counted as a refused lead", async () => {
    const acme = await rig.buyer({ bid: 30 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 1 } }), [buyerFor(acme, 'acme')], {
        payout: { type: 'fixed', value: 12 },
      }),
    });
    const pinged = await h.post('/v1/ping', { campaign: 'auto-insurance', fields: PING_FIELDS }, { key: SOURCE_KEY });
    expect(pinged.body).toMatchObject({ status: 'bid', price: 12 });
    const lead = leadBody();
    const sold = await h.post('/v1/post', { ping_id: pinged.body.ping_id, fields: lead.fields, consent: lead.consent }, { key: SOURCE_KEY });
    expect(sold.body).toMatchObject({ status: 'sold', price: 12 });
    expect(h.db().prepare('SELECT price_cents, payout_cents FROM auctions WHERE lead_id = ?').get(sold.body.lead_id)).toEqual({ price_cents: 3000, payout_cents: 1200 });

    // A ping with a contact field is refused (422) but is not a lead; a whole lead refused as a duplicate is.
    expect((await h.post('/v1/ping', { campaign: 'auto-insurance', fields: { ...PING_FIELDS, phone: '+15125550100' } }, { key: SOURCE_KEY })).status).toBe(422);
    expect((await h.sendLead(lead)).status).toBe(409);
    const table = () => h.call<SourceStat[]>('stats.sources', { from: Date.now() - 3_600_000, to: Date.now() + 60_000 });
    await vi.waitFor(async () => expect(await table()).toMatchObject([{ sourceId: 'pub-1', leads: 1, refused: 1, received: 2, refusedBy: { duplicate: 1 } }]), { timeout: 3000, interval: 50 });
  });
});

import { describe, expect, it } from 'vitest';
import type { BuyerStat } from '../../src/shared/console-api.js';
import { autoCampaign, buyerFor, leadBody, useTestRig } from './fixtures/engine-harness.js';

const rig = useTestRig();

describe('a campaign tree’s buyer figures', () => {
  it('count only that campaign’s pings, posts and wins', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const cheap = await rig.buyer({ bid: 8 });
    const h = await rig.engine({
      workspace: {
        version: 1,
        campaigns: [
          autoCampaign([{ name: 'Premium', floor: 5, buyers: ['acme', 'cheap'] }]),
          autoCampaign([{ name: 'Only', floor: 5, buyers: ['cheap'] }], { id: 'home', name: 'Home' }),
        ],
        sources: [{ id: 'pub-1', name: 'Quotes Site', apiKey: 'src_test_key_1', campaigns: ['auto-insurance', 'home'] }],
        buyers: [buyerFor(acme, 'acme'), buyerFor(cheap, 'cheap')],
      },
    });
    for (let i = 0; i < 3; i += 1) expect((await h.sendLead(leadBody())).body.status).toBe('sold');
    expect((await h.sendLead(leadBody({ campaign: 'home' }))).body.status).toBe('sold');
    const range = { from: Date.now() - 60_000, to: Date.now() + 60_000 };

    const all = await h.call<BuyerStat[]>('stats.buyers', range);
    expect(all.find((s) => s.buyerId === 'cheap')).toMatchObject({ pings: 4, wins: 1, posts: 1, revenue: 8 });

    const home = await h.call<BuyerStat[]>('stats.buyers', { ...range, campaignId: 'home' });
    expect(home).toEqual([expect.objectContaining({ buyerId: 'cheap', pings: 1, bids: 1, wins: 1, posts: 1, accepted: 1, revenue: 8, avgBid: 8 })]);

    const auto = await h.call<BuyerStat[]>('stats.buyers', { ...range, campaignId: 'auto-insurance' });
    expect(auto.map((s) => [s.buyerId, s.pings, s.wins, s.revenue])).toEqual([
      ['acme', 3, 3, 90],
      ['cheap', 3, 0, 0],
    ]);
    expect(await h.call<BuyerStat[]>('stats.buyers', { ...range, campaignId: 'nobody' })).toEqual([]);
  });
});

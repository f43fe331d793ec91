import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BuyerSignalsRow, PlacementMoveView, PlacementProposalView, SourceSignalsRow } from '../../src/shared/console-api.js';
import type { CampaignSpec, Workspace } from '../../src/shared/domain.js';
import { auditRows, autoCampaign, buyerFor, leadBody, makeDataDir, SOURCE_KEY, useTestRig, writesCommitted } from './fixtures/engine-harness.js';

const rig = useTestRig();

/** Two campaigns that both use acme: it bids $30 on auto insurance and $12 on home. */
async function twoCampaigns(): Promise<Workspace> {
  const acme = await rig.buyer((req) => ({ bid: req.body?.campaign === 'home' ? 12 : 30 }));
  return {
    version: 1,
    campaigns: [
      autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }]),
      autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { id: 'home', name: 'Home', vertical: 'home' }),
    ],
    sources: [{ id: 'pub-1', name: 'Quotes Site', apiKey: SOURCE_KEY, campaigns: ['auto-insurance', 'home'] }],
    buyers: [buyerFor(acme, 'acme', { apiKey: 'buy_acme_key_1' })],
  };
}

describe('rolling signals', () => {
  it('are kept per campaign and read the same after a restart on the same folder', async () => {
    const dir = makeDataDir();
    const first = await rig.engine({ dir, workspace: await twoCampaigns() });
    const sold: string[] = [];
    for (let i = 0; i < 3; i++) sold.push((await first.sendLead(leadBody())).body.lead_id);
    for (let i = 0; i < 2; i++) expect((await first.sendLead(leadBody({ campaign: 'home' }))).body.status).toBe('sold');
    const converted = await first.post('/v1/feedback', { lead_id: sold[0], event: 'converted' }, { key: 'buy_acme_key_1' });
    expect(converted.status).toBe(200);
    expect((await first.post('/v1/feedback', { lead_id: sold[1], event: 'returned' }, { key: 'buy_acme_key_1' })).status).toBe(200);

    const before = await first.call<BuyerSignalsRow[]>('signals.buyers', {});
    const auto = before.find((r) => r.campaignId === 'auto-insurance')?.figures;
    const home = before.find((r) => r.campaignId === 'home')?.figures;
    expect(auto).toMatchObject({ pings: 3, bids: 3, avgBid: 30, wins: 3, accepted: 3, sold: 3, converted: 1, returned: 1, conversionRate: 1 / 3, returnRate: 1 / 3 });
    expect(home).toMatchObject({ pings: 2, bids: 2, avgBid: 12, wins: 2, accepted: 2, sold: 2, converted: 0, returned: 0 });
    expect(await first.call('signals.buyers', { campaignId: 'home' })).toEqual([{ buyerId: 'acme', campaignId: 'home', figures: home }]);
    const sourcesBefore = await first.call<SourceSignalsRow[]>('signals.sources', {});
    expect(sourcesBefore).toEqual([
      expect.objectContaining({ sourceId: 'pub-1', campaignId: 'auto-insurance', leads: 3, sold: 3, avgPrice: 30, returned: 1 }),
      expect.objectContaining({ sourceId: 'pub-1', campaignId: 'home', leads: 2, sold: 2, avgPrice: 12, returned: 0 }),
    ]);
    await rig.closeEngines();

    try {
      const second = await rig.engine({ dir });
      expect(await second.call('signals.buyers', {})).toEqual(before);
      expect(await second.call('signals.sources', {})).toEqual(sourcesBefore);
    } finally {
      await rig.closeEngines();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('automatic placement moves a buyer whose conversion falls under the threshold, audited with its evidence, once', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const bolt = await rig.buyer({ bid: 10 });
    const tierPlacement = { mode: 'automatic' as const, promoteConversionPercent: 50, demoteConversionPercent: 50, minSamples: 3, cooldownMs: 3_600_000 };
    const campaign: CampaignSpec = autoCampaign([{ name: 'Premium', floor: 5, buyers: ['acme'] }, { name: 'Fallback', floor: 5, buyers: ['bolt'] }], { tierPlacement });
    const h = await rig.engine({
      placementIntervalMs: 100,
      workspace: { version: 1, campaigns: [campaign], sources: [{ id: 'pub-1', name: 'Quotes', apiKey: SOURCE_KEY, campaigns: [campaign.id] }], buyers: [buyerFor(acme, 'acme'), buyerFor(bolt, 'bolt')] },
    });
    for (let i = 0; i < 3; i++) expect((await h.sendLead(leadBody())).body).toMatchObject({ status: 'sold', price: 21 });

    const tiersNow = async () => (await h.call<CampaignSpec[]>('campaigns.list'))[0].tiers.map((t) => t.buyers);
    const deadline = Date.now() + 10_000;
    while (JSON.stringify(await tiersNow()) === JSON.stringify([['acme'], ['bolt']]) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await tiersNow()).toEqual([[], ['bolt', 'acme']]);

    // The move's audit event is a queued write: committed by the store's writer, maybe after the move shows.
    await writesCommitted(h);
    const moves = auditRows(h.db(), 'config').map((r) => ({ actor: r.actor, data: JSON.parse(r.data) as Record<string, unknown> })).filter((r) => r.data.reason === 'placement');
    expect(moves).toEqual([
      {
        actor: 'engine:placement',
        data: expect.objectContaining({
          kind: 'tiers',
          id: 'auto-insurance',
          change: { kind: 'buyerMove', campaignId: 'auto-insurance', buyerId: 'acme', toTier: 1 },
          placement: {
            action: 'demote',
            fromTier: 0,
            toTier: 1,
            reasons: ['conversion 0% is below 50% over 3 sales'],
            evidence: expect.objectContaining({ conversionRate: 0, sold: 3, thresholds: { promoteConversionPercent: 50, demoteConversionPercent: 50, minSamples: 3, cooldownMs: 3_600_000 } }),
          },
        }),
      },
    ]);
    const view = await h.call<{ proposals: PlacementProposalView[]; moves: PlacementMoveView[] }>('placement.proposals', {});
    expect(view.moves).toEqual([expect.objectContaining({ buyerId: 'acme', action: 'demote', fromTier: 0, toTier: 1, appliedBy: 'engine:placement' })]);
    // Already in the last tier, and within the cool-down: nothing more happens.
    await new Promise((r) => setTimeout(r, 400));
    expect(await tiersNow()).toEqual([[], ['bolt', 'acme']]);
    expect(view.proposals.find((p) => p.buyerId === 'acme')).toMatchObject({ action: 'stay', fromTier: 1 });
  });

  it('in suggest mode nothing moves by itself, and applying a suggestion the policy no longer makes is refused', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const tierPlacement = { mode: 'suggest' as const, promoteConversionPercent: 50, demoteConversionPercent: 50, minSamples: 2, cooldownMs: 3_600_000 };
    const campaign = autoCampaign([{ name: 'Premium', floor: 5, buyers: ['acme'] }, { name: 'Fallback', floor: 5, buyers: [] }], { tierPlacement });
    const h = await rig.engine({ placementIntervalMs: 50, workspace: { version: 1, campaigns: [campaign], sources: [{ id: 'pub-1', name: 'Quotes', apiKey: SOURCE_KEY, campaigns: [campaign.id] }], buyers: [buyerFor(acme, 'acme')] } });
    for (let i = 0; i < 2; i++) await h.sendLead(leadBody());
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.call<CampaignSpec[]>('campaigns.list'))[0].tiers[0].buyers).toEqual(['acme']);
    const { proposals } = await h.call<{ proposals: PlacementProposalView[] }>('placement.proposals', { campaignId: 'auto-insurance' });
    expect(proposals).toEqual([expect.objectContaining({ buyerId: 'acme', action: 'demote', toTier: 1, evidence: expect.objectContaining({ sold: 2, conversionRate: 0 }) })]);

    expect(await h.call('placement.apply', { campaignId: 'auto-insurance', buyerId: 'acme' }, 'console:ana')).toMatchObject({ action: 'demote', appliedBy: 'console:ana' });
    const again = await h.callReply('placement.apply', { campaignId: 'auto-insurance', buyerId: 'acme' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });
});

import { describe, expect, it } from 'vitest';
import type { ConfigChange } from '../../src/shared/console-api.js';
import { leadAuction, pingOutcomes } from './fixtures/auction-views.js';
import { auditRows, autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

const rig = useTestRig();

/** Acme bids $25 in tier 1 (floor $20); cheap bids $8 in tier 2 (floor $5). */
async function setup(): Promise<TestEngine> {
  const acme = await rig.buyer({ bid: 25 });
  const cheap = await rig.buyer({ bid: 8 });
  return rig.engine({
    workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme'] }, { name: 'Tier 2', floor: 5, buyers: ['cheap'] }]), [
      buyerFor(acme, 'acme'),
      buyerFor(cheap, 'cheap'),
    ]),
  });
}

async function winnerOf(h: TestEngine) {
  const reply = await h.sendLead(leadBody());
  expect(reply.status).toBe(200);
  return leadAuction(h, reply.body.lead_id);
}

function configEvents(h: TestEngine) {
  return auditRows(h.db(), 'config').map((e) => ({ actor: e.actor, data: JSON.parse(e.data) as Record<string, unknown> }));
}

describe('live configuration', () => {
  it('a raised tier floor decides the very next auction, and is audited with who raised it', async () => {
    const h = await setup();
    const changes: ConfigChange[] = [];
    h.engine.consoleHost.subscribe((name, payload) => {
      if (name === 'config.changed') changes.push(payload as ConfigChange);
    });
    expect((await winnerOf(h)).detail.auction).toMatchObject({ winnerBuyerId: 'acme', price: 25 });

    await h.call('tiers.setFloor', { campaignId: 'auto-insurance', tierIndex: 0, floor: 30 }, 'console:jane');
    const after = await winnerOf(h);
    expect(after.tiers[0]).toMatchObject({ floor: 30, floorReason: 'tier' });
    expect(pingOutcomes(after)).toEqual(['acme:BELOW_FLOOR', 'cheap:BID']);
    expect(after.detail.auction).toMatchObject({ winnerBuyerId: 'cheap', price: 8, tierReached: 1 });

    const floorEvents = configEvents(h).filter((e) => e.data.action === 'floor');
    expect(floorEvents).toEqual([{ actor: 'console:jane', data: expect.objectContaining({ kind: 'tiers', id: 'auto-insurance', tier: 'Tier 1', before: 20, after: 30 }) }]);
    expect(changes).toEqual([expect.objectContaining({ kind: 'tiers', id: 'auto-insurance', actor: 'console:jane' })]);
  });

  it('moving a buyer to another tier changes who wins, and is audited with who moved it', async () => {
    const h = await setup();
    expect((await winnerOf(h)).detail.auction.winnerBuyerId).toBe('acme');

    const tiers = [{ name: 'Tier 1', floor: 5, buyers: ['cheap'] }, { name: 'Tier 2', floor: 20, buyers: ['acme'] }];
    await h.call('tiers.set', { campaignId: 'auto-insurance', tiers }, 'console:omar');
    const after = await winnerOf(h);
    expect(after.detail.auction).toMatchObject({ winnerBuyerId: 'cheap', price: 8, tierReached: 0 });
    expect(pingOutcomes(after)).toEqual(['cheap:BID']);

    const moved = configEvents(h).filter((e) => e.data.action === 'tiers');
    expect(moved).toEqual([
      {
        actor: 'console:omar',
        data: expect.objectContaining({
          kind: 'tiers',
          id: 'auto-insurance',
          before: [{ name: 'Tier 1', floor: 20, buyers: ['acme'] }, { name: 'Tier 2', floor: 5, buyers: ['cheap'] }],
          after: tiers,
        }),
      },
    ]);
  });

  it('refuses a tier change that names an unknown buyer and keeps the running configuration', async () => {
    const h = await setup();
    const reply = await h.callReply('tiers.set', { campaignId: 'auto-insurance', tiers: [{ name: 'Tier 1', floor: 5, buyers: ['ghost'] }] });
    expect(reply).toMatchObject({ ok: false, error: { code: 'validation_failed', details: [{ field: 'tiers[0].buyers[0]', message: expect.stringContaining('ghost') }] } });
    expect((await winnerOf(h)).detail.auction.winnerBuyerId).toBe('acme');
    expect(configEvents(h).filter((e) => e.data.action === 'tiers')).toEqual([]);
  });
});

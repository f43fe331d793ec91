import { describe, expect, it } from 'vitest';
import type { BuyerSpec } from '../../src/shared/domain.js';
import type { AuditEventView } from '../../src/shared/console-api.js';
import { pingOutcomesOf, type PingRoundData } from '../../src/shared/ping-round.js';
import { leadAuction } from './fixtures/auction-views.js';
import { SOURCE_KEY, autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

const rig = useTestRig();

async function sellOne(h: TestEngine, body = leadBody()) {
  const reply = await h.sendLead(body);
  expect(reply.status).toBe(200);
  return { reply: reply.body as { lead_id: string; status: string }, auction: await leadAuction(h, reply.body.lead_id) };
}

const pingEvents = (trail: AuditEventView[]) => trail.filter((e) => e.type === 'ping');

describe('one ping audit event per tier round', () => {
  it('a one-tier auction of ten buyers writes one ping event naming all ten with their outcomes, and seven events in all', async () => {
    const bids = [31, 22, 27, 25, 24, 26, 23];
    const bidders = await Promise.all(bids.map((bid) => rig.buyer({ bid })));
    const silent = await rig.buyer({ bid: null });
    const low = await rig.buyer({ bid: 4 });
    const fixedServer = await rig.buyer({});
    const { ping: _none, ...fixed } = buyerFor(fixedServer, 'fixed', { fixedPrice: 12 });
    const buyers: BuyerSpec[] = [...bidders.map((b, i) => buyerFor(b, `b${i}`)), buyerFor(silent, 'silent'), buyerFor(low, 'low'), fixed as BuyerSpec];
    const ids = buyers.map((b) => b.id);
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ids }]), buyers) });

    const { reply, auction } = await sellOne(h);
    expect(reply.status).toBe('sold');
    expect(auction.lead.trail.map((e) => e.type)).toEqual(['received', 'validated', 'eligible', 'ping', 'winner', 'post', 'sold']);

    const [round] = pingEvents(auction.lead.trail);
    const data = round.data as unknown as PingRoundData;
    expect(data).toMatchObject({ auctionId: auction.detail.auction.id, tier: 0, sentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // The fixed-price buyer is recorded first, then the pinged buyers as they were stored.
    expect(data.pings[0]).toEqual({ buyerId: 'fixed', outcome: 'FIXED_PRICE', bid: 12, latencyMs: 0, reason: null });
    const byBuyer = new Map(data.pings.map((p) => [p.buyerId, p]));
    expect([...byBuyer.keys()].sort()).toEqual([...ids].sort());
    bids.forEach((bid, i) => expect(byBuyer.get(`b${i}`)).toMatchObject({ outcome: 'BID', bid, latencyMs: expect.any(Number) }));
    expect(byBuyer.get('silent')).toMatchObject({ outcome: 'NO_BID', bid: null });
    expect(byBuyer.get('low')).toMatchObject({ outcome: 'BELOW_FLOOR', bid: 4 });

    // The pings rows stay one per buyer, in the same order as the round event names them.
    expect(auction.detail.pings.map((p) => `${p.buyerId}:${p.outcome}`)).toEqual(data.pings.map((p) => `${p.buyerId}:${p.outcome}`));
    // Who received the full record is still the post event's to say: the winner only.
    const posts = auction.lead.trail.filter((e) => e.type === 'post');
    expect(posts.map((e) => e.data.buyerId)).toEqual(['b0']);
  });

  it('a two-tier cascade writes one ping event per tier round, each with its own buyers and the same sentHash', async () => {
    const low = await rig.buyer({ bid: 15 });
    const lower = await rig.buyer({ bid: 12 });
    const cheap = await rig.buyer({ bid: 10 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['low', 'lower'] }, { name: 'Tier 2', floor: 5, buyers: ['cheap'] }]), [
        buyerFor(low, 'low'),
        buyerFor(lower, 'lower'),
        buyerFor(cheap, 'cheap'),
      ]),
    });
    const { reply, auction } = await sellOne(h);
    expect(reply.status).toBe('sold');
    expect(auction.lead.trail.map((e) => e.type)).toEqual(['received', 'validated', 'eligible', 'ping', 'eligible', 'ping', 'winner', 'post', 'sold']);
    const rounds = pingEvents(auction.lead.trail).map((e) => e.data as unknown as PingRoundData);
    expect(rounds.map((r) => [r.tier, r.pings.map((p) => `${p.buyerId}:${p.outcome}`).sort()])).toEqual([
      [0, ['low:BELOW_FLOOR', 'lower:BELOW_FLOOR']],
      [1, ['cheap:BID']],
    ]);
    // Every tier is sent the same ping fields: one hash pins them for both rounds.
    expect(rounds[1].sentHash).toBe(rounds[0].sentHash);
  });

  it('a post after an inbound ping records its held bids in one round event, without pinging again', async () => {
    const acme = await rig.buyer({ bid: 30 });
    const bolt = await rig.buyer({ bid: 29 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme', 'bolt'] }], { payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 1 } }), [
        buyerFor(acme, 'acme'),
        buyerFor(bolt, 'bolt'),
      ]),
    });
    const pinged = await h.post('/v1/ping', { campaign: 'auto-insurance', fields: { state: 'TX', zip: '78701', age: 41, vehicle_year: 2019 } }, { key: SOURCE_KEY });
    expect(pinged.body.status).toBe('bid');
    const lead = leadBody();
    const sold = await h.post('/v1/post', { ping_id: pinged.body.ping_id, fields: lead.fields, consent: lead.consent });
    expect(sold.body.status).toBe('sold');
    expect(acme.pings()).toHaveLength(1);
    expect(bolt.pings()).toHaveLength(1);

    const auction = await leadAuction(h, sold.body.lead_id);
    const rounds = pingEvents(auction.lead.trail);
    expect(rounds).toHaveLength(1);
    expect(pingOutcomesOf(rounds[0].data).map((p) => `${p.buyerId}:${p.outcome}:${p.bid}`).sort()).toEqual(['acme:BID:30', 'bolt:BID:29']);
  });
});

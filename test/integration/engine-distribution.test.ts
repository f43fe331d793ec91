import { describe, expect, it, vi } from 'vitest';
import type { LedgerEntryView } from '../../src/shared/ledger-views.js';
import { leadAuction, postOutcomes } from './fixtures/auction-views.js';
import { autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

const rig = useTestRig();

async function sell(h: TestEngine) {
  const reply = await h.sendLead(leadBody());
  expect(reply.status).toBe(200);
  return { reply: reply.body as { lead_id: string; status: string; price?: number }, auction: await leadAuction(h, reply.body.lead_id) };
}

function spendOf(h: TestEngine, buyerId: string): number {
  const row = h.db().prepare(`SELECT SUM(spend_cents) AS s FROM cap_usage WHERE buyer_id = ? AND "window" = 'day'`).get(buyerId) as { s: number | null };
  return row.s ?? 0;
}

describe('per-party terms and distribution, end to end', () => {
  it('a source with a fixed $15 payout is paid $15 on a $30 sale where the campaign pays 70%, and its floor rises to $17', async () => {
    const acme = await rig.buyer({ bid: 16.5 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme'] }], { payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 2 } }), [buyerFor(acme, 'acme')], {
        payout: { type: 'fixed', value: 15 },
      }),
    });
    const below = await sell(h);
    expect(below.reply.status).toBe('unsold');
    expect(below.auction.tiers[0]).toMatchObject({ floor: 17, floorReason: 'payout_margin' });
    expect(acme.posts()).toHaveLength(0);

    const hc = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['acme2'] }]), [buyerFor(await rig.buyer({ bid: 30 }), 'acme2')], { payout: { type: 'fixed', value: 15 } }),
    });
    const sold = await sell(hc);
    expect(sold.reply).toMatchObject({ status: 'sold', price: 15 });
    expect(sold.auction.detail.auction).toMatchObject({ price: 30, payout: 15, margin: 15 });
  });

  it('a −20% bid adjustment ranks a $30 bid behind a $25 one, and a buyer that wins with it is charged its own bid', async () => {
    const heavy = await rig.buyer({ bid: 30 });
    const clean = await rig.buyer((req) => (req.path.includes('post') ? { postAccept: false, postReason: 'full' } : { bid: 25 }));
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['heavy', 'clean'] }]), [buyerFor(heavy, 'heavy', { bidAdjustmentPercent: -20 }), buyerFor(clean, 'clean')]),
    });
    const { reply, auction } = await sell(h);
    // The clean buyer ranks first ($25 against $24) and gets the first post; it rejects, so the penalised buyer buys at $30.
    expect(postOutcomes(auction).map((p) => p.split(':')[0])).toEqual(['clean', 'heavy']);
    expect(heavy.posts()[0]?.body.price).toBe(30);
    expect(reply).toMatchObject({ status: 'sold', price: 21 });
    expect(auction.detail.auction).toMatchObject({ winnerBuyerId: 'heavy', price: 30 });
    expect(spendOf(h, 'heavy')).toBe(3000);
  });

  it('maxSales 2 sells one lead to the two best buyers, each posted and charged its own bid, and no third', async () => {
    const a = await rig.buyer({ bid: 30 });
    const b = await rig.buyer({ bid: 25 });
    const c = await rig.buyer({ bid: 20 });
    const h = await rig.engine({
      workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['a', 'b', 'c'] }], { maxSales: 2 }), [buyerFor(a, 'a'), buyerFor(b, 'b'), buyerFor(c, 'c')]),
    });
    const { reply, auction } = await sell(h);
    expect(a.posts()).toHaveLength(1);
    expect(b.posts()).toHaveLength(1);
    expect(c.posts()).toHaveLength(0);
    expect(a.posts()[0]?.body.price).toBe(30);
    expect(b.posts()[0]?.body.price).toBe(25);
    expect(spendOf(h, 'a')).toBe(3000);
    expect(spendOf(h, 'b')).toBe(2500);
    // 70% of each sale: 21 + 17.50.
    expect(reply).toMatchObject({ status: 'sold', price: 38.5 });
    expect(auction.detail.auction).toMatchObject({ status: 'sold', price: 55, payout: 38.5, margin: 16.5 });
    const sold = auction.lead.trail.find((e) => e.type === 'sold');
    expect(sold?.data.sales).toEqual([
      { buyerId: 'a', tier: 0, price: 30, payout: 21 },
      { buyerId: 'b', tier: 0, price: 25, payout: 17.5 },
    ]);
    // The ledger books each buyer's own sale and the source's payout for the lead once, in total.
    const entries = await vi.waitFor(async () => {
      const rows = await h.call<LedgerEntryView[]>('ledger.entries', { from: Date.now() - 60_000, to: Date.now() + 60_000 });
      expect(rows).toHaveLength(3);
      return rows;
    }, { timeout: 3000, interval: 50 });
    expect(entries.map((e) => `${e.kind}:${e.partyId}:${e.amount}`).sort()).toEqual(['payout:pub-1:38.5', 'sale:a:30', 'sale:b:25']);
  });

  it('an exclusive campaign (no maxSales) still sells to one buyer only', async () => {
    const a = await rig.buyer({ bid: 30 });
    const b = await rig.buyer({ bid: 25 });
    const h = await rig.engine({ workspace: workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ['a', 'b'] }]), [buyerFor(a, 'a'), buyerFor(b, 'b')]) });
    await sell(h);
    expect(a.posts()).toHaveLength(1);
    expect(b.posts()).toHaveLength(0);
  });

  it('a round-robin tier of fixed-price buyers rotates the leads exactly among them, whatever their prices', async () => {
    const servers = [await rig.buyer({}), await rig.buyer({}), await rig.buyer({})];
    const ids = ['x', 'y', 'z'];
    const h = await rig.engine({
      workspace: workspaceOf(
        autoCampaign([{ name: 'Tier 1', floor: 5, buyers: ids, distribution: 'round_robin' }]),
        servers.map((s, i) => ({ ...buyerFor(s, ids[i] as string), ping: undefined, fixedPrice: 10 + i })),
      ),
    });
    const winners: string[] = [];
    for (let i = 0; i < 9; i += 1) winners.push(String((await sell(h)).auction.detail.auction.winnerBuyerId));
    expect(winners).toEqual(['x', 'y', 'z', 'x', 'y', 'z', 'x', 'y', 'z']);
    expect(servers.map((s) => s.posts().length)).toEqual([3, 3, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import type { BuyerSpec, CampaignSpec, Workspace } from '../../src/shared/domain.js';
import { leadAuction, pingOutcomes, postOutcomes } from './fixtures/auction-views.js';
import { SOURCE_KEY, autoCampaign, buyerFor, leadBody, useTestRig, workspaceOf, type TestEngine } from './fixtures/engine-harness.js';

const rig = useTestRig();

const buyer = rig.buyer;

async function engineWith(workspace: Workspace): Promise<TestEngine> {
  return rig.engine({ workspace });
}

async function sell(h: TestEngine, body = leadBody()) {
  const reply = await h.sendLead(body);
  expect(reply.status).toBe(200);
  return { reply: reply.body as { lead_id: string; status: string; price?: number }, auction: await leadAuction(h, reply.body.lead_id) };
}

describe('auction rules, end to end', () => {
  it('cascades to the next tier when every bid of a tier is below its floor', async () => {
    const low = await buyer({ bid: 15 });
    const lower = await buyer({ bid: 19.99 });
    const cheap = await buyer({ bid: 10 });
    const h = await engineWith(
      workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['low', 'lower'] }, { name: 'Tier 2', floor: 5, buyers: ['cheap'] }]), [
        buyerFor(low, 'low'),
        buyerFor(lower, 'lower'),
        buyerFor(cheap, 'cheap'),
      ]),
    );
    const { reply, auction } = await sell(h);
    expect(reply).toEqual({ lead_id: reply.lead_id, status: 'sold', price: 7 });
    expect(pingOutcomes(auction)).toEqual(['low:BELOW_FLOOR', 'lower:BELOW_FLOOR', 'cheap:BID']);
    expect(auction.detail.auction).toMatchObject({ status: 'sold', tierReached: 1, winnerBuyerId: 'cheap', price: 10, payout: 7, margin: 3 });
    expect(low.posts()).toHaveLength(0);
    expect(lower.posts()).toHaveLength(0);
    expect(cheap.posts()).toHaveLength(1);
  });

  it('uses the highest of the tier floor, the campaign minimum and the payout and margin need', async () => {
    // Each campaign gets a bid per campaign from the same buyer.
    const bids: Record<string, number> = { 'by-tier': 24.99, 'by-min': 11.99, 'by-payout': 16.99 };
    const b = await buyer((req) => ({ bid: bids[req.body.campaign] ?? 100 }));
    const tier = (floor: number) => [{ name: 'Tier 1', floor, buyers: ['b'] }];
    const campaigns: CampaignSpec[] = [
      autoCampaign(tier(25), { id: 'by-tier', minPrice: 5 }),
      autoCampaign(tier(5), { id: 'by-min', minPrice: 12 }),
      autoCampaign(tier(5), { id: 'by-payout', minPrice: 5, payout: { type: 'fixed', value: 15 }, margin: { type: 'fixed', value: 2 } }),
    ];
    const h = await engineWith({
      version: 1,
      campaigns,
      sources: [{ id: 'pub-1', name: 'Quotes', apiKey: SOURCE_KEY, campaigns: campaigns.map((c) => c.id) }],
      buyers: [buyerFor(b, 'b')],
    });
    const expected = { 'by-tier': [25, 'tier'], 'by-min': [12, 'campaign_min'], 'by-payout': [17, 'payout_margin'] } as const;
    for (const [campaign, [floor, reason]] of Object.entries(expected)) {
      const below = await sell(h, leadBody({ campaign }));
      expect(below.reply.status, campaign).toBe('unsold');
      expect(below.auction.tiers[0], campaign).toMatchObject({ floor, floorReason: reason });
      expect(pingOutcomes(below.auction), campaign).toEqual(['b:BELOW_FLOOR']);

      bids[campaign] = floor;
      const at = await sell(h, leadBody({ campaign }));
      expect(at.reply.status, campaign).toBe('sold');
      expect(at.auction.detail.auction.price, campaign).toBe(floor);
    }
    // The payout rule is paid in full, and the margin rule still holds at the floor.
    const last = await sell(h, leadBody({ campaign: 'by-payout' }));
    expect(last.auction.detail.auction).toMatchObject({ price: 17, payout: 15, margin: 2 });
  });

  it('breaks a tie by priority, then by the earlier answer', async () => {
    const fast = await buyer({ bid: 25 });
    const slow = await buyer({ bid: 25, delayMs: 120 });
    const tiers = (ids: string[]) => [{ name: 'Tier 1', floor: 20, buyers: ids }];
    const campaigns = [autoCampaign(tiers(['fast-low', 'slow-high']), { id: 'by-priority' }), autoCampaign(tiers(['slow-even', 'fast-even']), { id: 'by-speed' })];
    const h = await engineWith({
      version: 1,
      campaigns,
      sources: [{ id: 'pub-1', name: 'Quotes', apiKey: SOURCE_KEY, campaigns: ['by-priority', 'by-speed'] }],
      buyers: [
        buyerFor(fast, 'fast-low', { priority: 0 }),
        buyerFor(slow, 'slow-high', { priority: 5 }),
        buyerFor(fast, 'fast-even'),
        buyerFor(slow, 'slow-even'),
      ],
    });
    const byPriority = await sell(h, leadBody({ campaign: 'by-priority' }));
    expect(byPriority.auction.detail.auction.winnerBuyerId).toBe('slow-high');
    expect(postOutcomes(byPriority.auction)).toEqual(['slow-high:ACCEPTED']);

    const bySpeed = await sell(h, leadBody({ campaign: 'by-speed' }));
    expect(bySpeed.auction.detail.auction.winnerBuyerId).toBe('fast-even');
    expect(postOutcomes(bySpeed.auction)).toEqual(['fast-even:ACCEPTED']);
  });

  it('lets a fixed-price buyer win at its set price without ever pinging it', async () => {
    const pinged = await buyer({ bid: 30 });
    const fixedServer = await buyer({});
    const { ping: _none, ...fixedSpec } = buyerFor(fixedServer, 'fixed', { fixedPrice: 32 });
    const h = await engineWith(workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['pinged', 'fixed'] }]), [buyerFor(pinged, 'pinged'), fixedSpec as BuyerSpec]));
    const { reply, auction } = await sell(h);
    expect(reply).toMatchObject({ status: 'sold', price: 22.4 });
    expect(pingOutcomes(auction)).toEqual(['fixed:FIXED_PRICE', 'pinged:BID']);
    expect(auction.detail.auction).toMatchObject({ winnerBuyerId: 'fixed', price: 32 });
    expect(fixedServer.pings()).toHaveLength(0);
    expect(fixedServer.posts()).toHaveLength(1);
    expect(fixedServer.posts()[0].body).toMatchObject({ price: 32, token: null, lead_id: reply.lead_id });
    expect(pinged.posts()).toHaveLength(0);
  });

  it('with named sellers required, neither pings nor posts a buyer the consent does not name', async () => {
    const acme = await buyer({ bid: 25 });
    const bolt = await buyer({ bid: 40 });
    const h = await engineWith(
      workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['acme', 'bolt'] }], { requireNamedSeller: true }), [
        buyerFor(acme, 'acme', { name: 'Acme', consentName: 'ACME insurance' }),
        buyerFor(bolt, 'bolt', { name: 'Bolt', consentName: 'Bolt Auto' }),
      ]),
    );
    const { reply, auction } = await sell(h, leadBody({ consent: { sellers: ['Acme Insurance, Inc.'] } }));
    expect(reply).toMatchObject({ status: 'sold', price: 17.5 });
    expect(auction.tiers[0].eligible).toEqual(['acme']);
    expect(auction.tiers[0].excluded).toEqual([{ buyerId: 'bolt', code: 'CONSENT_NOT_NAMED', reason: expect.any(String) }]);
    expect(auction.detail.excluded).toEqual([{ tierIndex: 0, buyerId: 'bolt', code: 'CONSENT_NOT_NAMED', reason: expect.any(String) }]);
    expect(bolt.requests).toHaveLength(0);
    expect(acme.posts()).toHaveLength(1);

    // A lead naming no seller at all reaches nobody.
    const none = await sell(h, leadBody());
    expect(none.reply.status).toBe('unsold');
    expect(none.auction.tiers[0].excluded.map((x) => x.code)).toEqual(['CONSENT_NOT_NAMED', 'CONSENT_NOT_NAMED']);
    expect(acme.pings()).toHaveLength(1);
  });

  it('falls back from a rejected post to the next best bid, then to the next tier', async () => {
    // Explicit rejections only (DESIGN.md §3): accepted:false and 4xx answers. A 5xx or an unreadable
    // answer is an unknown outcome that stops the auction (see engine-post-outcomes.test.ts).
    const top = await buyer({ bid: 40, postAccept: false, postReason: 'duplicate in our CRM' });
    const second = await buyer({ bid: 35, postStatus: 422 });
    const third = await buyer({ bid: 21, postStatus: 403 });
    const cheap = await buyer({ bid: 10 });
    const h = await engineWith(
      // Four buyers may see this lead's record: one more than the default maxPostAttempts.
      workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['second', 'third', 'top'] }, { name: 'Tier 2', floor: 5, buyers: ['cheap'] }], { maxPostAttempts: 4 }), [
        buyerFor(top, 'top'),
        buyerFor(second, 'second'),
        buyerFor(third, 'third'),
        buyerFor(cheap, 'cheap'),
      ]),
    );
    const { reply, auction } = await sell(h);
    expect(reply).toMatchObject({ status: 'sold', price: 7 });
    expect(postOutcomes(auction)).toEqual(['top:POST_REJECTED', 'second:POST_REJECTED', 'third:POST_REJECTED', 'cheap:ACCEPTED']);
    expect(auction.detail.posts.map((p) => [p.attempt, p.price])).toEqual([[1, 40], [2, 35], [3, 21], [4, 10]]);
    expect(auction.detail.posts[0].reason).toBe('duplicate in our CRM');
    expect(auction.detail.auction).toMatchObject({ winnerBuyerId: 'cheap', tierReached: 1, price: 10 });
    for (const b of [top, second, third, cheap]) expect(b.posts()).toHaveLength(1);
    // The winners' trail names each attempt in order.
    expect(auction.lead.trail.filter((e) => e.type === 'winner').map((e) => e.data.buyerId)).toEqual(['top', 'second', 'third', 'cheap']);
  });

  it('keeps contact data a buyer echoes back (a rejection reason, its reference) out of the audit trail', async () => {
    const echo = (req: { body: { lead?: Record<string, string> } }) => `${req.body.lead?.first_name} ${req.body.lead?.phone?.replace(/^\+1(\d{3})(\d{3})/, '($1) $2-')} ${req.body.lead?.email?.toUpperCase()}`;
    const rejecter = await buyer((req) => ({ bid: 40, postAccept: false, postReason: `duplicate: ${echo(req)}` }));
    const taker = await buyer((req) => ({ bid: 30, buyerRef: `crm/${req.body.lead?.email}` }));
    const h = await engineWith(
      workspaceOf(autoCampaign([{ name: 'Tier 1', floor: 20, buyers: ['rejecter', 'taker'] }]), [buyerFor(rejecter, 'rejecter'), buyerFor(taker, 'taker')]),
    );
    const body = leadBody();
    const { auction } = await sell(h, body);
    expect(postOutcomes(auction)).toEqual(['rejecter:POST_REJECTED', 'taker:ACCEPTED']);
    // The buyers did echo them.
    expect(rejecter.posts()[0].body.lead.phone).toBe(body.fields.phone);

    const trail = JSON.stringify(auction.lead.trail);
    const echoed = echo({ body: { lead: body.fields as unknown as Record<string, string> } });
    for (const value of [body.fields.first_name, body.fields.email, body.fields.email.toUpperCase(), echoed.split(' ').slice(1, 3).join(' ')]) expect(trail).not.toContain(value);
    const posts = auction.lead.trail.filter((e) => e.type === 'post').map((e) => [e.data.reason, e.data.buyerRef]);
    expect(posts).toEqual([
      ['duplicate: [redacted] [redacted] [redacted]', null],
      [null, 'crm/[redacted]'],
    ]);
    expect(auction.detail.posts.map((p) => [p.reason, p.buyerRef])).toEqual(posts);
  });
});

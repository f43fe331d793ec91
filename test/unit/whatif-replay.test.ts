import { describe, expect, it } from 'vitest';
import type { BuyerSpec, CampaignSpec, Workspace } from '../../src/shared/domain.js';
import { PingdeskError } from '../../src/shared/errors.js';
import type { TreeChange } from '../../src/shared/tree-change.js';
import type { RecordedAuction, RecordedExclusion, RecordedPing, RecordedPost } from '../../src/engine/store/index.js';
import { applyTreeChanges } from '../../src/engine/whatif/apply-tree-changes.js';
import { replayAuction } from '../../src/engine/whatif/replay-auction.js';
import { compileTree, forEachYielding } from '../../src/engine/whatif/replay-window.js';
import { WhatIfTally } from '../../src/engine/whatif/whatif-tally.js';

const buyer = (id: string, extra: Partial<BuyerSpec> = {}): BuyerSpec => ({
  id, name: id.toUpperCase(), ping: { url: `http://127.0.0.1:1/${id}` }, post: { url: `http://127.0.0.1:1/${id}/post` }, ...extra,
} as BuyerSpec);

function workspace(c: Partial<CampaignSpec> = {}): Workspace {
  const campaign = {
    id: 'auto', name: 'Auto', vertical: 'auto', fields: { state: { type: 'state', required: true } }, pingFields: ['state'],
    minPrice: 5, payout: { type: 'percent', value: 70 }, margin: { type: 'fixed', value: 0 }, requireNamedSeller: false,
    duplicateWindowDays: 0, pingTimeoutMs: 300, postTimeoutMs: 1000,
    tiers: [{ name: 'Premium', floor: 20, buyers: ['acme', 'bolt'] }, { name: 'Fallback', floor: 5, buyers: ['cheap'] }],
    ...c,
  } as CampaignSpec;
  return { version: 1, campaigns: [campaign], sources: [], buyers: [buyer('acme'), buyer('bolt'), buyer('cheap')] };
}

const ping = (buyerId: string, tierIndex: number, bidCents: number | null, floorCents: number): RecordedPing => ({
  buyerId, tierIndex, floorCents, latencyMs: 10,
  bidCents, outcome: bidCents === null ? 'NO_BID' : bidCents >= floorCents ? 'BID' : 'BELOW_FLOOR',
});

let serial = 0;
function auction(pings: RecordedPing[], posts: RecordedPost[] = [], excluded: RecordedExclusion[] = []): RecordedAuction {
  serial += 1;
  return { id: `a${serial}`, leadId: `l${serial}`, excluded, sourceId: 'pub', startedAt: serial, status: 'unsold', tierReached: 0, winnerBuyerId: null, priceCents: null, payoutCents: null, pings, posts };
}
const accepted = (buyerId: string, priceCents: number, attempt = 1): RecordedPost => ({ buyerId, attempt, outcome: 'ACCEPTED', priceCents });

/** Replays auctions under the tree with `changes` made (none: today's tree), summed by the tally. */
function replay(ws: Workspace, auctions: RecordedAuction[], changes: TreeChange[] = []) {
  const before = compileTree(ws, 'auto');
  const after = changes.length ? compileTree(applyTreeChanges(ws, 'auto', changes), 'auto') : before;
  const tally = new WhatIfTally();
  const outcomes = auctions.map((a) => {
    const b = replayAuction(a, before.campaign, before.config);
    const o = replayAuction(a, after.campaign, after.config);
    tally.add(a, b, o);
    return o;
  });
  return { outcomes, tally, ...tally.figures() };
}

// Tier 1 bids (floor $20) and, where tier 1 sold nothing, tier 2's bid (floor $5).
const bidsOnRecord = (): RecordedAuction[] => [
  auction([ping('acme', 0, 2500, 2000), ping('bolt', 0, 1800, 2000)], [accepted('acme', 2500)]),
  auction([ping('acme', 0, 1900, 2000), ping('bolt', 0, 1500, 2000), ping('cheap', 1, 800, 500)], [accepted('cheap', 800)]),
  auction([ping('acme', 0, 1200, 2000), ping('bolt', 0, null, 2000), ping('cheap', 1, 400, 500)]),
  auction([ping('acme', 0, 3000, 2000), ping('bolt', 0, 3100, 2000)], [accepted('bolt', 3100)]),
];

describe('what-if replay of tier floors on recorded bids', () => {
  it.each([
    // floor $20 (today): 25 + 8 + (none) + 31
    [20, 3, 6400],
    // floor $19: acme's $19 now wins the second auction instead of cheap's $8
    [19, 3, 2500 + 1900 + 3100],
    // floor $15: same sales as $19 (bolt's $15 ranks below acme's $19)
    [15, 3, 2500 + 1900 + 3100],
    // floor $12: the third auction sells to acme at $12
    [12, 4, 2500 + 1900 + 1200 + 3100],
    // floor $26: only the fourth auction sells in tier 1; the first falls to tier 2, where cheap was never pinged
    [26, 2, 800 + 3100],
    // floor $40: no tier-1 sale; the second auction still sells to cheap at $8
    [40, 1, 800],
  ])('tier 1 floor at $%d sells %d leads for exactly %d cents', (floor, sold, revenueCents) => {
    const r = replay(workspace(), bidsOnRecord(), [{ kind: 'tierFloor', campaignId: 'auto', tierIndex: 0, floor }]);
    expect(r.after.sold).toBe(sold);
    expect(Math.round(r.after.revenue * 100)).toBe(revenueCents);
  });

  it("today's tree replays the record exactly: the baseline equals what the bids imply", () => {
    const r = replay(workspace(), bidsOnRecord());
    expect(r.before).toMatchObject({ auctions: 4, sold: 3, revenue: 64 });
    // 70% payout rounded down per sale.
    expect(r.before.payout).toBe(44.8);
    expect(r.before.margin).toBe(19.2);
    expect(r.before.fillRate).toBe(0.75);
  });

  it('a buyer the original auction never pinged has no bid to replay, and is counted', () => {
    const r = replay(workspace(), bidsOnRecord(), [{ kind: 'tierFloor', campaignId: 'auto', tierIndex: 0, floor: 26 }]);
    // The first and fourth auctions sold in tier 1, so cheap was never pinged; at $26 the first reaches tier 2.
    expect(r.tally.unknowns.unpinged).toBe(1);
    expect(r.outcomes[0]).toMatchObject({ status: 'unsold', unpinged: ['cheap'] });
  });

  it('a new winner never posted to is assumed to accept, and is counted', () => {
    const r = replay(workspace(), bidsOnRecord(), [{ kind: 'tierFloor', campaignId: 'auto', tierIndex: 0, floor: 12 }]);
    // Acme wins the second auction ($19) and the third ($12); it was posted neither.
    expect(r.tally.unknowns.assumedAccepted).toBe(2);
    expect(r.outcomes[1]?.assumedAccepted).toBe(true);
  });

  it('a recorded rejection moves the post on to the next bid, as the live auction did', () => {
    const a = auction([ping('acme', 0, 3000, 2000), ping('bolt', 0, 2500, 2000)], [{ buyerId: 'acme', attempt: 1, outcome: 'POST_REJECTED', priceCents: 3000 }, accepted('bolt', 2500, 2)]);
    const r = replay(workspace(), [a]);
    expect(r.outcomes[0]?.sales.map((s) => [s.buyerId, s.priceCents])).toEqual([['bolt', 2500]]);
    expect(r.tally.unknowns.assumedAccepted).toBe(0);
  });

  it('a recorded unknown post outcome holds the lead unconfirmed, as the live auction did', () => {
    const a = auction([ping('acme', 0, 3000, 2000), ping('bolt', 0, 2500, 2000)], [{ buyerId: 'acme', attempt: 1, outcome: 'POST_TIMEOUT', priceCents: 3000 }]);
    expect(replay(workspace(), [a]).outcomes[0]?.status).toBe('unconfirmed');
    expect(replay(workspace({ failOverOnUnknownPost: true }), [a]).outcomes[0]?.sales[0]?.buyerId).toBe('bolt');
  });

  it('the campaign minimum stands under a lower tier floor', () => {
    const a = auction([ping('acme', 0, 450, 2000), ping('bolt', 0, 700, 2000)]);
    const r = replay(workspace(), [a], [{ kind: 'tierFloor', campaignId: 'auto', tierIndex: 0, floor: 0 }]);
    expect(r.outcomes[0]?.sales).toMatchObject([{ buyerId: 'bolt', priceCents: 700 }]);
    const raised = replay(workspace(), [a], [{ kind: 'tierFloor', campaignId: 'auto', tierIndex: 0, floor: 0 }, { kind: 'campaignMinPrice', campaignId: 'auto', minPrice: 8 }]);
    expect(raised.outcomes[0]?.status).toBe('unsold');
  });
});

describe('what-if replay of tree changes', () => {
  it('a paused buyer bids nothing in the replay', () => {
    const r = replay(workspace(), bidsOnRecord(), [{ kind: 'buyerPaused', buyerId: 'bolt', paused: true }]);
    // The fourth auction goes to acme at $30 instead of bolt at $31.
    expect(r.after).toMatchObject({ sold: 3, revenue: 25 + 8 + 30 });
    expect(r.tally.buyerRows(compileTree(workspace(), 'auto').config).find((b) => b.buyerId === 'bolt')).toMatchObject({ before: { sold: 1, revenue: 31 }, after: { sold: 0, revenue: 0 } });
  });

  it('a buyer removed from the tree is neither pinged nor posted', () => {
    const r = replay(workspace(), bidsOnRecord(), [{ kind: 'buyerMove', campaignId: 'auto', buyerId: 'acme', toTier: null }]);
    // Only bolt's $31 clears tier 1; the second auction still falls to cheap; the first reaches tier 2 where cheap was never pinged.
    expect(r.after).toMatchObject({ sold: 2, revenue: 8 + 31 });
    expect(r.tally.unknowns.unpinged).toBe(1);
  });

  it("a buyer moved into another tier bids there under that tier's floor", () => {
    const r = replay(workspace(), bidsOnRecord(), [{ kind: 'buyerMove', campaignId: 'auto', buyerId: 'bolt', toTier: 1 }]);
    // Second auction: tier 2 has bolt $15 and cheap $8 above the $5 floor: bolt wins at $15 (never posted: assumed accepted).
    expect(r.outcomes[1]?.sales).toMatchObject([{ buyerId: 'bolt', priceCents: 1500, tierName: 'Fallback' }]);
    expect(r.outcomes[1]?.assumedAccepted).toBe(true);
  });

  it('tiers in a new order are tried in that order, each with its own floor', () => {
    const r = replay(workspace(), bidsOnRecord(), [{ kind: 'tierOrder', campaignId: 'auto', order: [1, 0] }]);
    // Fallback first: cheap's $8 takes the second auction; elsewhere cheap was never pinged, so tier 1 decides.
    expect(r.outcomes[1]?.sales).toMatchObject([{ buyerId: 'cheap', priceCents: 800 }]);
    expect(r.outcomes[0]?.unpinged).toEqual(['cheap']);
    const tiers = r.tally.tierRows(compileTree(workspace(), 'auto').campaign, compileTree(applyTreeChanges(workspace(), 'auto', [{ kind: 'tierOrder', campaignId: 'auto', order: [1, 0] }]), 'auto').campaign);
    expect(tiers.map((t) => [t.name, t.beforeIndex, t.afterIndex])).toEqual([['Fallback', 1, 0], ['Premium', 0, 1]]);
  });

  it('a buyer the original auction filtered out is a known no bid; one it skipped as paused is an unknown', () => {
    // Bolt was left out for the lead's state: it would be again, so it is no bid, not an unknown.
    const filtered = auction([ping('acme', 0, 2500, 2000)], [accepted('acme', 2500)], [{ buyerId: 'bolt', code: 'FILTERED_STATE' }]);
    // Bolt was paused then; resuming it is a change the record has no bid for.
    const paused = auction([ping('acme', 0, 2500, 2000)], [accepted('acme', 2500)], [{ buyerId: 'bolt', code: 'PAUSED' }]);
    const r = replay(workspace(), [filtered, paused], [{ kind: 'tierFloor', campaignId: 'auto', tierIndex: 0, floor: 21 }]);
    expect(r.outcomes.map((o) => o.unpinged)).toEqual([[], ['bolt']]);
    expect(r.after.sold).toBe(2);
  });

  it('changes that name a missing tier or buyer, another campaign or a bad order are refused whole', () => {
    const bad: TreeChange[] = [
      { kind: 'tierFloor', campaignId: 'auto', tierIndex: 5, floor: 1 },
      { kind: 'buyerPaused', buyerId: 'nobody', paused: true },
      { kind: 'tierOrder', campaignId: 'auto', order: [0, 0] },
      { kind: 'campaignMinPrice', campaignId: 'other', minPrice: 1 },
    ];
    try {
      applyTreeChanges(workspace(), 'auto', bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PingdeskError);
      expect((err as PingdeskError).details?.map((d) => d.field)).toEqual(['changes[0]', 'changes[1]', 'changes[2]', 'changes[3]']);
    }
  });
});

describe('replaying inside the engine', () => {
  it('gives the event loop a turn while it works through a long window', async () => {
    const seen: number[] = [];
    let otherWorkRanAt: number | null = null;
    setImmediate(() => (otherWorkRanAt = seen.length));
    await forEachYielding(Array.from({ length: 1000 }, (_, i) => i), (i) => void seen.push(i));
    expect(seen).toHaveLength(1000);
    // Other work (an intake request, an auction) ran part-way through, not after the whole replay.
    expect(otherWorkRanAt).toBeGreaterThan(0);
    expect(otherWorkRanAt).toBeLessThan(1000);
  });
});

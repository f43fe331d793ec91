import type { Workspace } from '../../shared/domain.js';
import type { PriceRejectReport, PriceRejectRow } from '../../shared/whatif-views.js';
import { toDollars, type Cents } from '../money.js';
import type { Store } from '../store/index.js';
import { applyTreeChanges } from './apply-tree-changes.js';
import { replayAuction, type ReplayOutcome } from './replay-auction.js';
import { compileTree, forEachYielding, recordedAuctionsIn, type ReplayWindow } from './replay-window.js';

interface RowCents {
  buyerId: string;
  tierIndex: number;
  bids: number;
  belowFloor: number;
  gapSumCents: Cents;
  maxGapCents: Cents;
  turnedAwayCents: Cents;
  gainedCents: Cents;
}

/**
 * What the floors refused and what they earned, per buyer and tier (the tier that pinged the buyer).
 * Below-floor bids and their gaps come straight from the recorded pings. The money comes from two
 * replays of each auction on its bids: today's tree, and the same tree with every tier floor down to
 * 0 (so the campaign minimum and the payout and margin rules still hold). Where the lower floors would
 * have earned more, the difference is revenue the floor turned away, put on the buyer and tier that
 * would have won; where today's floors earn more, the difference is revenue the floor gained, put on
 * the buyer and tier that won. Gives the event loop a turn every few auctions (the engine keeps serving).
 */
export async function priceRejectReport(store: Store, workspace: Workspace, w: ReplayWindow): Promise<PriceRejectReport> {
  const today = compileTree(workspace, w.campaignId);
  const lowerFloors = today.campaign.tiers.map((t) => ({ kind: 'tierFloor' as const, campaignId: w.campaignId, tierIndex: t.index, floor: 0 }));
  const lowered = lowerFloors.length ? compileTree(applyTreeChanges(workspace, w.campaignId, lowerFloors), w.campaignId) : today;
  const rows = new Map<string, RowCents>();
  const row = (buyerId: string, tierIndex: number): RowCents => {
    const key = `${buyerId}\u0000${tierIndex}`;
    let r = rows.get(key);
    if (!r) rows.set(key, (r = { buyerId, tierIndex, bids: 0, belowFloor: 0, gapSumCents: 0, maxGapCents: 0, turnedAwayCents: 0, gainedCents: 0 }));
    return r;
  };

  let auctions = 0;
  await forEachYielding(recordedAuctionsIn(store, w).auctions, (auction) => {
    auctions += 1;
    for (const ping of auction.pings) {
      if (ping.bidCents === null || !['BID', 'BELOW_FLOOR', 'FIXED_PRICE'].includes(ping.outcome)) continue;
      const r = row(ping.buyerId, ping.tierIndex);
      r.bids += 1;
      if (ping.outcome !== 'BELOW_FLOOR') continue;
      const gap = ping.floorCents - ping.bidCents;
      r.belowFloor += 1;
      r.gapSumCents += gap;
      r.maxGapCents = Math.max(r.maxGapCents, gap);
    }
    const now = replayAuction(auction, today.campaign, today.config);
    const low = replayAuction(auction, lowered.campaign, lowered.config);
    const diff = low.priceCents - now.priceCents;
    if (diff > 0) attribute(low, (buyerId, tierIndex) => (row(buyerId, tierIndex).turnedAwayCents += diff));
    else if (diff < 0) attribute(now, (buyerId, tierIndex) => (row(buyerId, tierIndex).gainedCents -= diff));
  });

  const out: PriceRejectRow[] = [...rows.values()]
    .map((r) => ({
      buyerId: r.buyerId,
      buyerName: today.config.buyers.get(r.buyerId)?.spec.name ?? r.buyerId,
      tierIndex: r.tierIndex,
      tierName: today.campaign.tiers[r.tierIndex]?.name ?? `Tier ${r.tierIndex + 1}`,
      bids: r.bids,
      belowFloor: r.belowFloor,
      avgGap: r.belowFloor === 0 ? null : toDollars(Math.round(r.gapSumCents / r.belowFloor)),
      maxGap: r.belowFloor === 0 ? null : toDollars(r.maxGapCents),
      turnedAway: toDollars(r.turnedAwayCents),
      gained: toDollars(r.gainedCents),
    }))
    .sort((a, b) => a.tierIndex - b.tierIndex || a.buyerId.localeCompare(b.buyerId));
  const sum = (pick: (r: RowCents) => number): number => [...rows.values()].reduce((s, r) => s + pick(r), 0);
  return {
    campaignId: w.campaignId,
    from: w.from,
    to: w.to,
    auctions,
    rows: out,
    totals: { belowFloor: sum((r) => r.belowFloor), turnedAway: toDollars(sum((r) => r.turnedAwayCents)), gained: toDollars(sum((r) => r.gainedCents)) },
    notes: [
      'Turned away and gained compare today\'s floors with every tier floor down to the campaign minimum, replayed on the recorded bids.',
      'A buyer never posted the lead is counted as accepting it; buyers bid the same whatever the floor.',
    ],
  };
}

/** The sale an auction's difference belongs to: its first (or only) sale. */
function attribute(outcome: ReplayOutcome, put: (buyerId: string, tierIndex: number) => void): void {
  const sale = outcome.sales[0];
  if (sale) put(sale.buyerId, sale.tierIndex);
}

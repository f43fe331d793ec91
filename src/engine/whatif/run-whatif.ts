import type { Workspace } from '../../shared/domain.js';
import type { TreeChange } from '../../shared/tree-change.js';
import type { WhatIfResult, WhatIfUnknowns } from '../../shared/whatif-views.js';
import type { RecordedAuction, Store } from '../store/index.js';
import { applyTreeChanges } from './apply-tree-changes.js';
import { replayAuction } from './replay-auction.js';
import { compileTree, forEachYielding, recordedAuctionsIn, type ReplayWindow } from './replay-window.js';
import { WhatIfTally } from './whatif-tally.js';

export interface WhatIfRequest extends ReplayWindow {
  changes: readonly TreeChange[];
}

/**
 * Prices ping tree changes on the record: each finished auction of the campaign in the window is
 * replayed on its recorded bids under today's tree (before) and under the changed tree (after).
 * Reads only; `workspace` is the configuration as it stands. Synchronous: for the command line.
 */
export function runWhatIf(store: Store, workspace: Workspace, req: WhatIfRequest): WhatIfResult {
  const replay = startReplay(store, workspace, req);
  for (const auction of replay.auctions) replay.step(auction);
  return replay.result();
}

/** The same, giving the event loop a turn every few auctions: for the engine, which keeps serving meanwhile. */
export async function runWhatIfYielding(store: Store, workspace: Workspace, req: WhatIfRequest): Promise<WhatIfResult> {
  const replay = startReplay(store, workspace, req);
  await forEachYielding(replay.auctions, replay.step);
  return replay.result();
}

function startReplay(store: Store, workspace: Workspace, req: WhatIfRequest) {
  const before = compileTree(workspace, req.campaignId);
  const after = compileTree(applyTreeChanges(workspace, req.campaignId, req.changes), req.campaignId);
  const tally = new WhatIfTally();
  const { auctions } = recordedAuctionsIn(store, req);
  return {
    auctions,
    step: (auction: RecordedAuction): void => {
      tally.add(auction, replayAuction(auction, before.campaign, before.config), replayAuction(auction, after.campaign, after.config));
    },
    result: (): WhatIfResult => {
      const figures = tally.figures();
      return {
        campaignId: req.campaignId,
        from: req.from,
        to: req.to,
        auctions: figures.recorded.auctions,
        ...figures,
        buyers: tally.buyerRows(after.config),
        tiers: tally.tierRows(before.campaign, after.campaign),
        unknowns: tally.unknowns,
        notes: unknownNotes(tally.unknowns),
      };
    },
  };
}

/** The replay's assumptions, stated with their counts; the last two lines hold whatever the counts. */
export function unknownNotes(u: WhatIfUnknowns): string[] {
  const notes: string[] = [];
  if (u.unpinged > 0) notes.push(`${u.unpinged} auction(s) would ping a buyer the original auction never pinged: there is no bid to replay, counted as no bid.`);
  if (u.assumedAccepted > 0) notes.push(`${u.assumedAccepted} auction(s) would sell to a buyer never posted the lead: its answer is unknown, counted as accepted.`);
  if (u.priceOrderAssumed > 0) notes.push(`${u.priceOrderAssumed} auction(s) went through a weighted or round-robin tier: replayed in price order.`);
  if (u.beforeDiffersFromRecord > 0) notes.push(`${u.beforeDiffersFromRecord} auction(s) replay differently under today's tree than they ran: the tree or a buyer changed since, or a tier rotates.`);
  notes.push('Buyers bid the same whatever the floor (pings do not carry it).');
  notes.push('Caps, budgets and timing are not replayed; test leads, unfinished auctions and an A/B test\'s variant B auctions are left out.');
  return notes;
}

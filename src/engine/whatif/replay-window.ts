import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Workspace } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { RecordedAuction, Store } from '../store/index.js';
import { compileWorkspace } from '../workspace/compile.js';
import type { RuntimeCampaign, RuntimeConfig } from '../workspace/runtime.js';

/** The longest window a replay reads, and the most auctions: past either, the request is refused before any work. */
export const MAX_WINDOW_MS = 93 * 86_400_000;
export const MAX_REPLAY_AUCTIONS = 100_000;

export interface ReplayWindow {
  campaignId: string;
  from: number;
  to: number;
}

/** A campaign as one tree compiles it: the runtime config and the campaign within it. */
export interface CompiledTree {
  config: RuntimeConfig;
  campaign: RuntimeCampaign;
}

export function compileTree(ws: Workspace, campaignId: string): CompiledTree {
  const config = compileWorkspace(ws, 0);
  const campaign = config.campaigns.get(campaignId);
  if (!campaign) throw new PingdeskError('not_found', `No campaign "${campaignId}"`);
  return { config, campaign };
}

/**
 * The window's finished auctions, after checking the window is sane and small enough: `from` before
 * `to`, at most MAX_WINDOW_MS long and MAX_REPLAY_AUCTIONS auctions (counted on the index first).
 */
export function recordedAuctionsIn(store: Store, w: ReplayWindow): { count: number; auctions: Iterable<RecordedAuction> } {
  if (!(w.from < w.to)) throw new PingdeskError('validation_failed', 'The window must start before it ends', { details: [{ field: 'to', message: 'must be after from' }] });
  if (w.to - w.from > MAX_WINDOW_MS) {
    throw new PingdeskError('validation_failed', `A replay window is at most ${MAX_WINDOW_MS / 86_400_000} days`, { details: [{ field: 'from', message: 'window too long' }] });
  }
  const repo = store.recordedAuctions();
  const count = repo.count(w);
  if (count > MAX_REPLAY_AUCTIONS) {
    throw new PingdeskError('validation_failed', `The window holds ${count} auctions; a replay reads at most ${MAX_REPLAY_AUCTIONS}: choose a shorter window`, {
      details: [{ field: 'from', message: 'too many auctions in the window' }],
    });
  }
  return { count, auctions: repo.auctions(w) };
}

/** Auctions replayed between two yields to the event loop when the engine replays (a few ms of work). */
const SLICE = 100;

/**
 * Runs `step` over the auctions; when `yielding`, gives the event loop a turn every SLICE auctions so a
 * long replay inside the engine never holds intake and auctions up. Safe between pages: the store reads
 * each page whole (`all()`), so no cursor stays open while other statements run.
 */
export async function forEachYielding<T>(items: Iterable<T>, step: (item: T) => void): Promise<void> {
  let n = 0;
  for (const item of items) {
    step(item);
    n += 1;
    if (n % SLICE === 0) await nextTurn();
  }
}

import type { Logger } from 'pino';
import type { AuctionSummary } from '../../shared/console-api.js';
import type { ConfigService } from '../config/config-service.js';
import { toCents } from '../money.js';
import type { Store } from '../store/index.js';
import { rebuildSignals } from './rebuild-signals.js';
import { BuyerSignals } from './rolling-signals.js';
import { SOURCE_WINDOW_MS, SourceSignals } from './source-signals.js';
import { PLACEMENT_INTERVAL_MS, TierPlacement } from './tier-placement.js';

export interface StartedSignals {
  buyers: BuyerSignals;
  sources: SourceSignals;
  placement: TierPlacement;
  /** Counts a finished auction in its source's figures. */
  recordFinished(s: AuctionSummary): void;
  stop(): void;
}

/**
 * The engine's signals: rebuilt from the store (so a restart changes no figure), kept current by
 * the auction and feedback paths, and read by tier placement, whose automatic moves run on a
 * timer (not in a read-only engine: a review copy never changes its configuration).
 */
export function startSignals(d: { store: Store; config: ConfigService; now: () => number; logger: Logger; readOnly: boolean; placementIntervalMs?: number }): StartedSignals {
  const buyers = new BuyerSignals();
  const sources = new SourceSignals(SOURCE_WINDOW_MS);
  const rebuilt = rebuildSignals(d.store.signalHistory(), { buyers, sources, sourceWindowMs: SOURCE_WINDOW_MS }, {
    now: d.now(),
    isFixedPrice: (buyerId) => {
      const b = d.config.runtime.buyers.get(buyerId);
      return b !== undefined && !b.spec.ping;
    },
  });
  d.logger.info(rebuilt, 'signals rebuilt from the store');
  const placement = new TierPlacement({ store: d.store, config: d.config, signals: buyers, now: d.now });
  if (!d.readOnly) placement.start(d.placementIntervalMs ?? PLACEMENT_INTERVAL_MS, (err) => d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'tier placement failed'));
  return {
    buyers,
    sources,
    placement,
    recordFinished(s) {
      if (s.test || (s.status !== 'sold' && s.status !== 'unsold' && s.status !== 'unconfirmed')) return;
      const sold = s.status === 'sold';
      sources.recordLead({ sourceId: s.sourceId, campaignId: s.campaignId, sold, priceCents: sold && s.price !== null ? toCents(s.price) : null, payoutCents: sold && s.payout !== null ? toCents(s.payout) : null, at: s.startedAt });
    },
    stop: () => placement.stop(),
  };
}

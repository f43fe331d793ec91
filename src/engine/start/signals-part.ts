import type { Logger } from 'pino';
import type { FinishedAuction } from '../auction/run-auction.js';
import type { ConfigService } from '../config/config-service.js';
import { rebuildSignals } from '../signals/rebuild-signals.js';
import { BuyerSignals } from '../signals/rolling-signals.js';
import { SOURCE_WINDOW_MS, SourceSignals } from '../signals/source-signals.js';
import { PLACEMENT_INTERVAL_MS, TierPlacement } from '../signals/tier-placement.js';
import type { StartedParts } from '../started-parts.js';
import type { Store } from '../store/index.js';

export interface SignalsPart {
  buyers: BuyerSignals;
  sources: SourceSignals;
  placement: TierPlacement;
  /** Counts a finished auction in its source's figures. */
  recordFinished(a: FinishedAuction): void;
}

/**
 * The engine's signals: rebuilt from the store (so a restart changes no figure), kept current by
 * the auction and feedback paths, and read by tier placement, whose automatic moves run on a
 * timer (not in a read-only engine: a review copy never changes its configuration).
 */
export function startSignals(d: { store: Store; config: ConfigService; now: () => number; logger: Logger; readOnly: boolean; placementIntervalMs?: number; parts: StartedParts }): SignalsPart {
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
  if (!d.readOnly) {
    placement.start(d.placementIntervalMs ?? PLACEMENT_INTERVAL_MS, (err) => d.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'tier placement failed'));
    d.parts.add('tier placement', () => placement.stop());
  }
  return {
    buyers,
    sources,
    placement,
    recordFinished(a) {
      if (a.test || (a.status !== 'sold' && a.status !== 'unsold' && a.status !== 'unconfirmed')) return;
      const sold = a.status === 'sold';
      sources.recordLead({ sourceId: a.sourceId, campaignId: a.campaignId, sold, priceCents: sold ? (a.priceCents ?? null) : null, payoutCents: sold ? (a.payoutCents ?? null) : null, at: a.startedAt });
    },
  };
}

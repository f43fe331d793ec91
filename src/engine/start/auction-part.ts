import type { Logger } from 'pino';
import { Dispatcher } from '../auction/dispatch.js';
import type { AuctionDeps, FinishedAuction } from '../auction/run-auction.js';
import { toAuctionSummary } from '../console/views.js';
import { createIdFactory } from '../ids.js';
import { LiveFigures } from '../observe/live-figures.js';
import type { Metrics } from '../observe/metrics.js';
import { CircuitBreaker } from '../signals/circuit-breaker.js';
import type { BuyerSignals } from '../signals/rolling-signals.js';
import type { SourceSignals } from '../signals/source-signals.js';
import type { TierPlacement } from '../signals/tier-placement.js';
import type { StartedParts } from '../started-parts.js';
import type { Store } from '../store/index.js';
import { CapsLedger } from '../tree/caps-ledger.js';
import type { EventBus } from './event-bus.js';
import type { SignalsPart } from './signals-part.js';

export interface AuctionPart {
  figures: LiveFigures;
  signals: BuyerSignals;
  /** From the signals part, for the intake (feedback) and the console. */
  sourceSignals: SourceSignals;
  placement: TierPlacement;
  breaker: CircuitBreaker;
  caps: CapsLedger;
  dispatcher: Dispatcher;
  /** What `runAuction` needs, with every finished auction counted, measured and announced. */
  auctionDeps: AuctionDeps;
}

interface AuctionPartDeps {
  store: Store;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
  events: EventBus;
  parts: StartedParts;
  signals: SignalsPart;
}

/** The auction's running state: buyer signals (from the signals part), circuits, caps (reloaded from the last two days) and the dispatcher. */
export function startAuctions({ store, now, logger, metrics, events, parts, signals: signalsPart }: AuctionPartDeps): AuctionPart {
  const figures = new LiveFigures();
  figures.restore(store.finishedAuctionsSince(now() - figures.windowMs), store.firstAuctionAt(), now());
  const signals = signalsPart.buyers;
  const breaker = new CircuitBreaker({ now });
  const caps = new CapsLedger({ now });
  caps.load(store.loadCapUsage(now() - 2 * 86_400_000));
  const dispatcher = new Dispatcher({ now });
  parts.add('dispatcher', () => dispatcher.close());

  const onFinished = (a: FinishedAuction): void => {
    figures.record(a);
    signalsPart.recordFinished(a);
    metrics.leads.inc({ campaign: a.campaignId, status: a.status, test: String(a.test) });
    metrics.auctionDuration.observe(a.latencyMs / 1000);
    if (a.status === 'sold' && !a.test && a.priceCents != null) metrics.revenue.inc({ campaign: a.campaignId }, a.priceCents);
    // The console's edge: dollars are made here, once.
    events.emit('auctions.batch', [toAuctionSummary(a)]);
  };

  const auctionDeps: AuctionDeps = {
    store,
    dispatcher,
    caps,
    breaker,
    signals,
    now,
    newId: createIdFactory('A', now),
    onFinished,
    onCircuitOpened: (buyerId) => {
      logger.warn({ buyerId }, 'circuit opened');
      store.appendAudit({ leadId: null, type: 'circuit', actor: 'engine', data: { buyerId, state: 'open' } });
    },
    onBuyerOutcome: (buyer, kind, outcome, latencyMs) => {
      metrics.buyerOutcomes.inc({ buyer, kind, outcome });
      if (latencyMs !== null && outcome !== 'FIXED_PRICE') metrics.buyerLatency.observe({ kind }, latencyMs / 1000);
    },
  };
  return { figures, signals, sourceSignals: signalsPart.sources, placement: signalsPart.placement, breaker, caps, dispatcher, auctionDeps };
}

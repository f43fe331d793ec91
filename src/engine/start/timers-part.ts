import type { Logger } from 'pino';
import type { ConfigService } from '../config/config-service.js';
import { IDEMPOTENCY_TTL_MS } from '../intake/idempotency.js';
import type { LiveFigures } from '../observe/live-figures.js';
import type { Metrics } from '../observe/metrics.js';
import { toStorageHealth } from '../observe/storage-health.js';
import type { StartedParts } from '../started-parts.js';
import type { Store } from '../store/index.js';
import type { EventBus } from './event-bus.js';

interface TimersPartDeps {
  store: Store;
  config: ConfigService;
  now: () => number;
  readOnly: boolean;
  logger: Logger;
  metrics: Metrics;
  figures: LiveFigures;
  events: EventBus;
  parts: StartedParts;
}

/**
 * What runs by itself: storage health announced as it changes, Live's figures every second while a
 * console listens, and (writable folders only) expired duplicate fingerprints and idempotency keys pruned hourly.
 */
export function startTimers({ store, config, now, readOnly, logger, metrics, figures, events, parts }: TimersPartDeps): void {
  metrics.storageAvailable.set(1);
  store.onStorageStateChange((state) => {
    metrics.storageAvailable.set(state.available ? 1 : 0);
    events.emit('health.changed', toStorageHealth(state));
  });

  const figureTimer = setInterval(() => {
    if (events.hasListeners) events.emit('figures.tick', figures.overview(now()));
  }, 1000);
  figureTimer.unref();
  parts.add('figures timer', () => clearInterval(figureTimer));

  // Duplicate fingerprints older than the longest campaign window can match nothing any more. The
  // deletes run off the event loop (Store.pruneExpired); a run still going when the next is due is left to finish.
  let pruning = false;
  const pruneFingerprints = (): void => {
    const campaigns = [...config.runtime.campaigns.values()];
    if (campaigns.length === 0 || pruning) return;
    const longestMs = Math.max(...campaigns.map((c) => c.duplicateWindowMs));
    pruning = true;
    store
      .pruneExpired({ fingerprintsBefore: now() - longestMs - 86_400_000, keysBefore: now() - IDEMPOTENCY_TTL_MS })
      .then(({ fingerprints, keys }) => {
        if (fingerprints) logger.info({ pruned: fingerprints }, 'pruned expired duplicate fingerprints');
        if (keys) logger.info({ keys }, 'pruned expired idempotency keys');
      })
      .catch((err: unknown) => logger.warn({ err: String(err) }, 'pruning expired fingerprints and keys failed; the next hour tries again'))
      .finally(() => {
        pruning = false;
      });
  };
  if (!readOnly) pruneFingerprints();
  const pruneTimer = readOnly ? null : setInterval(pruneFingerprints, 3_600_000);
  pruneTimer?.unref();
  parts.add('prune timer', () => pruneTimer && clearInterval(pruneTimer));
}

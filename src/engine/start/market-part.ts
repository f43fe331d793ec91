import type { Logger } from 'pino';
import type { ConfigService } from '../config/config-service.js';
import type { EngineOptions } from '../engine-options.js';
import { startMarket, type Market } from '../market/start-market.js';
import type { StartedParts } from '../started-parts.js';
import type { Store } from '../store/index.js';

/** The self-tuning market (writable folders only): lead value retraining and dynamic floors, stopped with the engine. */
export function startMarketPart(d: { opts: EngineOptions; store: Store; config: ConfigService; now: () => number; logger: Logger; parts: StartedParts }): Market {
  const market = startMarket({ store: d.store, config: d.config, now: d.now, log: d.logger, options: d.opts.market });
  d.parts.add('market timers', () => market.stop());
  return market;
}

import type { ConfigService } from '../config/config-service.js';
import type { Store } from '../store/index.js';
import { FloorTuner, type TunerLog } from './floor-tuner.js';
import { LeadValueEstimator, type LeadValueOptions } from './lead-value-estimator.js';

export interface MarketOptions extends LeadValueOptions {
  /** How often dynamic floors are checked for a due recomputation (default 1 s; each tier has its own interval). */
  floorTickMs?: number;
  /** How often the lead value model learns again (default 10 min). */
  retrainMs?: number;
}

export interface Market {
  estimator: LeadValueEstimator;
  tuner: FloorTuner;
  stop(): void;
}

/** The self-tuning market's timers: lead value retraining and dynamic floors. Both unref'd; stop() ends them. */
export function startMarket(d: { store: Store; config: ConfigService; now: () => number; log: TunerLog; options?: MarketOptions }): Market {
  const opts = d.options ?? {};
  const estimator = new LeadValueEstimator(d.store, d.now, opts);
  let training = false;
  const retrain = (): void => {
    if (training) return;
    training = true;
    estimator.retrain().then(
      (model) => d.log.info({ samples: model.samples }, 'lead value model trained'),
      (err: unknown) => d.log.warn({ err: (err as Error).message }, 'lead value model could not be trained; the previous one stays'),
    ).finally(() => (training = false));
  };
  // The first model is learned in the background: until it is, leads get no estimate.
  retrain();
  const retrainTimer = setInterval(retrain, opts.retrainMs ?? 600_000);
  retrainTimer.unref();
  const tuner = new FloorTuner({ store: d.store, config: d.config, now: d.now, log: d.log }).start(opts.floorTickMs ?? 1000);
  return {
    estimator,
    tuner,
    stop() {
      clearInterval(retrainTimer);
      tuner.stop();
    },
  };
}

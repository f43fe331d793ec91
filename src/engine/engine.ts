import { PingdeskError } from '../shared/errors.js';
import { HeldPings } from './auction/held-bids.js';
import type { DemoHandle } from './demo/run-demo.js';
import { DEFAULT_DRAIN_TIMEOUT_MS } from './drain.js';
import type { Engine, EngineOptions } from './engine-options.js';
import type { IntakeServer } from './intake/intake-server.js';
import { createMetrics } from './observe/metrics.js';
import { startAuctions } from './start/auction-part.js';
import { engineCloser } from './start/close-engine.js';
import { startConfig } from './start/config-part.js';
import { startConsoleHost } from './start/console-part.js';
import { startDemoPart } from './start/demo-part.js';
import { EventBus } from './start/event-bus.js';
import { InFlight } from './start/in-flight.js';
import { startIntake, startScreener } from './start/intake-part.js';
import { startMarketPart } from './start/market-part.js';
import { startStorage } from './start/storage-part.js';
import { startTimers } from './start/timers-part.js';
import { StartedParts } from './started-parts.js';
import { corruptDatabaseRefusal } from './store/corrupt-database.js';
import { databasePath } from './store/open-database.js';

export type { Engine, EngineOptions } from './engine-options.js';

/**
 * Starts the exchange: locks the data folder, opens the store (closing auctions a crash left open),
 * loads the configuration, starts the intake listener, and exposes the ConsoleApi host that both
 * console transports carry. All or nothing: a start that fails closes every part it had started
 * (listener, dispatcher, demo buyers, store, lock) before it rethrows. `close()` stops intake (503),
 * lets auctions in flight finish within the drain time, cuts what is left, flushes and closes.
 */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const parts = new StartedParts();
  try {
    return await assembleEngine(opts, parts);
  } catch (err) {
    await parts.closeAll();
    // Damage may show when the database opens or only when start-up reads a damaged page.
    throw corruptDatabaseRefusal(err, databasePath(opts.dataDir), opts.dataDir) ?? err;
  }
}

/** The parts in start order (each in `start/`); `parts` closes them in reverse. */
async function assembleEngine(opts: EngineOptions, parts: StartedParts): Promise<Engine> {
  const now = opts.now ?? Date.now;
  const readOnly = opts.readOnly === true || opts.archiveFile !== undefined;
  const { logger, store, exportsDir } = startStorage(opts, now, readOnly, parts);
  const events = new EventBus();
  const config = startConfig(opts, store, now, readOnly, events);

  const metrics = createMetrics();
  const readMetrics = async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() });
  const auction = startAuctions({ store, now, logger, metrics, events, parts });
  const screener = startScreener(now, parts);
  const heldPings = new HeldPings(now);
  const inFlight = new InFlight();
  const market = readOnly ? null : startMarketPart({ opts, store, config, now, logger, parts });
  const intake: IntakeServer | null = readOnly ? null : await startIntake({ opts, store, config, now, logger, metrics, readMetrics, auction, heldPings, inFlight, parts, market }, screener);

  startTimers({ store, config, now, readOnly, logger, metrics, figures: auction.figures, events, parts });
  const session = { version: opts.version ?? '0.1.0', readOnly, archive: opts.archiveFile ?? null, dataDir: opts.dataDir, intakeUrl: intake?.url ?? null, mode: opts.mode ?? 'browser', startedAt: now() };
  const consoleHost = startConsoleHost({ store, config, now, readOnly, logger, auction, heldPings, events, exportsDir, session });

  const demo: DemoHandle | null = !readOnly && opts.demo && intake ? await startDemoPart(opts.demo, config, intake.url, logger, parts) : null;

  return {
    consoleHost,
    intakeUrl: intake?.url ?? null,
    dataDir: opts.dataDir,
    exportsDir,
    logger,
    metrics: readMetrics,
    close: engineCloser({ inFlight, demo, intake, drainTimeoutMs: opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS, logger, parts }),
  };
}

export { PingdeskError };

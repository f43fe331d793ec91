import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { AuctionSummary, ConsoleEvents, EventName } from '../shared/console-api.js';
import { PingdeskError } from '../shared/errors.js';
import { Dispatcher } from './auction/dispatch.js';
import { runAuction, type AuctionDeps } from './auction/run-auction.js';
import { ConfigService } from './config/config-service.js';
import { createConsoleHost, type ConsoleHost, type EventListener } from './console/console-host.js';
import { createHandlers } from './console/handlers.js';
import { claimDemoFolder, releaseDemoFolder } from './demo/demo-folder.js';
import { startDemo, type DemoHandle } from './demo/run-demo.js';
import { DEFAULT_DRAIN_TIMEOUT_MS, drainWithin } from './drain.js';
import { submitFeedback } from './intake/feedback.js';
import type { IntakeLimits } from './intake/client-guards.js';
import { IDEMPOTENCY_TTL_MS, IdempotencyGate } from './intake/idempotency.js';
import { submitLead, type AcceptedLead } from './intake/lead-intake.js';
import { HeldPings } from './auction/held-bids.js';
import { submitPing } from './intake/inbound-ping.js';
import { submitPost } from './intake/inbound-post.js';
import { screenLead } from './screen/screen-stage.js';
import { Screener } from './screen/screener.js';
import { startIntakeServer, type IntakeServer } from './intake/intake-server.js';
import { submitRevocation } from './intake/revocation.js';
import { SourceRateLimiter } from './intake/rate-limiter.js';
import { createIdFactory } from './ids.js';
import { closeFileLogger, createFileLogger } from './observe/file-logger.js';
import { healthStatus, toStorageHealth } from './observe/storage-health.js';
import { LiveFigures } from './observe/live-figures.js';
import { createMetrics } from './observe/metrics.js';
import { CircuitBreaker } from './signals/circuit-breaker.js';
import { startSignals } from './signals/start-signals.js';
import { StartedParts, once } from './started-parts.js';
import { corruptDatabaseRefusal } from './store/corrupt-database.js';
import { lockDataFolder } from './store/folder-lock.js';
import { databasePath } from './store/open-database.js';
import { EXPORTS_DIR, makeDataFilesPrivate, preparePrivateFolder } from './store/private-files.js';
import { Store, type SigningKeyStore } from './store/index.js';
import { CapsLedger } from './tree/caps-ledger.js';

export interface EngineOptions {
  dataDir: string;
  /** A workspace file imported at start (replaces the stored configuration). */
  workspaceFile?: string;
  intakeHost?: string;
  /** 0 picks a free port; default 7301. */
  intakePort?: number;
  /** Open a copy of a data folder for review: no intake, no changes. */
  readOnly?: boolean;
  /** Serve this archive file (`pingdesk archive`) read-only instead of the folder's database; implies readOnly. */
  archiveFile?: string;
  /** Local demo buyers, a demo workspace and a trickle of demo leads. */
  demo?: boolean | { leadsPerSecond?: number };
  durability?: 'normal' | 'full';
  /** The private key that signs audit checkpoints (default: outside the data folder, see signing-key.ts). */
  signingKeyFile?: string;
  /** Where the signing key is kept instead of a file (the desktop app's OS keychain). */
  signingKeys?: SigningKeyStore;
  now?: () => number;
  logger?: Logger;
  version?: string;
  mode?: 'electron' | 'browser';
  /** Bearer key for `GET /metrics` on the intake port (refused there without one). */
  metricsKey?: string;
  /** Request timeouts and the per-address connection cap of the intake listener. */
  intakeLimits?: IntakeLimits;
  /** How long `close()` waits for auctions and connections before cutting them (default 15 s). */
  drainTimeoutMs?: number;
  /** How often automatic tier placement runs (default every minute). */
  placementIntervalMs?: number;
}

export interface Engine {
  consoleHost: ConsoleHost;
  intakeUrl: string | null;
  dataDir: string;
  exportsDir: string;
  logger: Logger;
  /** Prometheus text of this engine's metrics (the console port serves it behind its token). */
  metrics(): Promise<{ contentType: string; body: string }>;
  close(): Promise<void>;
}

const AUDIT_ACTOR_CLI = 'cli';

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

async function assembleEngine(opts: EngineOptions, parts: StartedParts): Promise<Engine> {
  const now = opts.now ?? Date.now;
  const readOnly = opts.readOnly === true || opts.archiveFile !== undefined;
  // Read-only review takes no lock: it opens a copy, or reads beside a running engine.
  if (!readOnly) claimDataFolder(opts.dataDir, now, parts);
  const logger = opts.logger ?? createFileLogger(opts.dataDir, readOnly);
  parts.add('logger', () => {
    logger.info('engine closed');
    logger.flush?.();
    if (!opts.logger) closeFileLogger(logger);
  });
  const store = openStore(opts, now, logger);
  parts.add('store', () => store.close());
  // A reviewer's copy may sit on read-only media: its exports go to a temporary folder.
  const exportsDir = readOnly ? mkdtempSync(join(tmpdir(), 'pingdesk-exports-')) : join(opts.dataDir, EXPORTS_DIR);
  // Before anything is changed: the demo never runs on (nor recovers) a broker's own folder.
  if (!readOnly && opts.demo) claimDemoFolder(store, opts.dataDir);

  const listeners = new Set<EventListener>();
  const emit = <E extends EventName>(name: E, payload: ConsoleEvents[E]): void => {
    for (const l of listeners) l(name, payload);
  };

  // Signs the audit chain's head on a timer; store.close() signs the last one.
  if (!readOnly) store.startAuditCheckpoints({ keyFile: opts.signingKeyFile, keys: opts.signingKeys });

  if (!readOnly) {
    const interrupted = store.closeInterruptedAuctions(now());
    if (interrupted.length) logger.warn({ count: interrupted.length }, 'closed auctions left open by an earlier stop');
  }

  const config = new ConfigService(store, { now, onChange: (change) => emit('config.changed', change) });
  let demo: DemoHandle | null = null;
  if (!readOnly && opts.workspaceFile) {
    const ws = JSON.parse(readFileSync(opts.workspaceFile, 'utf8')) as unknown;
    config.importWorkspace(ws, AUDIT_ACTOR_CLI);
    if (!opts.demo) releaseDemoFolder(store);
  }

  const metrics = createMetrics();
  const readMetrics = async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() });
  const figures = new LiveFigures();
  const started = startSignals({ store, config, now, logger, readOnly, placementIntervalMs: opts.placementIntervalMs });
  parts.add('tier placement', () => started.stop());
  const signals = started.buyers;
  const breaker = new CircuitBreaker({ now });
  const caps = new CapsLedger({ now });
  caps.load(store.loadCapUsage(now() - 2 * 86_400_000));
  const dispatcher = new Dispatcher({ now });
  parts.add('dispatcher', () => dispatcher.close());
  const screener = new Screener({ now });
  parts.add('screener', () => screener.close());
  const limiter = new SourceRateLimiter(now);
  const newLeadId = createIdFactory('L', now);
  const newAuctionId = createIdFactory('A', now);
  let draining = false;
  const inFlight = new Set<Promise<unknown>>();

  const onFinished = (s: AuctionSummary): void => {
    figures.record(s);
    started.recordFinished(s);
    metrics.leads.inc({ campaign: s.campaignId, status: s.status, test: String(s.test) });
    if (s.latencyMs !== null) metrics.auctionDuration.observe(s.latencyMs / 1000);
    if (s.status === 'sold' && !s.test && s.price !== null) metrics.revenue.inc({ campaign: s.campaignId }, Math.round(s.price * 100));
    emit('auctions.batch', [s]);
  };

  const auctionDeps: AuctionDeps = {
    store,
    dispatcher,
    caps,
    breaker,
    signals,
    now,
    newId: newAuctionId,
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

  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => undefined);
    return p;
  };

  const heldPings = new HeldPings(now);
  let intake: IntakeServer | null = null;
  if (!readOnly) {
    const intakeDeps = {
      store,
      config: () => config.runtime,
      limiter,
      now,
      newLeadId,
      isDraining: () => draining,
      runAuction: (lead: AcceptedLead) =>
        runAuction(auctionDeps, { leadId: lead.leadId, sourceId: lead.source.id, campaign: lead.campaign, config: config.runtime, fields: lead.fields, consent: lead.consent, test: lead.test, state: lead.state, inbound: lead.inbound }),
      onRefused: (code: string, sourceId: string | null) => {
        metrics.refused.inc({ code });
        // Every lead of a known source is accounted for: received = accepted + refused.
        if (sourceId !== null) store.countRefusal(sourceId, code, now());
        if (sourceId !== null) figures.recordRefusal(now());
      },
      idempotency: new IdempotencyGate(store, now),
      screen: (lead: AcceptedLead) => screenLead({ store, screener, now, onRefused: (code) => metrics.refused.inc({ code }) }, lead),
    };
    intake = await startIntakeServer({
      host: opts.intakeHost ?? '127.0.0.1',
      port: opts.intakePort ?? 7301,
      log: logger,
      handlers: {
        submitLead: (key, body, idempotencyKey) => track(submitLead(intakeDeps, key, body, idempotencyKey)),
        // A refused ping is not a lead: only metrics count it, not the sources' refused leads.
        submitPing: (key, body) => track(submitPing({ ...intakeDeps, dispatcher, caps, breaker, held: heldPings, onRefused: (code) => metrics.refused.inc({ code }) }, key, body)),
        submitPost: (key, body, idempotencyKey) => track(submitPost(intakeDeps, heldPings, key, body, idempotencyKey)),
        submitFeedback: async (key, body) => submitFeedback({ store, now, signals, sourceSignals: started.sources, config: () => config.runtime }, key, body),
        health: () => ({ ...healthStatus(store.storageState(), draining), inFlight: inFlight.size, revision: config.runtime.revision }),
        metrics: readMetrics,
        submitRevocation: (key, body) => submitRevocation({ store, now, config: () => config.runtime }, key, body),
        refused: (code) => metrics.refused.inc({ code }),
      },
      limits: opts.intakeLimits,
      metricsKey: opts.metricsKey,
    });
    const listening = intake;
    parts.add('intake listener', once(() => listening.close()));
    logger.info({ url: intake.url }, 'intake listening');
  }

  metrics.storageAvailable.set(1);
  store.onStorageStateChange((state) => {
    metrics.storageAvailable.set(state.available ? 1 : 0);
    emit('health.changed', toStorageHealth(state));
  });

  const figureTimer = setInterval(() => {
    if (listeners.size) emit('figures.tick', figures.overview(now()));
  }, 1000);
  figureTimer.unref();
  parts.add('figures timer', () => clearInterval(figureTimer));

  // Duplicate fingerprints older than the longest campaign window can match nothing any more.
  const pruneFingerprints = (): void => {
    const campaigns = [...config.runtime.campaigns.values()];
    if (campaigns.length === 0) return;
    const longestMs = Math.max(...campaigns.map((c) => c.duplicateWindowMs));
    const pruned = store.pruneFingerprints(now() - longestMs - 86_400_000);
    if (pruned) logger.info({ pruned }, 'pruned expired duplicate fingerprints');
    const keys = store.pruneIdempotencyKeys(now() - IDEMPOTENCY_TTL_MS);
    if (keys) logger.info({ keys }, 'pruned expired idempotency keys');
  };
  if (!readOnly) pruneFingerprints();
  const pruneTimer = readOnly ? null : setInterval(pruneFingerprints, 3_600_000);
  pruneTimer?.unref();
  parts.add('prune timer', () => pruneTimer && clearInterval(pruneTimer));

  const handlers = createHandlers({
    store,
    config,
    signals,
    sourceSignals: started.sources,
    placement: started.placement,
    breaker,
    caps,
    dispatcher,
    now,
    emit,
    exportsDir,
    inboundPings: () => heldPings.list(),
    session: { version: opts.version ?? '0.1.0', readOnly, archive: opts.archiveFile ?? null, dataDir: opts.dataDir, intakeUrl: intake?.url ?? null, mode: opts.mode ?? 'browser', startedAt: now() },
  });
  const consoleHost = createConsoleHost({
    handlers,
    readOnly,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onError: (name, err) => logger.error({ method: name, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'console method failed'),
  });

  if (!readOnly && opts.demo && intake) {
    const rate = typeof opts.demo === 'object' ? opts.demo.leadsPerSecond : undefined;
    demo = await startDemo({ config, intakeUrl: intake.url, leadsPerSecond: rate, log: logger });
    const started = demo;
    parts.add('demo buyers', async () => {
      await started.stopTraffic();
      await started.close();
    });
  }

  const drainTimeoutMs = opts.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  let closing: Promise<void> | null = null;
  return {
    consoleHost,
    intakeUrl: intake?.url ?? null,
    dataDir: opts.dataDir,
    exportsDir,
    logger,
    metrics: readMetrics,
    close() {
      closing ??= (async () => {
        draining = true;
        await demo?.stopTraffic();
        if (intake) {
          const listening = intake;
          const drained = await drainWithin(drainTimeoutMs, {
            inFlight: () => [...inFlight],
            closeListener: () => listening.close(),
            forceClose: () => listening.forceClose(),
          });
          if (drained === 'forced') logger.warn({ drainTimeoutMs }, 'drain time over: cut the connections still open');
        } else {
          await Promise.allSettled([...inFlight]);
        }
        const failures = await parts.closeAll();
        for (const f of failures) process.stderr.write(`pingdesk: ${f.message}\n`);
      })();
      return closing;
    },
  };
}

/**
 * One engine per folder: the folder is created private, locked (refused at once, before the
 * database is touched, when another engine holds it), and its files tightened to 0600.
 */
function claimDataFolder(dataDir: string, now: () => number, parts: StartedParts): void {
  preparePrivateFolder(dataDir);
  const lock = lockDataFolder(dataDir, now);
  parts.add('folder lock', () => lock.release());
  makeDataFilesPrivate(dataDir);
}

function openStore(opts: EngineOptions, now: () => number, logger: Logger): Store {
  return Store.open({
    dataDir: opts.dataDir,
    readonly: opts.readOnly === true || opts.archiveFile !== undefined,
    databaseFile: opts.archiveFile,
    durability: opts.durability,
    now,
    log: (level: string, msg: string, obj?: unknown) => logger[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info']({ detail: obj }, msg),
  });
}

export { PingdeskError };

import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import type { AuctionSummary, ConsoleEvents, EventName } from '../shared/console-api.js';
import { PingdeskError } from '../shared/errors.js';
import { Dispatcher } from './auction/dispatch.js';
import { runAuction, type AuctionDeps } from './auction/run-auction.js';
import { ConfigService } from './config/config-service.js';
import { createConsoleHost, type ConsoleHost, type EventListener } from './console/console-host.js';
import { createHandlers } from './console/handlers.js';
import { startDemo, type DemoHandle } from './demo/run-demo.js';
import { submitFeedback } from './intake/feedback.js';
import { submitLead, type AcceptedLead } from './intake/lead-intake.js';
import { startIntakeServer, type IntakeServer } from './intake/intake-server.js';
import { submitRevocation } from './intake/revocation.js';
import { SourceRateLimiter } from './intake/rate-limiter.js';
import { createIdFactory } from './ids.js';
import { LiveFigures } from './observe/live-figures.js';
import { createMetrics } from './observe/metrics.js';
import { CircuitBreaker } from './signals/circuit-breaker.js';
import { BuyerSignals } from './signals/stats.js';
import { Store } from './store/index.js';
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
  /** Local demo buyers, a demo workspace and a trickle of demo leads. */
  demo?: boolean | { leadsPerSecond?: number };
  durability?: 'normal' | 'full';
  now?: () => number;
  logger?: Logger;
  version?: string;
  mode?: 'electron' | 'browser';
}

export interface Engine {
  consoleHost: ConsoleHost;
  intakeUrl: string | null;
  dataDir: string;
  exportsDir: string;
  logger: Logger;
  close(): Promise<void>;
}

const AUDIT_ACTOR_CLI = 'cli';

/**
 * Starts the exchange: opens the store (closing auctions a crash left open), loads the
 * configuration, starts the intake listener, and exposes the ConsoleApi host that both console
 * transports carry. `close()` stops intake (503), lets auctions in flight finish, flushes and closes.
 */
export async function startEngine(opts: EngineOptions): Promise<Engine> {
  const now = opts.now ?? Date.now;
  const readOnly = opts.readOnly === true;
  if (!readOnly) mkdirSync(opts.dataDir, { recursive: true });
  const logger = opts.logger ?? createFileLogger(opts.dataDir, readOnly);
  const store = Store.open({
    dataDir: opts.dataDir,
    readonly: readOnly,
    durability: opts.durability,
    now,
    log: (level: string, msg: string, obj?: unknown) => logger[level === 'error' ? 'error' : level === 'warn' ? 'warn' : 'info']({ detail: obj }, msg),
  });
  // A reviewer's copy may sit on read-only media: its exports go to a temporary folder.
  const exportsDir = readOnly ? mkdtempSync(join(tmpdir(), 'pingdesk-exports-')) : join(opts.dataDir, 'exports');

  const listeners = new Set<EventListener>();
  const emit = <E extends EventName>(name: E, payload: ConsoleEvents[E]): void => {
    for (const l of listeners) l(name, payload);
  };

  if (!readOnly) {
    const interrupted = store.closeInterruptedAuctions(now());
    if (interrupted.length) logger.warn({ count: interrupted.length }, 'closed auctions left open by an earlier stop');
  }

  const config = new ConfigService(store, { now, onChange: (change) => emit('config.changed', change) });
  let demo: DemoHandle | null = null;
  if (!readOnly && opts.workspaceFile) {
    const ws = JSON.parse(readFileSync(opts.workspaceFile, 'utf8')) as unknown;
    config.importWorkspace(ws, AUDIT_ACTOR_CLI);
  }

  const metrics = createMetrics();
  const figures = new LiveFigures();
  const signals = new BuyerSignals();
  const breaker = new CircuitBreaker({ now });
  const caps = new CapsLedger({ now });
  caps.load(store.loadCapUsage(now() - 2 * 86_400_000));
  const dispatcher = new Dispatcher({ now });
  const limiter = new SourceRateLimiter(now);
  const newLeadId = createIdFactory('L', now);
  const newAuctionId = createIdFactory('A', now);
  let draining = false;
  const inFlight = new Set<Promise<unknown>>();

  const onFinished = (s: AuctionSummary): void => {
    figures.record(s);
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
        runAuction(auctionDeps, { leadId: lead.leadId, sourceId: lead.source.id, campaign: lead.campaign, config: config.runtime, fields: lead.fields, consent: lead.consent, test: lead.test, state: lead.state }),
      onRefused: (code: string) => metrics.refused.inc({ code }),
    };
    intake = await startIntakeServer({
      onListenError: async () => {
        await dispatcher.close();
        store.close();
      },
      host: opts.intakeHost ?? '127.0.0.1',
      port: opts.intakePort ?? 7301,
      log: logger,
      handlers: {
        submitLead: (key, body) => track(submitLead(intakeDeps, key, body)),
        submitFeedback: async (key, body) => submitFeedback({ store, now, signals, config: () => config.runtime }, key, body),
        submitRevocation: (key, body) => submitRevocation({ store, now, config: () => config.runtime }, key, body),
        health: () => ({ status: draining ? 'draining' : 'ok', inFlight: inFlight.size, revision: config.runtime.revision }),
        metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
        refused: (code) => metrics.refused.inc({ code }),
      },
    });
    logger.info({ url: intake.url }, 'intake listening');
  }

  const figureTimer = setInterval(() => {
    if (listeners.size) emit('figures.tick', figures.overview(now()));
  }, 1000);
  figureTimer.unref();

  // Duplicate fingerprints older than the longest campaign window can match nothing any more.
  const pruneFingerprints = (): void => {
    const campaigns = [...config.runtime.campaigns.values()];
    if (campaigns.length === 0) return;
    const longestMs = Math.max(...campaigns.map((c) => c.duplicateWindowMs));
    const pruned = store.pruneFingerprints(now() - longestMs - 86_400_000);
    if (pruned) logger.info({ pruned }, 'pruned expired duplicate fingerprints');
  };
  if (!readOnly) pruneFingerprints();
  const pruneTimer = readOnly ? null : setInterval(pruneFingerprints, 3_600_000);
  pruneTimer?.unref();

  const handlers = createHandlers({
    store,
    config,
    signals,
    breaker,
    caps,
    dispatcher,
    now,
    emit,
    exportsDir,
    session: { version: opts.version ?? '0.1.0', readOnly, dataDir: opts.dataDir, intakeUrl: intake?.url ?? null, mode: opts.mode ?? 'browser', startedAt: now() },
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
  }

  let closing: Promise<void> | null = null;
  return {
    consoleHost,
    intakeUrl: intake?.url ?? null,
    dataDir: opts.dataDir,
    exportsDir,
    logger,
    close() {
      closing ??= (async () => {
        draining = true;
        clearInterval(figureTimer);
        if (pruneTimer) clearInterval(pruneTimer);
        await demo?.stopTraffic();
        await Promise.allSettled([...inFlight]);
        await intake?.close();
        await demo?.close();
        await dispatcher.close();
        store.close();
        logger.info('engine closed');
        logger.flush?.();
      })();
      return closing;
    },
  };
}

function createFileLogger(dataDir: string, readOnly: boolean): Logger {
  if (readOnly) return pino({ level: 'warn' }, pino.destination(2));
  const dir = join(dataDir, 'logs');
  mkdirSync(dir, { recursive: true });
  return pino({ level: process.env.PINGDESK_LOG_LEVEL ?? 'info', base: undefined }, pino.destination({ dest: join(dir, 'pingdesk.log'), sync: false, mkdir: true }));
}

export { PingdeskError };

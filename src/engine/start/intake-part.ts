import type { Logger } from 'pino';
import { HeldPings } from '../auction/held-bids.js';
import { runAuction } from '../auction/run-auction.js';
import type { ConfigService } from '../config/config-service.js';
import type { EngineOptions } from '../engine-options.js';
import { createIdFactory } from '../ids.js';
import { submitFeedback } from '../intake/feedback.js';
import { IdempotencyGate } from '../intake/idempotency.js';
import { submitPing } from '../intake/inbound-ping.js';
import { submitPost } from '../intake/inbound-post.js';
import { startIntakeServer, type IntakeServer } from '../intake/intake-server.js';
import { submitLead, type AcceptedLead } from '../intake/lead-intake.js';
import { SourceRateLimiter } from '../intake/rate-limiter.js';
import { submitRevocation } from '../intake/revocation.js';
import type { Market } from '../market/start-market.js';
import type { Metrics } from '../observe/metrics.js';
import { healthStatus } from '../observe/storage-health.js';
import { screenLead } from '../screen/screen-stage.js';
import { Screener } from '../screen/screener.js';
import { once, type StartedParts } from '../started-parts.js';
import type { Store } from '../store/index.js';
import type { AuctionPart } from './auction-part.js';
import type { InFlight } from './in-flight.js';

interface IntakePartDeps {
  opts: EngineOptions;
  store: Store;
  config: ConfigService;
  now: () => number;
  logger: Logger;
  metrics: Metrics;
  readMetrics: () => Promise<{ contentType: string; body: string }>;
  auction: AuctionPart;
  heldPings: HeldPings;
  inFlight: InFlight;
  parts: StartedParts;
  /** Predicts each lead's value before its auction (absent: no estimates). */
  market?: Market | null;
}

/** The screener for campaigns with screening rules; closed with the engine. */
export function startScreener(now: () => number, parts: StartedParts): Screener {
  const screener = new Screener({ now });
  parts.add('screener', () => screener.close());
  return screener;
}

/**
 * The intake listener: leads, inbound pings and posts, feedback and revocations from sources and
 * buyers. Every lead it admits runs an auction; the work it starts is tracked until it settles.
 */
export async function startIntake(d: IntakePartDeps, screener: Screener): Promise<IntakeServer> {
  const { opts, store, config, now, logger, metrics, auction, inFlight } = d;
  const { figures, signals, dispatcher, caps, breaker } = auction;
  const intakeDeps = {
    store,
    config: () => config.runtime,
    limiter: new SourceRateLimiter(now),
    now,
    newLeadId: createIdFactory('L', now),
    isDraining: () => inFlight.draining,
    runAuction: (lead: AcceptedLead) => {
      // The lead's predicted value, recorded with its writes before the auction (not for test leads).
      d.market?.estimator.estimate({ leadId: lead.leadId, campaignId: lead.campaign.id, sourceId: lead.source.id, state: lead.state, test: lead.test });
      return runAuction(auction.auctionDeps, { leadId: lead.leadId, sourceId: lead.source.id, campaign: lead.campaign, config: config.runtime, fields: lead.fields, consent: lead.consent, test: lead.test, state: lead.state, inbound: lead.inbound });
    },
    onRefused: (code: string, sourceId: string | null) => {
      metrics.refused.inc({ code });
      // Every lead of a known source is accounted for: received = accepted + refused.
      if (sourceId !== null) store.countRefusal(sourceId, code, now());
      if (sourceId !== null) figures.recordRefusal(now());
    },
    idempotency: new IdempotencyGate(store, now),
    screen: (lead: AcceptedLead) => screenLead({ store, screener, now, onRefused: (code) => metrics.refused.inc({ code }) }, lead),
  };
  const intake = await startIntakeServer({
    host: opts.intakeHost ?? '127.0.0.1',
    port: opts.intakePort ?? 7301,
    log: logger,
    handlers: {
      submitLead: (key, body, idempotencyKey) => inFlight.track(submitLead(intakeDeps, key, body, idempotencyKey)),
      // A refused ping is not a lead: only metrics count it, not the sources' refused leads.
      submitPing: (key, body) => inFlight.track(submitPing({ ...intakeDeps, dispatcher, caps, breaker, held: d.heldPings, onRefused: (code) => metrics.refused.inc({ code }) }, key, body)),
      submitPost: (key, body, idempotencyKey) => inFlight.track(submitPost(intakeDeps, d.heldPings, key, body, idempotencyKey)),
      submitFeedback: async (key, body) => submitFeedback({ store, now, signals, config: () => config.runtime }, key, body),
      health: () => ({ ...healthStatus(store.storageState(), inFlight.draining), inFlight: inFlight.size, revision: config.runtime.revision }),
      metrics: d.readMetrics,
      submitRevocation: (key, body) => submitRevocation({ store, now, config: () => config.runtime }, key, body),
      refused: (code) => metrics.refused.inc({ code }),
    },
    limits: opts.intakeLimits,
    metricsKey: opts.metricsKey,
  });
  d.parts.add('intake listener', once(() => intake.close()));
  logger.info({ url: intake.url }, 'intake listening');
  return intake;
}

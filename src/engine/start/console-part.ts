import type { Logger } from 'pino';
import type { SessionInfo } from '../../shared/console-api.js';
import type { HeldPings } from '../auction/held-bids.js';
import type { ConfigService } from '../config/config-service.js';
import { createConsoleHost, type ConsoleHost } from '../console/console-host.js';
import { createHandlers } from '../console/handlers.js';
import type { Store } from '../store/index.js';
import type { AuctionPart } from './auction-part.js';
import type { EventBus } from './event-bus.js';

interface ConsolePartDeps {
  store: Store;
  config: ConfigService;
  now: () => number;
  readOnly: boolean;
  logger: Logger;
  auction: AuctionPart;
  heldPings: HeldPings;
  events: EventBus;
  exportsDir: string;
  session: SessionInfo;
}

/** The ConsoleApi host both console transports carry: every method's handler, read-only refusals, logged failures. */
export function startConsoleHost(d: ConsolePartDeps): ConsoleHost {
  const { signals, breaker, caps, dispatcher } = d.auction;
  const handlers = createHandlers({
    store: d.store,
    config: d.config,
    signals,
    breaker,
    caps,
    dispatcher,
    now: d.now,
    emit: d.events.emit,
    exportsDir: d.exportsDir,
    inboundPings: () => d.heldPings.list(),
    session: d.session,
  });
  return createConsoleHost({
    handlers,
    readOnly: d.readOnly,
    subscribe: (l) => d.events.subscribe(l),
    onError: (name, err) => d.logger.error({ method: name, err: err instanceof Error ? { message: err.message, stack: err.stack } : String(err) }, 'console method failed'),
  });
}

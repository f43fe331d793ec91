import type { ConsoleEvents, EventName, SessionInfo } from '../../../shared/console-api.js';
import type { Dispatcher } from '../../auction/dispatch.js';
import type { HeldPing } from '../../auction/held-bids.js';
import type { ConfigService } from '../../config/config-service.js';
import type { CircuitBreaker } from '../../signals/circuit-breaker.js';
import type { BuyerSignals } from '../../signals/stats.js';
import type { Store } from '../../store/index.js';
import type { CapsLedger } from '../../tree/caps-ledger.js';
import type { ConsoleHandlers } from '../console-host.js';

/** What the console handlers read and change: the engine's parts, shared by every area's handler file. */
export interface HandlerDeps {
  store: Store;
  config: ConfigService;
  signals: BuyerSignals;
  breaker: CircuitBreaker;
  caps: CapsLedger;
  dispatcher: Dispatcher;
  now: () => number;
  emit: <E extends EventName>(name: E, payload: ConsoleEvents[E]) => void;
  exportsDir: string;
  session: SessionInfo;
  /** Held inbound pings (absent in a read-only engine). */
  inboundPings?: () => HeldPing[];
}

/** The handlers of the console methods named `<prefix>.*`, e.g. `HandlersOf<'buyers'>` for `buyers.save`, `buyers.list`… */
export type HandlersOf<Prefix extends string> = Pick<ConsoleHandlers, Extract<keyof ConsoleHandlers, `${Prefix}.${string}`>>;

/** Reports a long job's progress as `job.progress` events, when the caller gave the job an id. */
export function progressReporter(d: Pick<HandlerDeps, 'emit'>, jobId: string | undefined) {
  return (done: number, total?: number | null): void => {
    if (jobId) d.emit('job.progress', { jobId, done, total: total ?? null });
  };
}

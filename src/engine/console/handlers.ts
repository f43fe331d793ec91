import type { ConsoleHandlers } from './console-host.js';
import { abHandlers } from './handlers/ab-handlers.js';
import { auctionsHandlers } from './handlers/auctions-handlers.js';
import { auditHandlers } from './handlers/audit-handlers.js';
import { buyersHandlers } from './handlers/buyers-handlers.js';
import { campaignsHandlers } from './handlers/campaigns-handlers.js';
import { changesHandlers } from './handlers/changes-handlers.js';
import { configHandlers } from './handlers/config-handlers.js';
import { exportHandlers } from './handlers/export-handlers.js';
import { exportsHandlers } from './handlers/exports-handlers.js';
import { floorsHandlers } from './handlers/floors-handlers.js';
import type { HandlerDeps } from './handlers/handler-deps.js';
import { leadsHandlers } from './handlers/leads-handlers.js';
import { leadValueHandlers } from './handlers/lead-value-handlers.js';
import { ledgerHandlers } from './handlers/ledger-handlers.js';
import { overviewHandlers } from './handlers/overview-handlers.js';
import { pingsHandlers } from './handlers/pings-handlers.js';
import { reportsHandlers } from './handlers/reports-handlers.js';
import { returnsHandlers } from './handlers/returns-handlers.js';
import { sessionHandlers } from './handlers/session-handlers.js';
import { signalsHandlers } from './handlers/signals-handlers.js';
import { sourcesHandlers } from './handlers/sources-handlers.js';
import { statsHandlers } from './handlers/stats-handlers.js';
import { suppressionHandlers } from './handlers/suppression-handlers.js';
import { tiersHandlers } from './handlers/tiers-handlers.js';
import { timeseriesHandlers } from './handlers/timeseries-handlers.js';
import { workspaceHandlers } from './handlers/workspace-handlers.js';
import { whatifHandlers } from './handlers/whatif-handlers.js';

export type { HandlerDeps } from './handlers/handler-deps.js';

/**
 * The engine's one implementation of the ConsoleApi contract, composed from one file per area: the
 * handler of `<area>.<verb>` is in `handlers/<area>-handlers.ts`. The type checks that every method has one.
 */
export function createHandlers(d: HandlerDeps): ConsoleHandlers {
  const ledger = { store: d.store, config: () => d.config.runtime, now: d.now };
  return {
    ...sessionHandlers(d),
    ...overviewHandlers(d),
    ...timeseriesHandlers(d),
    ...statsHandlers(d),
    ...auctionsHandlers(d),
    ...pingsHandlers(d),
    ...leadsHandlers(d),
    ...campaignsHandlers(d),
    ...tiersHandlers(d),
    ...floorsHandlers(d),
    ...leadValueHandlers(d),
    ...sourcesHandlers(d),
    ...buyersHandlers(d),
    ...suppressionHandlers(d),
    ...workspaceHandlers(d),
    ...auditHandlers(d),
    ...exportHandlers(d),
    ...exportsHandlers(d),
    ...configHandlers(d),
    ...ledgerHandlers(ledger),
    ...returnsHandlers(ledger),
    ...signalsHandlers(d),
    ...changesHandlers(d),
    ...abHandlers(d),
    ...whatifHandlers(d),
    ...reportsHandlers(d),
  };
}

import { priceRejectReport } from '../../whatif/price-rejects.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Reports' tables computed by replaying recorded auctions (the price-reject report). */
export function reportsHandlers(d: Pick<HandlerDeps, 'store' | 'config'>): HandlersOf<'reports'> {
  return {
    'reports.priceRejects': (req) => priceRejectReport(d.store, d.config.workspace, req),
  };
}

import type { WhatIfResult } from '../../shared/whatif-views.js';
import type { ConfigService } from '../config/config-service.js';
import type { Store } from '../store/index.js';
import { applyTreeChanges } from '../whatif/apply-tree-changes.js';
import { priceRejectReport } from '../whatif/price-rejects.js';
import { runWhatIfYielding } from '../whatif/run-whatif.js';
import type { ConsoleHandlers } from './console-host.js';

type WhatIfMethods = 'whatif.run' | 'whatif.apply' | 'reports.priceRejects';

/** The what-if panel of the Ping tree screen and the price-reject table of Reports. */
export function whatifHandlers(d: { store: Store; config: ConfigService }): Pick<ConsoleHandlers, WhatIfMethods> {
  const { store, config } = d;
  return {
    'whatif.run': (req) => runWhatIfYielding(store, config.workspace, req),
    'whatif.apply': async (req, ctx) => {
      // Priced again at the moment of applying; the changes are then made on the configuration as it
      // stands after the replay (another change may have landed while it ran).
      const whatif = await runWhatIfYielding(store, config.workspace, req);
      const next = applyTreeChanges(config.workspace, req.campaignId, req.changes);
      const campaign = config.applyTreeChanges(req.campaignId, next, ctx.actor, { changes: req.changes, whatif: auditSummary(whatif) });
      await store.flush();
      return { campaign, whatif };
    },
    'reports.priceRejects': (req) => priceRejectReport(store, config.workspace, req),
  };
}

/** What the trail keeps of the replay the change was priced with: the figures and the unknowns, in dollars. */
function auditSummary(r: WhatIfResult): Record<string, unknown> {
  const side = (f: WhatIfResult['before']) => ({ sold: f.sold, fillRate: Math.round(f.fillRate * 10_000) / 10_000, revenue: f.revenue, payout: f.payout, margin: f.margin });
  return { from: r.from, to: r.to, auctions: r.auctions, before: side(r.before), after: side(r.after), unknowns: r.unknowns };
}

import type { WhatIfResult } from '../../../shared/whatif-views.js';
import { applyTreeChanges } from '../../whatif/apply-tree-changes.js';
import { runWhatIfYielding } from '../../whatif/run-whatif.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** The Ping tree screen's What-if panel: price ping tree changes on the recorded bids, and apply them in one audited step. */
export function whatifHandlers(d: Pick<HandlerDeps, 'store' | 'config'>): HandlersOf<'whatif'> {
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
  };
}

/** What the trail keeps of the replay the change was priced with: the figures and the unknowns, in dollars. */
function auditSummary(r: WhatIfResult): Record<string, unknown> {
  const side = (f: WhatIfResult['before']) => ({ sold: f.sold, fillRate: Math.round(f.fillRate * 10_000) / 10_000, revenue: f.revenue, payout: f.payout, margin: f.margin });
  return { from: r.from, to: r.to, auctions: r.auctions, before: side(r.before), after: side(r.after), unknowns: r.unknowns };
}

import type { ChangeImpact, ChangeView } from '../../../shared/change-views.js';
import { impactWindows, windowFigures } from '../../changes/change-impact.js';
import { describeConfigEvent } from '../../changes/describe-change.js';
import { MAX_CHANGES } from '../../store/change-repo.js';
import type { HandlerDeps, HandlersOf } from './handler-deps.js';

/** Change markers (Live's sparklines, Reports' charts) and the before/after readout after a change. */
export function changesHandlers(d: Pick<HandlerDeps, 'store' | 'config' | 'now'>): HandlersOf<'changes'> {
  const buyerName = (id: string): string => d.config.workspace.buyers.find((b) => b.id === id)?.name ?? id;
  /** A buyer's own switch (pause, delete) concerns a campaign when the buyer is in its tree. */
  const concerns = (c: ChangeView, campaignId: string | undefined): boolean => {
    if (campaignId === undefined || c.campaignId === campaignId) return true;
    if (c.campaignId !== null) return false;
    if (c.subject === 'workspace') return true;
    const campaign = d.config.workspace.campaigns.find((x) => x.id === campaignId);
    return c.buyerId !== null && (campaign?.tiers.some((t) => t.buyers.includes(c.buyerId as string)) ?? false);
  };
  const list = async (from: number, to: number, campaignId: string | undefined, limit: number) => {
    // Config events wait in the write queue like every audit event: a change just made must be seen.
    await d.store.flush();
    const log = d.store.changeLog();
    const events = await d.store.readOffLoop(() => log.configEventsSteps({ from, to, limit: limit + 1 }));
    const truncated = events.length > limit;
    const changes = events
      .slice(0, limit)
      .map((e) => describeConfigEvent(e, buyerName))
      .filter((c): c is ChangeView => c !== null && concerns(c, campaignId));
    return { changes, truncated };
  };

  return {
    'changes.list': ({ from, to, campaignId, limit }) => list(from, to, campaignId, Math.min(limit ?? MAX_CHANGES, MAX_CHANGES)),
    'changes.impact': async ({ from, to, campaignId, windowMs, latest }) => {
      const now = d.now();
      const { changes } = await list(from, Math.min(to, now + 1), campaignId, MAX_CHANGES);
      const picked = changes.slice(-(latest ?? 1));
      // Window totals read every auction of their windows (a day's, on Live's 24 h view): in the read thread.
      const log = d.store.changeLog();
      const totals = (r: { from: number; to: number }, scope: string | null) => d.store.readOffLoop(() => log.windowTotalsSteps({ ...r, campaignId: scope ?? undefined }));
      return Promise.all(picked.map(async (change): Promise<ChangeImpact> => {
        // Figures for the change's own campaign; a buyer's switch or an import is judged on the chosen scope.
        const scope = change.campaignId ?? campaignId ?? null;
        const next = changes.find((c) => c.seq > change.seq && (c.campaignId === null || scope === null || c.campaignId === scope));
        const w = impactWindows(change.at, windowMs, now, next?.at ?? null);
        return {
          change,
          campaignId: scope,
          before: windowFigures(await totals(w.before, scope), w.before.from, w.before.to),
          since: windowFigures(await totals(w.since, scope), w.since.from, w.since.to),
          cutByNextChange: w.cutByNextChange,
        };
      }));
    },
  };
}

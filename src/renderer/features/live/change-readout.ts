import type { ChangeImpact, WindowFigures } from '../../../shared/change-views.js';
import { formatCount, formatMoney, formatPercent } from '../../ui/format.js';

/** "12 min", "2 h 5 min": how long the compared windows are. */
export function formatSpan(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h} h ${m} min` : `${h} h`;
}

/**
 * One change's before/after in a line, numbers as the engine gave them:
 * "Since Premium floor $20.00 → $25.00 at 10:42: fill 61% → 48%, sold 30 → 22, …".
 */
export function describeImpact(impact: ChangeImpact, clock: (ms: number) => string): { headline: string; figures: string; basis: string } {
  const { before: b, since: s } = impact;
  const pair = (f: (w: WindowFigures) => string) => `${f(b)} → ${f(s)}`;
  const figures = [
    `fill ${pair((w) => formatPercent(w.fillRate))}`,
    `leads ${pair((w) => formatCount(w.auctions))}`,
    `sold ${pair((w) => formatCount(w.sold))}`,
    `revenue ${pair((w) => formatMoney(w.revenue))}`,
    `avg price ${pair((w) => formatMoney(w.avgPrice))}`,
  ].join(', ');
  const span = s.to - s.from;
  const basis =
    span <= 0
      ? 'Nothing to compare yet: the change was just made.'
      : `The ${formatSpan(span)} since the change against the ${formatSpan(span)} before it${impact.cutByNextChange ? ' (until the next change)' : ''}` +
        `${impact.campaignId ? '' : ', every campaign'}; test leads left out.`;
  const reason = impact.change.reason ? ` (${impact.change.reason})` : '';
  return { headline: `Since ${impact.change.summary}${reason} at ${clock(impact.change.at)}`, figures, basis };
}

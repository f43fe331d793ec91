import type { WindowFigures } from '../../shared/change-views.js';
import { toDollars } from '../money.js';
import type { WindowTotals } from '../store/index.js';

export interface ImpactWindows {
  before: { from: number; to: number };
  since: { from: number; to: number };
  cutByNextChange: boolean;
}

/**
 * The two windows a change is judged on. `since` = [at, min(at + windowMs, next change, now)); `before`
 * is just as long and ends at the change, so a count before and a count since cover equal time and
 * compare directly. A change made this instant has empty windows (nothing to compare yet).
 */
export function impactWindows(at: number, windowMs: number, now: number, nextChangeAt: number | null): ImpactWindows {
  const windowEnd = at + windowMs;
  const cut = nextChangeAt !== null && nextChangeAt < Math.min(windowEnd, now);
  const end = Math.max(at, Math.min(windowEnd, now, nextChangeAt ?? Number.POSITIVE_INFINITY));
  const length = end - at;
  return { before: { from: at - length, to: at }, since: { from: at, to: end }, cutByNextChange: cut };
}

/** Totals in cents → the window's figures in dollars; rates are null where they would divide by zero. */
export function windowFigures(t: WindowTotals, from: number, to: number): WindowFigures {
  return {
    from,
    to,
    auctions: t.auctions,
    sold: t.sold,
    fillRate: t.auctions ? t.sold / t.auctions : null,
    revenue: toDollars(t.revenueCents),
    avgPrice: t.sold ? toDollars(Math.round(t.revenueCents / t.sold)) : null,
  };
}

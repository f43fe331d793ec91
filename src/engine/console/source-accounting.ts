import type { SourceStat } from '../../shared/console-api.js';
import { toDollars } from '../money.js';
import type { SourceStats } from '../store/report-repo.js';
import type { RefusalCount } from '../store/refusal-repo.js';

/**
 * The Sources table: what each source sent in a period, accepted and refused, so that
 * received = accepted + refused. A source with only refusals still gets its row.
 */
export function sourceAccounting(accepted: readonly SourceStats[], refusals: readonly RefusalCount[]): SourceStat[] {
  const rows = new Map<string, SourceStat>();
  const rowOf = (sourceId: string): SourceStat => {
    let row = rows.get(sourceId);
    if (!row) {
      row = { sourceId, leads: 0, sold: 0, revenue: 0, payout: 0, received: 0, refused: 0, refusedBy: {} };
      rows.set(sourceId, row);
    }
    return row;
  };
  for (const s of accepted) Object.assign(rowOf(s.sourceId), { leads: s.leads, sold: s.sold, revenue: toDollars(s.revenueCents), payout: toDollars(s.payoutCents) });
  for (const r of refusals) {
    const row = rowOf(r.sourceId);
    row.refused += r.count;
    row.refusedBy[r.reason] = (row.refusedBy[r.reason] ?? 0) + r.count;
  }
  for (const row of rows.values()) row.received = row.leads + row.refused;
  return [...rows.values()].sort((a, b) => (a.sourceId < b.sourceId ? -1 : a.sourceId > b.sourceId ? 1 : 0));
}

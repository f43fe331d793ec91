import { useMemo } from 'react';
import type { AuctionSummary } from '../../../shared/console-api.js';
import { useConsole, useShallow } from '../../store/use-console.js';
import type { Directory } from '../../ui/use-directory.js';

/** Filters over the buffered rows: campaign, outcome and winning buyer. Options include ids seen in the stream. */
export function LiveFilters({ rows, dir }: { rows: readonly AuctionSummary[]; dir: Directory }) {
  const filter = useConsole(useShallow((s) => s.live.filter));
  const setFilter = useConsole((s) => s.live.setFilter);
  const clearFilter = useConsole((s) => s.live.clearFilter);

  const campaignIds = useMemo(() => withSeen(dir.campaigns.map((c) => c.id), rows, (r) => r.campaignId), [dir.campaigns, rows]);
  const buyerIds = useMemo(() => withSeen(dir.buyers.map((b) => b.id), rows, (r) => r.winnerBuyerId), [dir.buyers, rows]);
  const active = !!(filter.campaignId || filter.status || filter.buyerId);

  return (
    <div className="toolbar" data-testid="live-filters">
      <select className="select" aria-label="Campaign" value={filter.campaignId} onChange={(e) => setFilter({ campaignId: e.target.value })} data-testid="filter-campaign">
        <option value="">All campaigns</option>
        {campaignIds.map((id) => (
          <option key={id} value={id}>
            {dir.campaignName(id)}
          </option>
        ))}
      </select>
      <select className="select" aria-label="Outcome" value={filter.status} onChange={(e) => setFilter({ status: e.target.value as typeof filter.status })} data-testid="filter-status">
        <option value="">All outcomes</option>
        <option value="sold">Sold</option>
        <option value="unsold">Unsold</option>
        <option value="open">Open</option>
        <option value="interrupted">Interrupted</option>
        <option value="unconfirmed">Unconfirmed</option>
      </select>
      <select className="select" aria-label="Winning buyer" value={filter.buyerId} onChange={(e) => setFilter({ buyerId: e.target.value })} data-testid="filter-buyer">
        <option value="">Any buyer</option>
        {buyerIds.map((id) => (
          <option key={id} value={id}>
            {dir.buyerName(id)}
          </option>
        ))}
      </select>
      {active && (
        <button type="button" className="btn btn-small" onClick={clearFilter}>
          Clear filters
        </button>
      )}
    </div>
  );
}

function withSeen(known: string[], rows: readonly AuctionSummary[], pick: (r: AuctionSummary) => string | null): string[] {
  const ids = new Set(known);
  // Only a sample of the newest rows: the option list must not cost a scan per batch.
  for (let i = 0; i < Math.min(rows.length, 500); i++) {
    const id = pick(rows[i]);
    if (id) ids.add(id);
  }
  return [...ids].sort();
}

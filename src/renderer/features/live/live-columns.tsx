import type { AuctionSummary } from '../../../shared/console-api.js';
import type { Column } from '../../ui/table.js';
import { DASH, formatClock, formatMoney, formatMs } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import type { Directory } from '../../ui/use-directory.js';

/** An unconfirmed auction names a buyer that only may hold the lead: never shown as a plain winner. */
function winnerCell(r: AuctionSummary, dir: Pick<Directory, 'buyerName'>) {
  if (!r.winnerBuyerId) return <span className="muted">{DASH}</span>;
  if (r.status !== 'unconfirmed') return dir.buyerName(r.winnerBuyerId);
  return <span title="Its post had no clear answer: it may hold the lead">{dir.buyerName(r.winnerBuyerId)} <span className="muted small">(may hold)</span></span>;
}

/** The Live table's columns; built once per directory so memoised rows stay memoised. */
export function liveColumns(dir: Pick<Directory, 'campaignName' | 'buyerName' | 'tierName'>): Column<AuctionSummary>[] {
  return [
    { key: 'time', header: 'Time', width: '110px', render: (r) => formatClock(r.startedAt) },
    { key: 'campaign', header: 'Campaign', width: 'minmax(110px, 1.3fr)', render: (r) => dir.campaignName(r.campaignId) },
    { key: 'state', header: 'State', width: '56px', render: (r) => r.state ?? DASH },
    { key: 'tier', header: 'Tier', width: '96px', render: (r) => dir.tierName(r.campaignId, r.tierReached) },
    { key: 'winner', header: 'Winner', width: 'minmax(110px, 1.3fr)', render: (r) => winnerCell(r, dir) },
    { key: 'price', header: 'Price', width: '84px', numeric: true, render: (r) => formatMoney(r.price) },
    { key: 'payout', header: 'Payout', width: '84px', numeric: true, render: (r) => formatMoney(r.payout) },
    { key: 'margin', header: 'Margin', width: '84px', numeric: true, render: (r) => formatMoney(r.margin) },
    { key: 'latency', header: 'Latency', width: '76px', numeric: true, render: (r) => formatMs(r.latencyMs) },
    {
      key: 'outcome',
      header: 'Outcome',
      width: 'minmax(120px, 1.2fr)',
      title: (r) => r.reason ?? undefined,
      render: (r) => (
        <>
          <span className={outcomeBadge(r.status)} data-testid="live-status">
            {r.status}
          </span>
          {r.test && <span className="badge badge-muted" style={{ marginLeft: 4 }}>test</span>}
          {r.reason && r.status !== 'sold' && <span className="muted small" style={{ marginLeft: 6 }}>{r.reason}</span>}
        </>
      ),
    },
  ];
}

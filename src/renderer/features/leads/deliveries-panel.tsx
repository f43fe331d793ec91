import type { AuditEventView, AuctionSummary } from '../../../shared/console-api.js';
import { pingedBuyerIds } from '../../../shared/ping-round.js';
import { href } from '../../app/router.js';
import { formatDateTime, formatMoney } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import type { Directory } from '../../ui/use-directory.js';

/**
 * Who received this consumer's data and when. Posts carry the full record; pings carried only the
 * campaign's non-contact ping fields, so they are counted separately.
 */
export function DeliveriesPanel({ trail, auctions, dir }: { trail: AuditEventView[]; auctions: AuctionSummary[]; dir: Directory }) {
  const posts = trail.filter((e) => e.type === 'post' && typeof e.data.buyerId === 'string' && e.data.outcome !== 'CAP_REACHED');
  const pinged = pingedBuyerIds(trail);
  return (
    <section className="panel" data-testid="lead-deliveries">
      <h2>Data shared</h2>
      {posts.length === 0 ? (
        <p className="muted" style={{ margin: '0 0 8px' }}>
          The full record was sent to no buyer.
        </p>
      ) : (
        <table className="table" style={{ marginBottom: 8 }}>
          <thead>
            <tr>
              <th>Full record sent to</th>
              <th>When</th>
              <th>Answer</th>
              <th className="num">Price</th>
            </tr>
          </thead>
          <tbody>
            {posts.map((e) => (
              <tr key={e.seq} data-testid="delivery-row">
                <td>{dir.buyerName(String(e.data.buyerId))}</td>
                <td className="tabular">{formatDateTime(e.at)}</td>
                <td>{typeof e.data.outcome === 'string' && <span className={outcomeBadge(e.data.outcome)}>{e.data.outcome}</span>}</td>
                <td className="num">{formatMoney(typeof e.data.price === 'number' ? e.data.price : null)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="muted small" style={{ margin: 0 }}>
        Pinged with non-contact fields only: {pinged.length ? pinged.map((id) => dir.buyerName(id)).join(', ') : 'nobody'}.
      </p>
      {auctions.length > 0 && (
        <p className="small" style={{ margin: '8px 0 0' }}>
          Auctions:{' '}
          {auctions.map((a, i) => (
            <span key={a.id}>
              {i > 0 && ', '}
              <a href={href('auctions', a.id)} className="mono">
                {a.id}
              </a>{' '}
              <span className={outcomeBadge(a.status)}>{a.status}</span>
            </span>
          ))}
        </p>
      )}
    </section>
  );
}

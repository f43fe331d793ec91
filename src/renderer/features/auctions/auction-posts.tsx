import type { PostView } from '../../../shared/console-api.js';
import { DASH, formatClock, formatMoney, formatMs } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import type { Directory } from '../../ui/use-directory.js';

/** A buyer accepted after its post timed out: said plainly, and louder when another buyer holds the lead too. */
export function LateAcceptFlags({ posts, dir }: { posts: PostView[]; dir: Directory }) {
  const late = posts.filter((p) => p.outcome === 'LATE_ACCEPTED');
  if (late.length === 0) return null;
  const accepted = posts.find((p) => p.outcome === 'ACCEPTED');
  return (
    <div className="error-banner" data-testid="auction-late-accept">
      <div className="error-body">
        {late.map((p) => (
          <div key={`${p.attempt}-${p.buyerId}`}>
            <span className="badge badge-bad">late accept</span> {dir.buyerName(p.buyerId)} accepted after its post timed out
            {accepted && accepted.buyerId !== p.buyerId && <strong>: {dir.buyerName(accepted.buyerId)} holds this lead too.</strong>}
          </div>
        ))}
      </div>
    </div>
  );
}

/** Each post attempt in order: the winner first, then fallbacks after a rejection (a late acceptance under its attempt). */
export function AuctionPosts({ posts, dir }: { posts: PostView[]; dir: Directory }) {
  const ordered = [...posts].sort((a, b) => a.attempt - b.attempt);
  return (
    <section className="panel" data-testid="auction-posts">
      <h2>Posts</h2>
      {ordered.length === 0 ? (
        <p className="muted" style={{ margin: 0 }}>
          No post was attempted.
        </p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>Buyer</th>
              <th>Outcome</th>
              <th className="num">Price</th>
              <th className="num">Latency</th>
              <th>Sent</th>
              <th>Buyer ref</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {ordered.map((p) => (
              <tr key={`${p.attempt}-${p.buyerId}-${p.outcome}`}>
                <td className="num">{p.attempt}</td>
                <td>{dir.buyerName(p.buyerId)}</td>
                <td>
                  <span className={outcomeBadge(p.outcome)}>{p.outcome}</span>
                </td>
                <td className="num">{formatMoney(p.price)}</td>
                <td className="num">{formatMs(p.latencyMs)}</td>
                <td className="tabular">{formatClock(p.sentAt)}</td>
                <td className="mono">{p.buyerRef ?? DASH}</td>
                <td>{p.reason ?? DASH}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

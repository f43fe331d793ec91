import { api } from '../../api/client.js';
import { href } from '../../app/router.js';
import { ErrorBanner } from '../../ui/error-banner.js';
import { DASH, formatDateTime, formatMoney, formatMs } from '../../ui/format.js';
import { outcomeBadge } from '../../ui/outcome.js';
import { useApi } from '../../ui/use-api.js';
import { useDirectory, type Directory } from '../../ui/use-directory.js';
import { tierLabel } from '../../../shared/tier-label.js';
import { AuctionPosts, LateAcceptFlags } from './auction-posts.js';
import { AuctionTiers } from './auction-tiers.js';
import { LeadValuePanel } from './lead-value.js';

/** `#/auctions/<id>`: everything one auction did, ping by ping and post by post. */
export function AuctionScreen({ params }: { params: string[] }) {
  const id = params[0] ?? '';
  const detail = useApi(() => api['auctions.get']({ id }), [id]);
  const today = useDirectory();
  // Buyers are named as they were when the auction ran; today's names only for older auctions.
  const recordedNames = detail.data?.buyerNames;
  const dir: Directory = recordedNames ? { ...today, buyerName: (b) => (b && recordedNames[b]) || today.buyerName(b) } : today;
  const a = detail.data?.auction;

  return (
    <div className="screen" data-testid="auction-screen">
      <div className="screen-header">
        <h1>
          Auction <span className="mono">{id}</span> {a && <span className={outcomeBadge(a.status)}>{a.status}</span>}
        </h1>
        <div className="actions">
          <a className="btn" href={href('live')}>
            Back to Live
          </a>
          {a && (
            <a className="btn" href={href('leads', a.leadId)} data-testid="auction-lead-link">
              Open lead
            </a>
          )}
        </div>
      </div>
      <ErrorBanner error={detail.error} />
      {detail.loading && !detail.data && <div className="muted">Loading…</div>}
      {detail.data && a && a.status === 'unconfirmed' && (
        <div className="notice" data-testid="auction-unconfirmed">
          <span className={outcomeBadge('unconfirmed')}>unconfirmed</span> {a.winnerBuyerId ? dir.buyerName(a.winnerBuyerId) : 'A buyer'} may hold this lead
          ({a.reason ?? 'no clear answer to its post'}); nobody else was sent it. <a href={href('leads', a.leadId)}>Settle it on the lead page</a>.
        </div>
      )}
      {detail.data && a && <LateAcceptFlags posts={detail.data.posts} dir={dir} />}
      {detail.data && a && (
        <>
          <section className="panel">
            <dl className="props" data-testid="auction-summary">
              <dt>Lead</dt>
              <dd>
                <a href={href('leads', a.leadId)} className="mono">
                  {a.leadId}
                </a>
                {a.test && <span className="badge badge-muted" style={{ marginLeft: 6 }}>test</span>}
              </dd>
              <dt>Campaign</dt>
              <dd>{dir.campaignName(a.campaignId)}</dd>
              <dt>Source</dt>
              <dd>{dir.sourceName(a.sourceId)}</dd>
              <dt>State</dt>
              <dd>{a.state ?? DASH}</dd>
              <dt>Started</dt>
              <dd className="tabular">{formatDateTime(a.startedAt)}</dd>
              <dt>Duration</dt>
              <dd className="tabular">{formatMs(a.latencyMs)}</dd>
              <dt>Tier reached</dt>
              <dd>{a.tierReached == null ? DASH : tierLabel(detail.data.tiers.find((t) => t.tierIndex === a.tierReached)?.tierName ?? dir.tierName(a.campaignId, a.tierReached), a.tierReached)}</dd>
              <dt>Effective floor</dt>
              <dd className="tabular">{formatMoney(a.floor)}</dd>
              <dt>{a.status === 'unconfirmed' ? 'May be held by' : 'Winner'}</dt>
              <dd>{a.winnerBuyerId ? dir.buyerName(a.winnerBuyerId) : DASH}</dd>
              <dt>Price · payout · margin</dt>
              <dd className="tabular">
                {formatMoney(a.price)} · {formatMoney(a.payout)} · {formatMoney(a.margin)}
              </dd>
              {detail.data.promise && (
                <>
                  <dt>Promised to the source</dt>
                  <dd className="tabular">
                    {formatMoney(detail.data.promise.price)} <span className="muted">(inbound ping {detail.data.promise.pingId.slice(0, 11)}…)</span>
                  </dd>
                </>
              )}
              {detail.data.abTest && (
                <>
                  <dt>A/B test</dt>
                  <dd data-testid="auction-ab-variant">“{detail.data.abTest.name}”, variant {detail.data.abTest.variant}{detail.data.abTest.variant === 'A' ? ' (the campaign’s tree)' : ''}</dd>
                </>
              )}
              {a.reason && (
                <>
                  <dt>Reason</dt>
                  <dd>{a.reason}</dd>
                </>
              )}
            </dl>
          </section>
          <LeadValuePanel leadId={a.leadId} status={a.status} />
          <AuctionTiers detail={detail.data} dir={dir} />
          <AuctionPosts posts={detail.data.posts} dir={dir} />
        </>
      )}
    </div>
  );
}

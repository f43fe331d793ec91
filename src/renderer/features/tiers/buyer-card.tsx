import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { memo } from 'react';
import type { BuyerStat, BuyerView } from '../../../shared/console-api.js';
import { tierLabel } from '../../../shared/tier-label.js';
import { href } from '../../app/router.js';
import { formatMoney, formatMs, formatPercent } from '../../ui/format.js';
import { UsageBar } from '../../ui/usage-bar.js';
import { buyerRates, buyerStatus } from '../buyers/buyer-status.js';

interface CardProps {
  buyerId: string;
  view: BuyerView | undefined;
  stat: BuyerStat | undefined;
  onRemove?: () => void;
  /** The campaign whose tree shows the card: its placement carries the tier suggestion. */
  campaignId?: string;
  /** Moves the buyer to the suggested tier; absent in read-only mode. */
  onApplySuggestion?: (tierIndex: number) => void;
  /** The campaign's tier names, to name a suggested tier as the tree does. */
  tierNames?: string[];
}

/** A buyer in the tree, draggable by pointer or keyboard (Space to lift, arrows to move, Space to drop). */
export function SortableBuyerCard(props: CardProps) {
  const { attributes, listeners, setNodeRef, transform, transition, isDragging } = useSortable({ id: props.buyerId });
  const style = { transform: CSS.Translate.toString(transform), transition, opacity: isDragging ? 0.4 : 1, cursor: 'grab', borderRadius: 6 };
  return (
    <div ref={setNodeRef} style={style} {...attributes} {...listeners} role="group" aria-roledescription="draggable buyer" className="tier-card-handle">
      <BuyerCard {...props} />
    </div>
  );
}

export const BuyerCard = memo(function BuyerCard({ buyerId, view, stat, onRemove, campaignId, onApplySuggestion, tierNames }: CardProps) {
  if (!view) {
    return (
      <div className="panel small" data-testid={`tier-card-${buyerId}`} style={{ padding: 8 }}>
        <strong className="mono">{buyerId}</strong> <span className="badge badge-bad">unknown buyer</span>
      </div>
    );
  }
  const status = buyerStatus(view);
  // On a campaign's tree the figures are that campaign's only; never the mix of every campaign.
  const rates = buyerRates(view, stat, campaignId === undefined);
  const caps = view.spec.caps ?? {};
  const suggestion = view.placements?.find((p) => p.campaignId === campaignId)?.suggestion;
  return (
    <div className="panel stack small" style={{ padding: 8, gap: 6 }} data-testid={`tier-card-${buyerId}`}>
      <div className="toolbar" style={{ justifyContent: 'space-between', flexWrap: 'nowrap' }}>
        <a href={href('buyers', buyerId)} style={{ fontWeight: 600 }} onPointerDown={(e) => e.stopPropagation()}>
          {view.spec.name}
        </a>
        <span className="toolbar" style={{ flexWrap: 'nowrap', gap: 4 }}>
          <span className={`badge ${status.tone}`}>{status.label}</span>
          {onRemove && (
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Take ${view.spec.name} out of the tree`}
              title="Take out of the tree"
              onPointerDown={(e) => e.stopPropagation()}
              onKeyDown={(e) => e.stopPropagation()}
              onClick={onRemove}
              data-testid="remove-from-tier"
            >
              ✕
            </button>
          )}
        </span>
      </div>
      <dl className="props tabular" style={{ gridTemplateColumns: 'max-content 1fr max-content 1fr', gap: '2px 8px' }}>
        <dt>Bid</dt>
        <dd className="num" data-testid="card-bid-rate">{formatPercent(rates.bidRate)}</dd>
        <dt>Win</dt>
        <dd className="num">{formatPercent(rates.winRate)}</dd>
        <dt>Accept</dt>
        <dd className="num">{formatPercent(rates.acceptRate)}</dd>
        <dt>Avg bid</dt>
        <dd className="num">{view.spec.ping ? formatMoney(rates.avgBid) : formatMoney(view.spec.fixedPrice)}</dd>
        <dt>Resp.</dt>
        <dd className="num">{formatMs(rates.latencyMs)}</dd>
        <dt>Pings</dt>
        <dd className="num" title={rates.window === 'last hour' ? (campaignId ? 'This campaign, last hour' : 'Rates over the last hour') : rates.window === 'rolling' ? 'Rates over the rolling signal window' : campaignId ? 'No pings for this campaign in the last hour' : 'No pings yet'}>{rates.pings}</dd>
      </dl>
      {(caps.hourly != null || caps.daily != null || caps.dailyBudget != null) && (
        <div className="stack" style={{ gap: 3 }}>
          {caps.hourly != null && <UsageBar value={view.usage.hourly} max={caps.hourly} label={`${view.usage.hourly} / ${caps.hourly} this hour`} />}
          {caps.daily != null && <UsageBar value={view.usage.daily} max={caps.daily} label={`${view.usage.daily} / ${caps.daily} today`} />}
          {caps.dailyBudget != null && <UsageBar value={view.usage.spend} max={caps.dailyBudget} label={`${formatMoney(view.usage.spend)} / ${formatMoney(caps.dailyBudget)} budget`} />}
        </div>
      )}
      {suggestion && suggestion.action !== 'stay' && (
        <div className="toolbar small" style={{ justifyContent: 'space-between', flexWrap: 'nowrap', gap: 6 }} data-testid="tier-suggestion" title={suggestion.reasons.join('; ')}>
          <span className={`badge ${suggestion.action === 'promote' ? 'badge-ok' : 'badge-warn'}`}>
            {suggestion.action === 'promote' ? '↑' : '↓'} {tierLabel(tierNames?.[suggestion.tier], suggestion.tier)} suggested
          </span>
          {onApplySuggestion && (
            <button type="button" className="btn btn-small" onPointerDown={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()} onClick={() => onApplySuggestion(suggestion.tier)} data-testid="apply-suggestion">
              Move
            </button>
          )}
        </div>
      )}
    </div>
  );
});

import { useDroppable } from '@dnd-kit/core';
import { SortableContext, verticalListSortingStrategy } from '@dnd-kit/sortable';
import type { ReactNode } from 'react';
import type { BuyerStat, BuyerView } from '../../../shared/console-api.js';
import type { TierSpec } from '../../../shared/domain.js';
import { BuyerCard, SortableBuyerCard } from './buyer-card.js';
import { POOL_ID, tierContainerId } from './drop-target.js';
import { FloorEditor } from './floor-editor.js';
import { openWhatIf } from '../whatif/whatif-target.js';


const columnStyle = { width: 250, flex: '0 0 250px', display: 'flex', flexDirection: 'column' as const, gap: 8, padding: 10 };

interface ColumnCommon {
  buyers: Map<string, BuyerView>;
  stats: Record<string, BuyerStat>;
  readOnly: boolean;
  campaignId?: string;
  onMoveBuyerTo?: (buyerId: string, tierIndex: number) => void;
  tierNames?: string[];
}

/** One tier: its header (name, floor, order, removal), its buyers in ping order and an add control. */
export function TierColumn({ campaignId, tier, index, count, buyers, stats, readOnly, unplaced, onMove, onRemoveTier, onAddBuyer, onRemoveBuyer, onMoveBuyerTo, tierNames }: ColumnCommon & {
  campaignId: string;
  tier: TierSpec;
  index: number;
  count: number;
  unplaced: string[];
  onMove: (delta: -1 | 1) => void;
  onRemoveTier: () => void;
  onAddBuyer: (buyerId: string) => void;
  onRemoveBuyer: (buyerId: string) => void;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: tierContainerId(index), disabled: readOnly });
  return (
    <section className="panel" style={{ ...columnStyle, outline: isOver ? '2px dashed var(--accent)' : undefined }} aria-label={tier.name} data-testid={`tier-${index}`}>
      <div className="stack" style={{ gap: 4 }}>
        <div className="toolbar" style={{ justifyContent: 'space-between', flexWrap: 'nowrap' }}>
          <h2 style={{ margin: 0 }} data-testid={`tier-name-${index}`}>{tier.name}</h2>
          {!readOnly && (
            <span className="toolbar" style={{ gap: 2, flexWrap: 'nowrap' }}>
              <button type="button" className="btn btn-small" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move ${tier.name} earlier`} title="Ping this tier earlier">←</button>
              <button type="button" className="btn btn-small" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Move ${tier.name} later`} title="Ping this tier later">→</button>
              <button type="button" className="btn btn-small btn-danger" onClick={onRemoveTier} aria-label={`Remove ${tier.name}`} data-testid={`remove-tier-${index}`}>✕</button>
            </span>
          )}
        </div>
        <FloorEditor campaignId={campaignId} tierIndex={index} floor={tier.floor} readOnly={readOnly} />
        <button type="button" className="btn btn-small" style={{ alignSelf: 'flex-start' }} onClick={() => openWhatIf({ campaignId, tierIndex: index })} title="Price a change to this floor on the recorded bids" data-testid={`tier-whatif-${index}`}>What if…</button>
      </div>
      <CardList id={tierContainerId(index)} ids={tier.buyers} buyers={buyers} stats={stats} readOnly={readOnly} setNodeRef={setNodeRef} onRemoveBuyer={onRemoveBuyer} campaignId={campaignId} onMoveBuyerTo={onMoveBuyerTo} tierNames={tierNames} empty="No buyers: drop one here" />
      {!readOnly && unplaced.length > 0 && (
        <select
          className="select"
          value=""
          aria-label={`Add a buyer to ${tier.name}`}
          onChange={(e) => e.target.value && onAddBuyer(e.target.value)}
          data-testid={`add-buyer-${index}`}
        >
          <option value="">+ Add buyer…</option>
          {unplaced.map((id) => (
            <option key={id} value={id}>{buyers.get(id)?.spec.name ?? id}</option>
          ))}
        </select>
      )}
    </section>
  );
}

/** Buyers defined but in no tier of this campaign: a drop here takes a buyer out of the tree. */
export function PoolColumn({ ids, buyers, stats, readOnly, campaignId }: ColumnCommon & { ids: string[] }) {
  const { setNodeRef, isOver } = useDroppable({ id: POOL_ID, disabled: readOnly });
  return (
    <section className="panel" style={{ ...columnStyle, background: 'var(--bg)', outline: isOver ? '2px dashed var(--accent)' : undefined }} aria-label="Not in the tree" data-testid="tier-pool">
      <div className="stack" style={{ gap: 2 }}>
        <h2 style={{ margin: 0 }}>Not in the tree</h2>
        <span className="muted small">Never pinged for this campaign</span>
      </div>
      <CardList id={POOL_ID} ids={ids} buyers={buyers} stats={stats} readOnly={readOnly} setNodeRef={setNodeRef} campaignId={campaignId} empty="Every buyer is placed" />
    </section>
  );
}

function CardList({ id, ids, buyers, stats, readOnly, setNodeRef, onRemoveBuyer, campaignId, onMoveBuyerTo, tierNames, empty }: ColumnCommon & {
  id: string;
  ids: string[];
  setNodeRef: (el: HTMLElement | null) => void;
  onRemoveBuyer?: (buyerId: string) => void;
  empty: ReactNode;
}) {
  return (
    <div ref={setNodeRef} className="stack" style={{ gap: 6, minHeight: 60, flex: 1 }} data-testid={`${id}-cards`}>
      {readOnly
        ? ids.map((b) => <BuyerCard key={b} buyerId={b} view={buyers.get(b)} stat={stats[b]} campaignId={campaignId} tierNames={tierNames} />)
        : (
          <SortableContext id={id} items={ids} strategy={verticalListSortingStrategy}>
            {ids.map((b) => (
              <SortableBuyerCard
                key={b}
                buyerId={b}
                view={buyers.get(b)}
                stat={stats[b]}
                campaignId={campaignId}
                tierNames={tierNames}
                onRemove={onRemoveBuyer ? () => onRemoveBuyer(b) : undefined}
                onApplySuggestion={onMoveBuyerTo ? (tierIndex) => onMoveBuyerTo(b, tierIndex) : undefined}
              />
            ))}
          </SortableContext>
        )}
      {ids.length === 0 && <div className="muted small" style={{ padding: '14px 4px', textAlign: 'center', border: '1px dashed var(--border-strong)', borderRadius: 6 }}>{empty}</div>}
    </div>
  );
}

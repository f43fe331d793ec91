import { closestCorners, DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useMemo, useState } from 'react';
import type { BuyerStat, BuyerView } from '../../../shared/console-api.js';
import type { CampaignSpec } from '../../../shared/domain.js';
import { consoleStore } from '../../store/use-console.js';
import { Dialog } from '../../ui/dialog.js';
import { BuyerCard } from './buyer-card.js';
import { tierOfBuyer, unplacedBuyers } from './tier-edits.js';
import { POOL_ID, PoolColumn, TierColumn } from './tier-column.js';

export type DropTarget = { kind: 'pool' } | { kind: 'tier'; tier: number; index: number };

/**
 * Where a dragged buyer lands: on a column (its end), or on another buyer (that buyer's place,
 * which pushes it down). Null when the drop changes nothing.
 */
export function dropTarget(campaign: CampaignSpec, activeId: string, overId: string): DropTarget | null {
  const tiers = campaign.tiers;
  const from = tierOfBuyer(tiers, activeId);
  let target: DropTarget;
  if (overId === POOL_ID) target = { kind: 'pool' };
  else if (overId.startsWith('tier:')) {
    const tier = Number(overId.slice(5));
    target = { kind: 'tier', tier, index: tiers[tier]?.buyers.length ?? 0 };
    if (from === tier) target.index -= 1;
  } else {
    const tier = tierOfBuyer(tiers, overId);
    target = tier < 0 ? { kind: 'pool' } : { kind: 'tier', tier, index: tiers[tier].buyers.indexOf(overId) };
  }
  if (target.kind === 'pool') return from < 0 ? null : target;
  if (target.tier === from && tiers[from].buyers.indexOf(activeId) === target.index) return null;
  return target;
}

/** The tiers of one campaign side by side, in ping order, with the buyers not in the tree at the end. */
export function TierBoard({ campaign, buyers, stats, readOnly }: { campaign: CampaignSpec; buyers: BuyerView[]; stats: Record<string, BuyerStat>; readOnly: boolean }) {
  const byId = useMemo(() => new Map(buyers.map((b) => [b.spec.id, b])), [buyers]);
  const unplaced = useMemo(() => unplacedBuyers(campaign.tiers, buyers.map((b) => b.spec.id)), [campaign.tiers, buyers]);
  const [dragging, setDragging] = useState<string | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const tiers = consoleStore.getState().tiers;
  const id = campaign.id;

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    if (!over) return;
    const target = dropTarget(campaign, String(active.id), String(over.id));
    if (!target) return;
    if (target.kind === 'pool') void tiers.removeBuyer(id, String(active.id));
    else void tiers.moveBuyer(id, String(active.id), target.tier, target.index);
  };

  const columns = (
    <div className="toolbar" style={{ alignItems: 'stretch', flexWrap: 'nowrap', overflowX: 'auto', paddingBottom: 8 }} data-testid="tier-board">
      {campaign.tiers.map((tier, i) => (
        <TierColumn
          key={`${i}-${tier.name}`}
          campaignId={id}
          tier={tier}
          index={i}
          count={campaign.tiers.length}
          buyers={byId}
          stats={stats}
          readOnly={readOnly}
          unplaced={unplaced}
          onMove={(delta) => void tiers.moveTier(id, i, delta)}
          onRemoveTier={() => (tier.buyers.length ? setRemoving(i) : void tiers.removeTier(id, i))}
          onAddBuyer={(buyerId) => void tiers.addBuyer(id, i, buyerId)}
          onRemoveBuyer={(buyerId) => void tiers.removeBuyer(id, buyerId)}
        />
      ))}
      {!readOnly && (
        <div style={{ flex: '0 0 auto', display: 'flex', alignItems: 'flex-start' }}>
          <button type="button" className="btn" onClick={() => void tiers.addTier(id)} data-testid="add-tier">+ Add tier</button>
        </div>
      )}
      <PoolColumn ids={unplaced} buyers={byId} stats={stats} readOnly={readOnly} />
    </div>
  );

  return (
    <>
      {readOnly ? (
        columns
      ) : (
        <DndContext sensors={sensors} collisionDetection={closestCorners} onDragStart={({ active }: DragStartEvent) => setDragging(String(active.id))} onDragCancel={() => setDragging(null)} onDragEnd={onDragEnd}>
          {columns}
          <DragOverlay>{dragging ? <BuyerCard buyerId={dragging} view={byId.get(dragging)} stat={stats[dragging]} /> : null}</DragOverlay>
        </DndContext>
      )}
      {removing !== null && campaign.tiers[removing] && (
        <Dialog
          title={`Remove ${campaign.tiers[removing].name}?`}
          testId="remove-tier-dialog"
          onClose={() => setRemoving(null)}
          onSubmit={() => {
            void tiers.removeTier(id, removing);
            setRemoving(null);
          }}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setRemoving(null)}>Cancel</button>
              <button type="submit" className="btn btn-danger">Remove tier</button>
            </>
          }
        >
          <p style={{ margin: 0 }}>
            Its {campaign.tiers[removing].buyers.length} buyer(s) leave the tree for this campaign and are no longer pinged for it. They stay defined and can be placed again.
          </p>
        </Dialog>
      )}
    </>
  );
}

import { closestCorners, DndContext, DragOverlay, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { useMemo, useState } from 'react';
import type { BuyerStat, BuyerView } from '../../../shared/console-api.js';
import type { CampaignSpec } from '../../../shared/domain.js';
import { consoleStore } from '../../store/use-console.js';
import { ConfirmDeleteDialog } from '../../ui/confirm-delete-dialog.js';
import { Dialog } from '../../ui/dialog.js';
import { BuyerCard } from './buyer-card.js';
import { describePlace, dropTarget } from './drop-target.js';
import { unplacedBuyers } from './tier-edits.js';
import { PoolColumn, TierColumn } from './tier-column.js';

/** The tiers of one campaign side by side, in ping order, with the buyers not in the tree at the end. */
export function TierBoard({ campaign, buyers, stats, readOnly }: { campaign: CampaignSpec; buyers: BuyerView[]; stats: Record<string, BuyerStat>; readOnly: boolean }) {
  const byId = useMemo(() => new Map(buyers.map((b) => [b.spec.id, b])), [buyers]);
  const unplaced = useMemo(() => unplacedBuyers(campaign.tiers, buyers.map((b) => b.spec.id)), [campaign.tiers, buyers]);
  const [dragging, setDragging] = useState<string | null>(null);
  const [removing, setRemoving] = useState<number | null>(null);
  const [takingOut, setTakingOut] = useState<string | null>(null);
  const tierNames = useMemo(() => campaign.tiers.map((t) => t.name), [campaign.tiers]);
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 5 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const tiers = consoleStore.getState().tiers;
  const id = campaign.id;
  const announcements = useMemo((): Announcements => {
    const name = (buyerId: string | number) => byId.get(String(buyerId))?.spec.name ?? String(buyerId);
    const place = (overId: string | number) => describePlace(campaign.tiers, String(overId), name);
    return {
      onDragStart: ({ active }) => `Picked up ${name(active.id)}. Arrow keys move it, Space drops it, Escape cancels.`,
      onDragOver: ({ active, over }) => (over ? `${name(active.id)} is over ${place(over.id)}.` : `${name(active.id)} is not over a tier.`),
      onDragEnd: ({ active, over }) => (over ? `${name(active.id)} dropped in ${place(over.id)}.` : `${name(active.id)} put back.`),
      onDragCancel: ({ active }) => `Moving ${name(active.id)} was cancelled.`,
    };
  }, [byId, campaign.tiers]);

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    if (!over) return;
    const target = dropTarget(campaign.tiers, String(active.id), String(over.id));
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
          onMoveBuyerTo={(buyerId, tierIndex) => void tiers.moveBuyer(id, buyerId, tierIndex, campaign.tiers[tierIndex]?.buyers.length ?? 0)}
          onRemoveBuyer={(buyerId) => setTakingOut(buyerId)}
          tierNames={tierNames}
        />
      ))}
      {!readOnly && (
        <div style={{ flex: '0 0 auto', display: 'flex', alignItems: 'flex-start' }}>
          <button type="button" className="btn" onClick={() => void tiers.addTier(id)} data-testid="add-tier">+ Add tier</button>
        </div>
      )}
      <PoolColumn ids={unplaced} buyers={byId} stats={stats} readOnly={readOnly} campaignId={id} />
    </div>
  );

  return (
    <>
      {readOnly ? (
        columns
      ) : (
        <DndContext sensors={sensors} collisionDetection={closestCorners} accessibility={{ announcements }} onDragStart={({ active }: DragStartEvent) => setDragging(String(active.id))} onDragCancel={() => setDragging(null)} onDragEnd={onDragEnd}>
          {columns}
          <DragOverlay>{dragging ? <BuyerCard buyerId={dragging} view={byId.get(dragging)} stat={stats[dragging]} campaignId={id} /> : null}</DragOverlay>
        </DndContext>
      )}
      {takingOut !== null && (
        <ConfirmDeleteDialog
          name={byId.get(takingOut)?.spec.name ?? takingOut}
          noun="buyer"
          title={`Take ${byId.get(takingOut)?.spec.name ?? takingOut} out of ${campaign.tiers.find((t) => t.buyers.includes(takingOut))?.name ?? 'the tree'}?`}
          confirmLabel="Take out"
          consequence={`It is no longer pinged for ${campaign.name} until it is placed again. The buyer itself stays defined; Undo (Ctrl+Z) puts it back.`}
          error={null}
          onCancel={() => setTakingOut(null)}
          onConfirm={() => {
            void tiers.removeBuyer(id, takingOut);
            setTakingOut(null);
          }}
        />
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

import type { TierSpec } from '../../../shared/domain.js';
import { tierOfBuyer } from './tier-edits.js';

/** Drop-zone ids on the board: each tier's column, and the column of buyers not in the tree. */
export const POOL_ID = 'pool';
export const tierContainerId = (index: number) => `tier:${index}`;

export type DropTarget = { kind: 'pool' } | { kind: 'tier'; tier: number; index: number };

/**
 * Where a dragged buyer lands: on a column, at its end; on another buyer, at that buyer's place
 * (which pushes it down, or up when the move is within one tier and downwards, as a list reorder
 * does). Null when the drop changes nothing.
 */
export function dropTarget(tiers: TierSpec[], activeId: string, overId: string): DropTarget | null {
  const from = tierOfBuyer(tiers, activeId);
  let target: DropTarget;
  if (overId === POOL_ID) target = { kind: 'pool' };
  else if (overId.startsWith('tier:')) {
    const tier = Number(overId.slice(5));
    if (!tiers[tier]) return null;
    target = { kind: 'tier', tier, index: tiers[tier].buyers.length - (from === tier ? 1 : 0) };
  } else {
    const tier = tierOfBuyer(tiers, overId);
    target = tier < 0 ? { kind: 'pool' } : { kind: 'tier', tier, index: tiers[tier].buyers.indexOf(overId) };
  }
  if (target.kind === 'pool') return from < 0 ? null : target;
  if (target.tier === from && tiers[from].buyers.indexOf(activeId) === target.index) return null;
  return target;
}

/** Where a drop zone or buyer is, in words, for screen-reader announcements during a drag. */
export function describePlace(tiers: TierSpec[], id: string, nameOf: (buyerId: string) => string): string {
  if (id === POOL_ID) return 'Not in the tree';
  if (id.startsWith('tier:')) return tiers[Number(id.slice(5))]?.name ?? 'a tier';
  const tier = tierOfBuyer(tiers, id);
  return tier < 0 ? `Not in the tree, at ${nameOf(id)}` : `${tiers[tier].name}, at ${nameOf(id)}`;
}

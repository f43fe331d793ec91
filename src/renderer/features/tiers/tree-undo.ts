import type { TierSpec } from '../../../shared/domain.js';
import type { TreeChange } from '../../../shared/tree-change.js';
import { tierLabel } from '../../../shared/tier-label.js';
import { formatMoney } from '../../ui/format.js';
import { moveBuyer, removeBuyer, setTierFloor, tierOfBuyer, withoutBuyer } from './tier-edits.js';

type Change<K extends TreeChange['kind']> = Extract<TreeChange, { kind: K }>;

/**
 * One edit of a campaign's ping tree as the Ping tree screen makes and undoes it. Floors, buyer moves
 * and tier order are the shared `TreeChange`s (a move also keeps the buyer's place in its tier, so an
 * undo puts it back where it was); adding and removing a tier are the screen's own.
 */
export type TreeEdit =
  | Change<'tierFloor'>
  | (Change<'buyerMove'> & { position?: number })
  | Change<'tierOrder'>
  | { kind: 'tierAdd'; campaignId: string; index: number; tier: TierSpec }
  | { kind: 'tierRemove'; campaignId: string; index: number };

/** The tree after the edit; the input is never mutated. An edit that no longer fits (a tier gone) changes nothing. */
export function applyTreeEdit(tiers: TierSpec[], edit: TreeEdit): TierSpec[] {
  switch (edit.kind) {
    case 'tierFloor':
      return edit.tierIndex < tiers.length ? setTierFloor(tiers, edit.tierIndex, edit.floor) : tiers;
    case 'buyerMove':
      if (edit.toTier === null) return removeBuyer(tiers, edit.buyerId);
      return moveBuyer(tiers, edit.buyerId, edit.toTier, edit.position ?? Number.MAX_SAFE_INTEGER);
    case 'tierOrder':
      if (edit.order.length !== tiers.length || edit.order.some((i) => i >= tiers.length)) return tiers;
      return edit.order.map((i) => tiers[i]);
    case 'tierAdd': {
      // A buyer sits in one tier of a campaign: a tier coming back takes its buyers from where they went.
      let next = tiers;
      for (const b of edit.tier.buyers) next = withoutBuyer(next, b);
      const at = Math.max(0, Math.min(edit.index, next.length));
      return [...next.slice(0, at), { ...edit.tier, buyers: [...edit.tier.buyers] }, ...next.slice(at)];
    }
    case 'tierRemove':
      return edit.index < tiers.length ? tiers.filter((_, i) => i !== edit.index) : tiers;
  }
}

/** The edit that takes `applyTreeEdit(tiers, edit)` back to `tiers`, read from the tree before the edit. */
export function inverseTreeEdit(tiers: TierSpec[], edit: TreeEdit): TreeEdit {
  switch (edit.kind) {
    case 'tierFloor':
      return { ...edit, floor: tiers[edit.tierIndex]?.floor ?? edit.floor };
    case 'buyerMove': {
      const from = tierOfBuyer(tiers, edit.buyerId);
      return from < 0
        ? { kind: 'buyerMove', campaignId: edit.campaignId, buyerId: edit.buyerId, toTier: null }
        : { kind: 'buyerMove', campaignId: edit.campaignId, buyerId: edit.buyerId, toTier: from, position: tiers[from].buyers.indexOf(edit.buyerId) };
    }
    case 'tierOrder': {
      const order: number[] = [];
      edit.order.forEach((old, now) => (order[old] = now));
      return { ...edit, order };
    }
    case 'tierAdd':
      return { kind: 'tierRemove', campaignId: edit.campaignId, index: Math.max(0, Math.min(edit.index, tiers.length)) };
    case 'tierRemove':
      return { kind: 'tierAdd', campaignId: edit.campaignId, index: edit.index, tier: tiers[edit.index] ?? { name: tierLabel(null, edit.index), floor: 0, buyers: [] } };
  }
}

/** The edit in the broker's words, tiers by their names: "Premium floor $20.00 → $25.00". */
export function describeTreeEdit(tiers: TierSpec[], edit: TreeEdit, buyerName: (id: string) => string): string {
  const name = (i: number) => tierLabel(tiers[i]?.name, i);
  switch (edit.kind) {
    case 'tierFloor':
      return `${name(edit.tierIndex)} floor ${formatMoney(tiers[edit.tierIndex]?.floor)} → ${formatMoney(edit.floor)}`;
    case 'buyerMove': {
      const from = tierOfBuyer(tiers, edit.buyerId);
      if (edit.toTier === null) return `${buyerName(edit.buyerId)} taken out of ${from < 0 ? 'the tree' : name(from)}`;
      if (from === edit.toTier) return `${buyerName(edit.buyerId)} reordered in ${name(from)}`;
      return from < 0 ? `${buyerName(edit.buyerId)} added to ${name(edit.toTier)}` : `${buyerName(edit.buyerId)} moved ${name(from)} → ${name(edit.toTier)}`;
    }
    case 'tierOrder':
      return `Tier order ${edit.order.map((i) => name(i)).join(', ')}`;
    case 'tierAdd':
      return `${tierLabel(edit.tier.name, edit.index)} added (floor ${formatMoney(edit.tier.floor)})`;
    case 'tierRemove':
      return `${name(edit.index)} removed`;
  }
}

/** The order that swaps tier `index` with its neighbour; null when there is none that way. */
export function swapOrder(count: number, index: number, delta: -1 | 1): number[] | null {
  const other = index + delta;
  if (index < 0 || index >= count || other < 0 || other >= count) return null;
  const order = Array.from({ length: count }, (_, i) => i);
  [order[index], order[other]] = [order[other], order[index]];
  return order;
}

import type { BuyerView } from '../../../shared/console-api.js';
import type { CampaignSpec } from '../../../shared/domain.js';
import type { TreeChange } from '../../../shared/tree-change.js';
import { formatMoney } from '../../ui/format.js';

/** A change in the operator's words, with names from the tree as it stands. */
export function describeChange(change: TreeChange, campaign: CampaignSpec, buyers: ReadonlyMap<string, BuyerView>): string {
  const tierName = (i: number) => campaign.tiers[i]?.name ?? `Tier ${i + 1}`;
  const buyerName = (id: string) => buyers.get(id)?.spec.name ?? id;
  switch (change.kind) {
    case 'tierFloor':
      return `${tierName(change.tierIndex)} floor ${formatMoney(campaign.tiers[change.tierIndex]?.floor)} → ${formatMoney(change.floor)}`;
    case 'campaignMinPrice':
      return `Campaign minimum ${formatMoney(campaign.minPrice)} → ${formatMoney(change.minPrice)}`;
    case 'buyerPaused':
      return `${change.paused ? 'Pause' : 'Resume'} ${buyerName(change.buyerId)}`;
    case 'buyerMove':
      return change.toTier === null ? `Take ${buyerName(change.buyerId)} out of the tree` : `Move ${buyerName(change.buyerId)} to ${tierName(change.toTier)}`;
    case 'tierOrder':
      return `Tier order: ${change.order.map(tierName).join(' → ')}`;
  }
}

/** Dollars typed by the operator, or null when the text is not an amount (0 to 1,000,000, two decimals). */
export function parseDollars(text: string): number | null {
  const trimmed = text.trim().replace(/^\$/, '');
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return n <= 1_000_000 ? n : null;
}

/** The tier order with tier `from` moved to position `to` (as `order[i]` = old index now at i). */
export function moveTierOrder(count: number, from: number, to: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i).filter((i) => i !== from);
  order.splice(to, 0, from);
  return order;
}

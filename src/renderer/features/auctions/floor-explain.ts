import type { CampaignSpec } from '../../../shared/domain.js';

export interface FloorPart {
  /** The engine's name for this part (`floorReason` in the trail). */
  reason: 'tier' | 'campaign_min' | 'payout_margin';
  label: string;
  /** dollars */
  value: number;
}

/**
 * Why a tier's floor is what it is, from the campaign as configured now: the highest of the tier
 * floor, the campaign minimum, and the least price that can pay the source and keep the margin
 * (DESIGN.md §3). Display only; the engine's own decision is the floor recorded with each ping.
 */
export function explainFloor(campaign: CampaignSpec, tierIndex: number): { parts: FloorPart[]; highest: FloorPart } {
  const parts: FloorPart[] = [];
  const tier = campaign.tiers[tierIndex];
  if (tier) parts.push({ reason: 'tier', label: `${tier.name} floor`, value: tier.floor });
  parts.push({ reason: 'campaign_min', label: 'Campaign minimum', value: campaign.minPrice });
  const need = payoutAndMarginNeed(campaign);
  if (need != null) parts.push({ reason: 'payout_margin', label: 'Payout + margin need', value: need });
  const highest = parts.reduce((a, b) => (b.value > a.value ? b : a));
  return { parts, highest };
}

/** The lowest price that pays the source's payout and leaves the broker's margin, or null if any price does. */
function payoutAndMarginNeed({ payout, margin }: CampaignSpec): number | null {
  const keepShare = payout.type === 'percent' ? 1 - payout.value / 100 : 1;
  const fixedOut = payout.type === 'fixed' ? payout.value : 0;
  const marginShare = margin.type === 'percent' ? margin.value / 100 : 0;
  const fixedMargin = margin.type === 'fixed' ? margin.value : 0;
  // price·keepShare − fixedOut ≥ price·marginShare + fixedMargin
  const share = keepShare - marginShare;
  const fixed = fixedOut + fixedMargin;
  if (share <= 0 && (fixed > 0 || share < 0)) return Infinity;
  if (fixed <= 0) return null;
  return Math.ceil((fixed / share) * 100) / 100;
}

const REASON_TEXT: Record<string, string> = {
  tier: 'set by the tier floor',
  campaign_min: 'set by the campaign minimum price',
  payout_margin: 'set by what the source payout and the broker margin need',
};

/** The engine's recorded floor reason in words. */
export function floorReasonText(reason: string): string {
  return REASON_TEXT[reason] ?? reason;
}

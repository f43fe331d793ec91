import type { AuctionDetail, AuctionTierView, FloorPartView } from '../../shared/console-api.js';
import type { OutcomeCode } from '../../shared/domain.js';
import type { FloorReason } from '../auction/floor.js';
import type { TierRecordData } from '../auction/tier-record.js';
import { toDollars, type Cents } from '../money.js';

/** The parts of an audit event this view reads (`eligible` events of one auction). */
interface EligibleEvent {
  type: string;
  data: Record<string, unknown>;
}

const REASONS: readonly FloorReason[] = ['tier', 'campaign_min', 'payout_margin'];

/**
 * An auction's tiers as they were when it ran, read from its `eligible` events: tier names, floors,
 * the floor's parts (integer cents, turned into dollars only here) and the buyers' names then. Nothing
 * is read from today's configuration; an auction recorded before the parts were kept has `parts: null`.
 */
export function auctionTiersView(auctionId: string, events: Iterable<EligibleEvent>): Pick<AuctionDetail, 'tiers' | 'excluded' | 'buyerNames'> {
  const tiers: AuctionTierView[] = [];
  const excluded: AuctionDetail['excluded'] = [];
  const buyerNames: Record<string, string> = {};
  for (const ev of events) {
    if (ev.type !== 'eligible' || ev.data.auctionId !== auctionId) continue;
    const d = ev.data;
    const tierIndex = Number(d.tier);
    for (const x of (d.excluded as Array<{ buyerId: string; code: OutcomeCode; reason: string }> | undefined) ?? []) excluded.push({ tierIndex, ...x });
    Object.assign(buyerNames, recordedNames(d.buyerNames));
    const floorReason = REASONS.includes(d.floorReason as FloorReason) ? (d.floorReason as FloorReason) : null;
    tiers.push({
      tierIndex,
      tierName: typeof d.tierName === 'string' ? d.tierName : null,
      floor: typeof d.floor === 'number' ? d.floor : null,
      floorReason,
      parts: floorPartsView(d.floorParts, typeof d.tierName === 'string' ? d.tierName : `Tier ${tierIndex + 1}`),
    });
  }
  tiers.sort((a, b) => a.tierIndex - b.tierIndex);
  return { tiers, excluded, buyerNames };
}

/** The recorded parts in the order the engine weighs them (the first of equals sets the reason). */
export function floorPartsView(recorded: unknown, tierName: string): FloorPartView[] | null {
  if (!isFloorParts(recorded)) return null;
  return [
    { reason: 'tier', label: `${tierName} floor`, amount: dollars(recorded.tierCents) },
    { reason: 'campaign_min', label: 'Campaign minimum', amount: dollars(recorded.minPriceCents) },
    { reason: 'payout_margin', label: 'Payout + margin need', amount: dollars(recorded.payoutMarginCents) },
  ];
}

function dollars(c: Cents | null): number | null {
  return c === null ? null : toDollars(c);
}

function isFloorParts(v: unknown): v is TierRecordData['floorParts'] {
  if (!v || typeof v !== 'object') return false;
  const p = v as Record<string, unknown>;
  const cents = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x);
  return cents(p.tierCents) && cents(p.minPriceCents) && (p.payoutMarginCents === null || cents(p.payoutMarginCents));
}

function recordedNames(v: unknown): Record<string, string> {
  if (!v || typeof v !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [id, name] of Object.entries(v)) if (typeof name === 'string') out[id] = name;
  return out;
}

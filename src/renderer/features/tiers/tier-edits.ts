import type { TierSpec } from '../../../shared/domain.js';

/**
 * Pure edits of a campaign's ping tree. Each returns a new tiers array (inputs are never mutated),
 * so the store can apply one optimistically and still hold the previous value for a rollback.
 * A buyer sits in at most one tier of a campaign: every edit that places a buyer removes it first.
 */

export function withoutBuyer(tiers: TierSpec[], buyerId: string): TierSpec[] {
  return tiers.map((t) => (t.buyers.includes(buyerId) ? { ...t, buyers: t.buyers.filter((b) => b !== buyerId) } : t));
}

/** Places `buyerId` at `index` of tier `toTier` (clamped), wherever it was before. */
export function moveBuyer(tiers: TierSpec[], buyerId: string, toTier: number, index: number): TierSpec[] {
  if (toTier < 0 || toTier >= tiers.length) return tiers;
  const next = withoutBuyer(tiers, buyerId);
  const target = next[toTier];
  const at = Math.max(0, Math.min(index, target.buyers.length));
  const buyers = [...target.buyers.slice(0, at), buyerId, ...target.buyers.slice(at)];
  return next.map((t, i) => (i === toTier ? { ...t, buyers } : t));
}

export function addBuyerToTier(tiers: TierSpec[], tierIndex: number, buyerId: string): TierSpec[] {
  if (tierIndex < 0 || tierIndex >= tiers.length) return tiers;
  return moveBuyer(tiers, buyerId, tierIndex, tiers[tierIndex].buyers.length);
}

export function removeBuyer(tiers: TierSpec[], buyerId: string): TierSpec[] {
  return withoutBuyer(tiers, buyerId);
}

/** Swaps tier `index` with its neighbour (`delta` -1 left, +1 right); out of range is a no-op. */
export function moveTier(tiers: TierSpec[], index: number, delta: -1 | 1): TierSpec[] {
  const other = index + delta;
  if (index < 0 || index >= tiers.length || other < 0 || other >= tiers.length) return tiers;
  const next = [...tiers];
  [next[index], next[other]] = [next[other], next[index]];
  return next;
}

/** Appends a tier named after its position ("Tier 3"), never repeating an existing name. */
export function addTier(tiers: TierSpec[], floor = 0): TierSpec[] {
  const names = new Set(tiers.map((t) => t.name));
  let n = tiers.length + 1;
  while (names.has(`Tier ${n}`)) n += 1;
  return [...tiers, { name: `Tier ${n}`, floor, buyers: [] }];
}

/** Removes a tier; its buyers leave the tree (they stay defined, just unplaced). */
export function removeTier(tiers: TierSpec[], index: number): TierSpec[] {
  if (index < 0 || index >= tiers.length) return tiers;
  return tiers.filter((_, i) => i !== index);
}

export function setTierFloor(tiers: TierSpec[], index: number, floor: number): TierSpec[] {
  return tiers.map((t, i) => (i === index ? { ...t, floor } : t));
}

/** Buyers defined in the workspace but placed in no tier of this campaign, in the given order. */
export function unplacedBuyers(tiers: TierSpec[], buyerIds: string[]): string[] {
  const placed = new Set(tiers.flatMap((t) => t.buyers));
  return buyerIds.filter((id) => !placed.has(id));
}

export function tierOfBuyer(tiers: TierSpec[], buyerId: string): number {
  return tiers.findIndex((t) => t.buyers.includes(buyerId));
}

export type FloorParse = { ok: true; value: number } | { ok: false; message: string };

const MAX_FLOOR = 1_000_000;

/**
 * Reads a floor typed by the broker: dollars, optionally with "$" and thousands commas, at most two
 * decimals, 0..1,000,000. The result is a dollar amount with exactly the typed cents, so
 * "20.1" and "20.10" are the same floor.
 */
export function parseFloor(text: string): FloorParse {
  const cleaned = text.trim().replace(/^\$\s*/, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (cleaned === '') return { ok: false, message: 'Enter a floor in dollars, e.g. 12.50' };
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(cleaned)) {
    return { ok: false, message: cleaned.startsWith('-') ? 'A floor cannot be negative' : 'A floor is a dollar amount, e.g. 12.50' };
  }
  const [whole, frac = ''] = cleaned.split('.');
  if (frac.length > 2) return { ok: false, message: 'A floor has at most two decimals (whole cents)' };
  const cents = Number(whole || '0') * 100 + Number(frac.padEnd(2, '0') || '0');
  if (cents > MAX_FLOOR * 100) return { ok: false, message: 'A floor is at most $1,000,000' };
  return { ok: true, value: cents / 100 };
}

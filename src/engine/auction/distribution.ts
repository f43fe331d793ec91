import type { RuntimeTier } from '../workspace/runtime.js';
import type { Bid } from './winner.js';

/**
 * Where each tier's round-robin rotation stands: the last buyer served per campaign and tier.
 * Kept in memory by the engine; a restart starts every rotation afresh.
 */
export class RotationState {
  private readonly last = new Map<string, string>();

  lastServed(campaignId: string, tierIndex: number): string | undefined {
    return this.last.get(`${campaignId}\u0000${tierIndex}`);
  }

  served(campaignId: string, tierIndex: number, buyerId: string): void {
    this.last.set(`${campaignId}\u0000${tierIndex}`, buyerId);
  }
}

/**
 * The order in which a tier's valid bids get the post, by the tier's distribution mode:
 * - `price`: the ranked order as it is (best bid first);
 * - `weighted`: the first buyer is drawn at random in proportion to its weight (absent: 1, 0: never
 *   drawn first), the others follow in ranked order as fallbacks;
 * - `round_robin`: starting after the buyer served last, in the tier's own buyer order.
 * `random` returns a number in [0, 1). Pure: the caller keeps the rotation.
 */
export function distributionOrder(ranked: readonly Bid[], tier: Pick<RuntimeTier, 'buyerIds' | 'distribution' | 'weights'>, lastServed: string | undefined, random: () => number): Bid[] {
  const mode = tier.distribution ?? 'price';
  if (mode === 'weighted') return weightedOrder(ranked, tier.weights ?? {}, random);
  if (mode === 'round_robin') return rotationOrder(ranked, tier.buyerIds, lastServed);
  return [...ranked];
}

function weightedOrder(ranked: readonly Bid[], weights: Readonly<Record<string, number>>, random: () => number): Bid[] {
  const weightOf = (b: Bid): number => Math.max(0, weights[b.buyerId] ?? 1);
  const total = ranked.reduce((sum, b) => sum + weightOf(b), 0);
  if (total <= 0) return [...ranked];
  let pick = random() * total;
  let first = ranked.findIndex((b) => weightOf(b) > 0);
  for (let i = 0; i < ranked.length; i += 1) {
    const w = weightOf(ranked[i] as Bid);
    if (w > 0 && pick < w) {
      first = i;
      break;
    }
    pick -= w;
  }
  return [ranked[first] as Bid, ...ranked.filter((_, i) => i !== first)];
}

function rotationOrder(ranked: readonly Bid[], buyerIds: readonly string[], lastServed: string | undefined): Bid[] {
  const position = (id: string): number => {
    const i = buyerIds.indexOf(id);
    return i < 0 ? buyerIds.length : i;
  };
  const after = lastServed === undefined ? -1 : buyerIds.indexOf(lastServed);
  const n = buyerIds.length + 1;
  // Distance from the buyer served last, going round the tier's list.
  const distance = (b: Bid): number => (position(b.buyerId) - after - 1 + n) % n;
  return [...ranked].sort((a, b) => distance(a) - distance(b) || (a.buyerId < b.buyerId ? -1 : a.buyerId > b.buyerId ? 1 : 0));
}

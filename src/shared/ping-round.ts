/**
 * A `ping` audit event, old or new. Since one event is written per tier round, its data names every
 * buyer of the round with its outcome (`pings`) and the hash of the ping fields they all received
 * (`sentHash`). Stores, archives and evidence bundles written before hold one `ping` event per buyer,
 * with the buyer's outcome at the top level. Every reader goes through `pingOutcomesOf`.
 */

/** One buyer's answer in a ping round, as audited (money in dollars, as every audit event). */
export interface PingOutcome {
  buyerId: string;
  outcome: string;
  bid: number | null;
  latencyMs: number | null;
  reason: string | null;
}

/** The data of a `ping` event written per tier round. */
export interface PingRoundData {
  auctionId: string;
  tier: number;
  /** The hash of the ping fields sent: the same body fields for every buyer of the round. */
  sentHash: string;
  /** In the order the outcomes were recorded: fixed-price buyers first, then the pinged ones. */
  pings: PingOutcome[];
}

/** The buyers' outcomes a `ping` event records: every buyer of a round, or the one buyer of an older event. */
export function pingOutcomesOf(data: Record<string, unknown>): PingOutcome[] {
  if (Array.isArray(data.pings)) return data.pings.filter(isOutcomeLike).map(outcome);
  return isOutcomeLike(data) ? [outcome(data)] : [];
}

/** The ids of the buyers a lead's trail says were pinged (non-contact fields only), in trail order, each once. */
export function pingedBuyerIds(trail: ReadonlyArray<{ type: string; data: Record<string, unknown> }>): string[] {
  const ids = new Set<string>();
  for (const e of trail) if (e.type === 'ping') for (const p of pingOutcomesOf(e.data)) ids.add(p.buyerId);
  return [...ids];
}

function isOutcomeLike(v: unknown): v is Record<string, unknown> & { buyerId: string } {
  return typeof v === 'object' && v !== null && typeof (v as { buyerId?: unknown }).buyerId === 'string';
}

function outcome(p: Record<string, unknown> & { buyerId: string }): PingOutcome {
  return {
    buyerId: p.buyerId,
    outcome: typeof p.outcome === 'string' ? p.outcome : '',
    bid: typeof p.bid === 'number' ? p.bid : null,
    latencyMs: typeof p.latencyMs === 'number' ? p.latencyMs : null,
    reason: typeof p.reason === 'string' ? p.reason : null,
  };
}

import { z } from 'zod';

/**
 * One change an operator can make to a campaign's ping tree, as the what-if replay, the one-click
 * apply, the automatic tier placement and the undo of tree edits all describe it. Money is in
 * dollars (this is the wire); tiers are named by their index in the campaign's tier list.
 */
const id = z.string().min(1).max(100);
const dollars = z.number().min(0).max(1_000_000);

export const treeChangeSchema = z.discriminatedUnion('kind', [
  /** A tier's floor. */
  z.object({ kind: z.literal('tierFloor'), campaignId: id, tierIndex: z.number().int().min(0), floor: dollars }),
  /** The campaign's minimum price. */
  z.object({ kind: z.literal('campaignMinPrice'), campaignId: id, minPrice: dollars }),
  /** A buyer paused or resumed (across campaigns, as the buyer's own switch does). */
  z.object({ kind: z.literal('buyerPaused'), buyerId: id, paused: z.boolean() }),
  /** A buyer moved to another tier of the campaign, or out of the tree when `toTier` is null. */
  z.object({ kind: z.literal('buyerMove'), campaignId: id, buyerId: id, toTier: z.number().int().min(0).nullable() }),
  /** The campaign's tiers in a new order: `order[i]` is the old index of the tier now at position i. */
  z.object({ kind: z.literal('tierOrder'), campaignId: id, order: z.array(z.number().int().min(0)).min(1).max(50) }),
]);

export type TreeChange = z.infer<typeof treeChangeSchema>;

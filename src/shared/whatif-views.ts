/** What the console and the CLI see of a what-if replay and the price-reject report. Money in dollars, times in epoch ms. */

/** A set of auctions' results: over the recorded auctions, as recorded or as replayed. */
export interface WhatIfFigures {
  auctions: number;
  sold: number;
  /** Held by a buyer whose post outcome was unknown: not sold, not free to sell again. */
  unconfirmed: number;
  /** sold / auctions, 0..1 (0 when there are no auctions). */
  fillRate: number;
  revenue: number;
  payout: number;
  margin: number;
}

export interface WhatIfSide {
  sold: number;
  revenue: number;
  payout: number;
  margin: number;
}

export interface WhatIfBuyerRow {
  buyerId: string;
  name: string;
  before: WhatIfSide;
  after: WhatIfSide;
  /** Auctions where the replay would have pinged this buyer with no recorded ping to replay. */
  unpinged: number;
}

export interface WhatIfTierRow {
  /** The tier's name (tiers are matched by name, so a reorder keeps each tier's row). */
  name: string;
  /** Position before and after the change; null where the tier is not in that tree. */
  beforeIndex: number | null;
  afterIndex: number | null;
  beforeFloor: number | null;
  afterFloor: number | null;
  before: WhatIfSide;
  after: WhatIfSide;
}

/** What the record cannot say, counted in auctions, each with the assumption the replay made. */
export interface WhatIfUnknowns {
  /** The changed tree would ping a buyer the original auction never pinged (not reached, paused, not in the tree): replayed as no bid. */
  unpinged: number;
  /** The new winner was never posted to: its answer is unknown, counted as accepted. */
  assumedAccepted: number;
  /** A weighted or round-robin tier chose among several valid bids: replayed in price order. */
  priceOrderAssumed: number;
  /** Replaying today's tree gives another result than the record (the tree changed since, or a tier rotates). */
  beforeDiffersFromRecord: number;
}

export interface WhatIfResult {
  campaignId: string;
  from: number;
  to: number;
  /** Finished, non-test auctions replayed. */
  auctions: number;
  /** What happened. */
  recorded: WhatIfFigures;
  /** Today's tree replayed on the recorded bids: the baseline the change is measured against. */
  before: WhatIfFigures;
  /** The changed tree replayed on the recorded bids. */
  after: WhatIfFigures;
  buyers: WhatIfBuyerRow[];
  tiers: WhatIfTierRow[];
  unknowns: WhatIfUnknowns;
  /** The unknowns and assumptions in plain words, one line each. */
  notes: string[];
}

/** One buyer in one tier: the bids a floor refused, and what the floor cost and earned (CSV-friendly: flat, dollars). */
export interface PriceRejectRow {
  buyerId: string;
  buyerName: string;
  tierIndex: number;
  tierName: string;
  /** Bids this buyer made in this tier (valid or below floor). */
  bids: number;
  belowFloor: number;
  /** Floor minus bid, over the below-floor bids; null when there are none. */
  avgGap: number | null;
  maxGap: number | null;
  /** Revenue lost: sales this buyer would have won here had the tier floors been down to the campaign minimum, less what the auction got instead. */
  turnedAway: number;
  /** Revenue won: what this buyer's sales here paid above what the same auction would have paid with the lower floors. */
  gained: number;
}

export interface PriceRejectReport {
  campaignId: string;
  from: number;
  to: number;
  auctions: number;
  rows: PriceRejectRow[];
  totals: { belowFloor: number; turnedAway: number; gained: number };
  notes: string[];
}

const REASON_TEXT: Record<string, string> = {
  tier: 'set by the tier floor',
  campaign_min: 'set by the campaign minimum price',
  payout_margin: 'set by what the source payout and the broker margin need',
};

/**
 * The engine's recorded floor reason in words. The floor and its parts come from the engine, computed
 * in cents when the auction ran (`AuctionDetail.tiers`); the console derives no amount itself.
 */
export function floorReasonText(reason: string): string {
  return REASON_TEXT[reason] ?? reason;
}

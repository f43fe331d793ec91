import type { RuntimeCampaign, RuntimeConfig, RuntimePriceRule } from '../workspace/runtime.js';

/** The payout rule for a source's leads in a campaign: the source's own terms, else the campaign's. */
export function payoutRuleFor(campaign: Pick<RuntimeCampaign, 'payout'>, config: Pick<RuntimeConfig, 'sources'>, sourceId: string | null): RuntimePriceRule {
  return (sourceId === null ? undefined : config.sources.get(sourceId)?.payout) ?? campaign.payout;
}

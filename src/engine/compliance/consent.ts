import type { ConsentRecord } from '../../shared/domain.js';
import type { RuntimeBuyer, RuntimeCampaign } from '../workspace/runtime.js';
import { consentNamesSeller } from './seller-name.js';

/**
 * Whether a lead's consent lets this buyer receive it. Where the campaign requires named sellers,
 * the buyer's consent name must be among `consent.sellers` (matched as in seller-name.ts); the
 * free consent text is not searched, because only the structured list is evidence of what the
 * consumer was shown as a distinct seller.
 */
export function consentCovers(buyer: RuntimeBuyer, consent: ConsentRecord, campaign: RuntimeCampaign): boolean {
  if (!campaign.requireNamedSeller) return true;
  return consentNamesSeller(consent.sellers, buyer.consentKey);
}

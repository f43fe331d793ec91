import type { ConsentRecord, LeadFields, OutcomeCode } from '../../shared/domain.js';
import { consentCovers } from '../compliance/consent.js';
import type { RuntimeBuyer, RuntimeCampaign, RuntimeTier } from '../workspace/runtime.js';
import { describeRule, ruleHolds } from './field-rules.js';
import { isScheduleOpen } from './schedule.js';

export interface EligibilityInput {
  campaign: RuntimeCampaign;
  tier: RuntimeTier;
  buyers: Map<string, RuntimeBuyer>;
  lead: { fields: LeadFields; consent: ConsentRecord };
  now: number;
  /** Returns 'CAP_REACHED' or 'BUDGET_REACHED' when a cap stops the buyer (see CapsLedger.check). */
  caps: { check(buyer: RuntimeBuyer, priceCents?: number): string | null };
  isPaused(buyerId: string): boolean;
  isCircuitOpen(buyerId: string): boolean;
}

export interface Exclusion {
  buyerId: string;
  code: OutcomeCode;
  reason: string;
}

export interface Eligibility {
  /** In the tier's order. */
  eligible: RuntimeBuyer[];
  excluded: Exclusion[];
}

/**
 * Which buyers of a tier may be pinged for this lead, and why each other one may not. Checks run
 * in a fixed order (cheapest and most operator-visible first) and a buyer gets the first code that
 * excludes it. Reasons name the rule, never the lead's contact data.
 */
export function selectEligible(input: EligibilityInput): Eligibility {
  const eligible: RuntimeBuyer[] = [];
  const excluded: Exclusion[] = [];
  for (const buyerId of input.tier.buyerIds) {
    const buyer = input.buyers.get(buyerId);
    const exclusion = buyer ? exclusionOf(buyer, input) : { code: 'INACTIVE' as const, reason: 'unknown buyer' };
    if (exclusion) excluded.push({ buyerId, ...exclusion });
    else if (buyer) eligible.push(buyer);
  }
  return { eligible, excluded };
}

function exclusionOf(buyer: RuntimeBuyer, input: EligibilityInput): { code: OutcomeCode; reason: string } | null {
  const { campaign, lead } = input;
  const filters = buyer.spec.filters ?? {};
  if (!buyer.active) return { code: 'INACTIVE', reason: 'buyer is inactive' };
  if (input.isPaused(buyer.id)) return { code: 'PAUSED', reason: 'buyer is paused' };
  if (filters.campaigns && !filters.campaigns.includes(campaign.id)) {
    return { code: 'FILTERED_CAMPAIGN', reason: `buyer does not buy in campaign ${campaign.id}` };
  }

  const state = typeof lead.fields.state === 'string' ? lead.fields.state.toUpperCase() : null;
  if (filters.states && !(state && filters.states.some((s) => s.toUpperCase() === state))) {
    return { code: 'FILTERED_STATE', reason: state ? `state ${state} is not in the buyer's states` : 'lead has no state' };
  }
  if (state && filters.excludeStates?.some((s) => s.toUpperCase() === state)) {
    return { code: 'FILTERED_STATE', reason: `state ${state} is excluded by the buyer` };
  }

  const zip = typeof lead.fields.zip === 'string' ? lead.fields.zip : null;
  if (filters.zips && !(zip && filters.zips.some((prefix) => zip.startsWith(prefix)))) {
    return { code: 'FILTERED_ZIP', reason: zip ? `zip ${zip} matches none of the buyer's zips` : 'lead has no zip' };
  }
  const excludedZip = zip ? filters.excludeZips?.find((prefix) => zip.startsWith(prefix)) : undefined;
  if (excludedZip) return { code: 'FILTERED_ZIP', reason: `zip ${zip} is excluded by the buyer (${excludedZip})` };

  const failed = filters.rules?.find((rule) => !ruleHolds(rule, lead.fields));
  if (failed) return { code: 'FILTERED_FIELD', reason: `field rule not met: ${describeRule(failed)}` };

  if (!isScheduleOpen(buyer.spec.schedule, input.now)) return { code: 'OUT_OF_SCHEDULE', reason: `outside the buyer's schedule (${buyer.spec.schedule?.timezone})` };

  const cap = input.caps.check(buyer, buyer.fixedPriceCents);
  if (cap === 'BUDGET_REACHED') return { code: 'BUDGET_REACHED', reason: 'daily budget reached' };
  if (cap !== null) return { code: 'CAP_REACHED', reason: 'lead cap reached' };

  if (!consentCovers(buyer, lead.consent, campaign)) return { code: 'CONSENT_NOT_NAMED', reason: 'consent does not name the buyer' };
  // Last, because asking may hand out the circuit's one half-open trial: only a buyer that every
  // other check lets through, and that will therefore be pinged, may use it up.
  if (input.isCircuitOpen(buyer.id)) return { code: 'CIRCUIT_OPEN', reason: 'circuit open after repeated failures' };
  return null;
}

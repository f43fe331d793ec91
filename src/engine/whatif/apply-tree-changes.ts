import type { CampaignSpec, TierSpec, Workspace } from '../../shared/domain.js';
import { PingdeskError, type ErrorDetail } from '../../shared/errors.js';
import type { TreeChange } from '../../shared/tree-change.js';

/**
 * The workspace with ping tree changes made, in the order given (a later change's tier index reads
 * the tree as the earlier ones left it). Pure: the replay compiles the result to price the change,
 * and the apply saves the same result, so what was priced is what is applied. A change that names
 * another campaign, a missing tier or buyer, or an order that is not a permutation is refused whole.
 */
export function applyTreeChanges(ws: Workspace, campaignId: string, changes: readonly TreeChange[]): Workspace {
  const problems: ErrorDetail[] = [];
  let campaign = ws.campaigns.find((c) => c.id === campaignId);
  if (!campaign) throw new PingdeskError('not_found', `No campaign "${campaignId}"`);
  let buyers = ws.buyers;
  changes.forEach((change, i) => {
    const field = `changes[${i}]`;
    if ('campaignId' in change && change.campaignId !== campaignId) {
      problems.push({ field, message: `names campaign "${change.campaignId}", not "${campaignId}"` });
      return;
    }
    const c = campaign as CampaignSpec;
    switch (change.kind) {
      case 'tierFloor': {
        if (!c.tiers[change.tierIndex]) return void problems.push({ field, message: `no tier ${change.tierIndex + 1}` });
        campaign = { ...c, tiers: c.tiers.map((t, j) => (j === change.tierIndex ? { ...t, floor: change.floor } : t)) };
        return;
      }
      case 'campaignMinPrice':
        campaign = { ...c, minPrice: change.minPrice };
        return;
      case 'buyerPaused': {
        if (!buyers.some((b) => b.id === change.buyerId)) return void problems.push({ field, message: `no buyer "${change.buyerId}"` });
        buyers = buyers.map((b) => (b.id === change.buyerId ? { ...b, paused: change.paused } : b));
        return;
      }
      case 'buyerMove': {
        if (!buyers.some((b) => b.id === change.buyerId)) return void problems.push({ field, message: `no buyer "${change.buyerId}"` });
        if (change.toTier !== null && !c.tiers[change.toTier]) return void problems.push({ field, message: `no tier ${change.toTier + 1}` });
        campaign = { ...c, tiers: c.tiers.map((t, j) => moveBuyer(t, change.buyerId, j === change.toTier)) };
        return;
      }
      case 'tierOrder': {
        const n = c.tiers.length;
        const isPermutation = change.order.length === n && new Set(change.order).size === n && change.order.every((k) => k < n);
        if (!isPermutation) return void problems.push({ field, message: `the order must name each of the ${n} tiers once` });
        campaign = { ...c, tiers: change.order.map((k) => c.tiers[k] as TierSpec) };
        return;
      }
    }
  });
  if (changes.length === 0) problems.push({ field: 'changes', message: 'name at least one change' });
  if (problems.length) throw new PingdeskError('validation_failed', 'The change has problems', { details: problems });
  const next = campaign;
  return { ...ws, buyers, campaigns: ws.campaigns.map((c) => (c.id === campaignId ? next : c)) };
}

function moveBuyer(tier: TierSpec, buyerId: string, into: boolean): TierSpec {
  const without = tier.buyers.filter((b) => b !== buyerId);
  return { ...tier, buyers: into ? [...without, buyerId] : without };
}

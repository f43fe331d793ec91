import type { CampaignSpec, TierPlacementSpec, TierSpec } from '../../shared/domain.js';
import { PingdeskError } from '../../shared/errors.js';
import type { TreeChange } from '../../shared/tree-change.js';
import type { ConfigService } from '../config/config-service.js';
import type { Store } from '../store/index.js';
import type { PlacementMoveRecord } from '../store/placement-repo.js';
import type { BuyerSignals } from './rolling-signals.js';
import { DEFAULT_TIER_PLACEMENT, decidePlacement, type PlacementDecision } from './tier-policy.js';

/** A buyer's placement on one campaign as the campaign's policy sees it now. */
export interface PlacementProposal {
  campaignId: string;
  buyerId: string;
  mode: TierPlacementSpec['mode'];
  decision: PlacementDecision;
  /** The move as a ping tree change (what-if replay, apply, undo share it); null when the buyer stays. */
  change: Extract<TreeChange, { kind: 'buyerMove' }> | null;
}

export const PLACEMENT_ACTOR = 'engine:placement';
/** How often automatic placement looks at the signals. */
export const PLACEMENT_INTERVAL_MS = 60_000;

/** The campaign's policy with its defaults; absent means off. */
export function placementPolicyOf(campaign: CampaignSpec): TierPlacementSpec {
  return { ...DEFAULT_TIER_PLACEMENT, ...(campaign.tierPlacement ?? {}) };
}

/** The tiers after moving a buyer out of its tier into `toTier` (or out of the tree when null). */
export function moveBuyer(tiers: TierSpec[], buyerId: string, toTier: number | null): TierSpec[] {
  return tiers.map((t, i) => {
    const without = t.buyers.filter((b) => b !== buyerId);
    return { ...t, buyers: i === toTier ? [...without, buyerId] : without };
  });
}

/**
 * Tier placement per campaign: proposals from the rolling signals and the campaign's policy
 * (tier-policy.ts), applied one move at a time through the ConfigService, so each move is a normal
 * configuration change: validated, stored, audited (a `config` event with `reason: 'placement'`,
 * the change and its evidence) and announced. Moves are also kept in `placement_moves`, where the
 * policy's cool-down finds the last one after a restart.
 */
export class TierPlacement {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: { store: Store; config: ConfigService; signals: BuyerSignals; now: () => number }) {}

  /** Every buyer in the tree of each campaign whose policy is not off (or of one campaign). */
  proposals(campaignId?: string): PlacementProposal[] {
    const campaigns = this.d.config.workspace.campaigns.filter((c) => (campaignId === undefined || c.id === campaignId) && placementPolicyOf(c).mode !== 'off');
    return campaigns.flatMap((c) => c.tiers.flatMap((t) => t.buyers.map((buyerId) => this.propose(c, buyerId))));
  }

  /** What the campaign's policy says about one buyer now, whatever the mode. */
  propose(campaign: CampaignSpec, buyerId: string): PlacementProposal {
    const policy = placementPolicyOf(campaign);
    const tier = campaign.tiers.findIndex((t) => t.buyers.includes(buyerId));
    const now = this.d.now();
    const last = this.d.store.placementMoves().lastMove(campaign.id, buyerId);
    const decision = decidePlacement({
      signals: this.d.signals.snapshot(buyerId, campaign.id, now),
      tier,
      tierCount: campaign.tiers.length,
      policy,
      lastMove: last ? { at: last.at, action: last.action } : null,
      now,
    });
    const change = decision.action === 'stay' ? null : { kind: 'buyerMove' as const, campaignId: campaign.id, buyerId, toTier: decision.toTier };
    return { campaignId: campaign.id, buyerId, mode: policy.mode, decision, change };
  }

  /**
   * Applies the move the policy proposes for this buyer now (the operator's one click in suggest
   * mode, or the scheduler). Refused with `conflict` when the policy no longer proposes a move.
   */
  apply(campaignId: string, buyerId: string, actor: string): PlacementMoveRecord {
    const campaign = this.d.config.campaign(campaignId);
    if (placementPolicyOf(campaign).mode === 'off') throw new PingdeskError('conflict', `Tier placement is off for campaign "${campaignId}"`);
    if (!campaign.tiers.some((t) => t.buyers.includes(buyerId))) throw new PingdeskError('not_found', `Buyer "${buyerId}" is not in the tree of campaign "${campaignId}"`);
    const p = this.propose(campaign, buyerId);
    if (!p.change || p.decision.action === 'stay') throw new PingdeskError('conflict', `The placement policy proposes no move for "${buyerId}" now: ${p.decision.reasons.join('; ')}`);
    const { change } = p;
    const decision = p.decision as PlacementDecision & { action: 'promote' | 'demote' };
    const at = this.d.now();
    const move: PlacementMoveRecord = { at, campaignId, buyerId, action: decision.action, fromTier: decision.fromTier, toTier: decision.toTier, appliedBy: actor, evidence: { reasons: decision.reasons, ...decision.evidence } };
    const why = { reason: 'placement', change, placement: { action: decision.action, fromTier: decision.fromTier, toTier: decision.toTier, reasons: decision.reasons, evidence: decision.evidence } };
    // The move's record is written in the tree change's own transaction: both land, or neither.
    this.d.config.setTiers(campaignId, moveBuyer(campaign.tiers, buyerId, change.toTier), actor, why, () => this.d.store.placementMoves().record(move));
    return move;
  }

  recentMoves(sinceMs: number, campaignId: string | null): PlacementMoveRecord[] {
    return this.d.store.placementMoves().recentMoves(sinceMs, campaignId, 200);
  }

  /** One pass of automatic placement: every move proposed in campaigns set to `automatic`. */
  runAutomatic(): PlacementMoveRecord[] {
    const moves: PlacementMoveRecord[] = [];
    for (const c of this.d.config.workspace.campaigns) {
      if (placementPolicyOf(c).mode !== 'automatic') continue;
      for (const p of this.proposals(c.id)) {
        if (p.change) moves.push(this.apply(c.id, p.buyerId, PLACEMENT_ACTOR));
      }
    }
    return moves;
  }

  start(intervalMs: number, onError: (err: unknown) => void): void {
    this.timer = setInterval(() => {
      try {
        this.runAutomatic();
      } catch (err) {
        onError(err);
      }
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

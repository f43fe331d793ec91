import type { CampaignSpec, TierSpec } from '../../shared/domain.js';
import { DEFAULT_DYNAMIC_FLOOR_MIN_SAMPLES, DYNAMIC_FLOOR_REASON, type DynamicFloorSpec } from '../../shared/dynamic-floor.js';
import type { ConfigService } from '../config/config-service.js';
import { toCents, toDollars } from '../money.js';
import type { Store } from '../store/index.js';
import { decideDynamicFloor, type DynamicFloorDecision } from './dynamic-floor.js';

/** The audit actor of a dynamic floor's changes. */
export const DYNAMIC_FLOOR_ACTOR = 'engine:dynamic-floor';
/** At most this many samples per recomputation: the newest of the window. */
export const MAX_FLOOR_SAMPLES = 5000;

export interface TunerLog {
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** What the next recomputation of one tier's floor would do, from the store as it is now. */
export function evaluateTierFloor(store: Store, campaignId: string, tierIndex: number, tier: TierSpec & { dynamicFloor: DynamicFloorSpec }, now: number): DynamicFloorDecision {
  const spec = tier.dynamicFloor;
  const since = now - spec.windowMs;
  const samples = spec.basis === 'winningBids'
    ? store.market().winningBids(campaignId, tierIndex, since, MAX_FLOOR_SAMPLES)
    : store.market().predictedValues(campaignId, since, MAX_FLOOR_SAMPLES);
  const rule = {
    percentile: spec.percentile,
    minSamples: spec.minSamples ?? DEFAULT_DYNAMIC_FLOOR_MIN_SAMPLES,
    minCents: toCents(spec.min),
    maxCents: toCents(spec.max),
    maxStepCents: toCents(spec.maxStep),
  };
  return decideDynamicFloor(rule, toCents(tier.floor), samples);
}

/**
 * The engine part that moves dynamic floors: every tick it recomputes each enabled tier whose
 * `intervalMs` has passed since its last recomputation (or, after a restart, since its last change),
 * and applies a change through ConfigService, audited with its reason. Switched off, a tier is skipped
 * and its floor stays where it is.
 */
export class FloorTuner {
  private readonly lastRun = new Map<string, number>();
  /** Tiers whose last recomputation had too few samples. */
  private readonly waiting = new Set<string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly d: { store: Store; config: ConfigService; now: () => number; log: TunerLog }) {}

  start(tickMs: number): this {
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass over every campaign's tiers; returns the changes made. */
  tick(): Array<{ campaignId: string; tier: string; from: number; to: number }> {
    const changes: Array<{ campaignId: string; tier: string; from: number; to: number }> = [];
    const enabled = new Set<string>();
    for (const campaign of this.d.config.workspace.campaigns) {
      campaign.tiers.forEach((tier, tierIndex) => {
        if (!tier.dynamicFloor?.enabled) return;
        const key = `${campaign.id}\u0000${tier.name}`;
        enabled.add(key);
        const now = this.d.now();
        const last = this.lastRun.get(key) ?? this.d.store.market().lastFloorChange(campaign.id, tier.name)?.at ?? Number.NEGATIVE_INFINITY;
        if (now - last < tier.dynamicFloor.intervalMs) return;
        this.lastRun.set(key, now);
        const change = this.recompute(campaign, tierIndex, { ...tier, dynamicFloor: tier.dynamicFloor }, now);
        if (change) changes.push(change);
      });
    }
    // A tier switched off (or renamed) starts afresh when switched on again.
    for (const key of this.lastRun.keys()) if (!enabled.has(key)) this.lastRun.delete(key);
    return changes;
  }

  private recompute(campaign: CampaignSpec, tierIndex: number, tier: TierSpec & { dynamicFloor: DynamicFloorSpec }, now: number): { campaignId: string; tier: string; from: number; to: number } | null {
    const decision = evaluateTierFloor(this.d.store, campaign.id, tierIndex, tier, now);
    const spec = tier.dynamicFloor;
    const key = `${campaign.id}\u0000${tier.name}`;
    const waitingBefore = this.waiting.has(key);
    if (decision.kind === 'too_few_samples') this.waiting.add(key);
    else this.waiting.delete(key);
    if (decision.kind === 'too_few_samples') {
      // Said once when a tier starts waiting, not at every interval.
      if (!waitingBefore) this.d.log.info({ campaignId: campaign.id, tier: tier.name, samples: decision.samples, needed: decision.needed }, 'dynamic floor unchanged: too few samples');
      return null;
    }
    if (decision.kind === 'unchanged') return null;
    const from = toDollars(decision.fromCents);
    const to = toDollars(decision.toCents);
    try {
      this.d.config.setFloor(campaign.id, tierIndex, to, DYNAMIC_FLOOR_ACTOR, {
        reason: DYNAMIC_FLOOR_REASON,
        basis: spec.basis,
        percentile: spec.percentile,
        windowMs: spec.windowMs,
        samples: decision.samples,
        target: toDollars(decision.targetCents),
        limitedBy: decision.limitedBy,
      });
    } catch (err) {
      this.d.log.warn({ campaignId: campaign.id, tier: tier.name, err: (err as Error).message }, 'dynamic floor change failed; retried at the next interval');
      return null;
    }
    this.d.store.market().recordFloorChange({
      at: now, campaignId: campaign.id, tierName: tier.name, fromCents: decision.fromCents, toCents: decision.toCents, targetCents: decision.targetCents,
      basis: spec.basis, percentile: spec.percentile, samples: decision.samples, limitedBy: decision.limitedBy,
    });
    return { campaignId: campaign.id, tier: tier.name, from, to };
  }
}

import type { Cents } from '../money.js';

/** A dynamic floor's rule in engine units (see shared/dynamic-floor.ts for the authored form). */
export interface DynamicFloorRule {
  /** 1..99: the floor aims at this percentile of the samples. */
  percentile: number;
  minSamples: number;
  minCents: Cents;
  maxCents: Cents;
  /** The most one change may move the floor, up or down. */
  maxStepCents: Cents;
}

/** What held the floor back from the percentile: a bound, the step limit, or nothing. */
export type FloorLimit = 'min' | 'max' | 'step' | null;

export type DynamicFloorDecision =
  | { kind: 'too_few_samples'; samples: number; needed: number }
  | { kind: 'unchanged' | 'change'; samples: number; targetCents: Cents; fromCents: Cents; toCents: Cents; limitedBy: FloorLimit };

/**
 * The next floor of a tier. Pure, integer cents:
 *   target = percentile p of the samples (nearest rank: the ⌈p·n/100⌉-th smallest, a real sample);
 *   bounded = min(max(target, min), max);
 *   next = current + clamp(bounded − current, −maxStep, +maxStep).
 * Fewer than `minSamples` samples: no decision, the floor stays (a thin market says nothing).
 */
export function decideDynamicFloor(rule: DynamicFloorRule, currentCents: Cents, samplesCents: readonly Cents[]): DynamicFloorDecision {
  const samples = samplesCents.length;
  if (samples < Math.max(1, rule.minSamples)) return { kind: 'too_few_samples', samples, needed: Math.max(1, rule.minSamples) };
  const targetCents = percentileOf(samplesCents, rule.percentile);
  let limitedBy: FloorLimit = null;
  let bounded = targetCents;
  if (bounded < rule.minCents) {
    bounded = rule.minCents;
    limitedBy = 'min';
  } else if (bounded > rule.maxCents) {
    bounded = rule.maxCents;
    limitedBy = 'max';
  }
  let toCents = bounded;
  if (Math.abs(bounded - currentCents) > rule.maxStepCents) {
    toCents = currentCents + Math.sign(bounded - currentCents) * rule.maxStepCents;
    limitedBy = 'step';
  }
  return { kind: toCents === currentCents ? 'unchanged' : 'change', samples, targetCents, fromCents: currentCents, toCents, limitedBy };
}

/** Nearest-rank percentile of integer samples (never interpolated, so always a price someone paid). */
export function percentileOf(samplesCents: readonly Cents[], percentile: number): Cents {
  if (samplesCents.length === 0) throw new RangeError('no samples');
  const sorted = [...samplesCents].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((percentile * sorted.length) / 100)));
  return sorted[rank - 1];
}

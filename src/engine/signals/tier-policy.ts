import type { PlacementProposalView } from '../../shared/console-api.js';
import type { TierPlacementSpec } from '../../shared/domain.js';
import type { BuyerSnapshot } from './rolling-signals.js';

/**
 * Where a buyer's signals on one campaign say it belongs: one tier up, one tier down, or where it
 * is. Tier 0 is pinged first. A pure function of the snapshot, the policy and the buyer's last move.
 *
 * Down when any judged signal is bad: conversion below the demote threshold, accept rate below its
 * minimum, timeouts or the 95th-percentile response time above their maximum, returns above theirs.
 * Up when conversion is above the promote threshold and nothing pulls down. A signal is judged only
 * on `minSamples` samples of its own base (sales, posts, pings). Demotion wins over promotion: a
 * buyer who converts well but times out costs every lead it delays.
 *
 * Hysteresis: the promote threshold sits above the demote threshold, so a buyer between the two
 * stays where it is whichever way it last moved; and no buyer moves twice within `cooldownMs`.
 */

export type PlacementAction = 'promote' | 'demote' | 'stay';

export interface PlacementMove {
  at: number;
  action: 'promote' | 'demote';
}

/** The figures a move was judged on (as the console shows them) and every threshold in force. */
export type PlacementEvidence = PlacementProposalView['evidence'] & {
  thresholds: Omit<TierPlacementSpec, 'mode'>;
};

export interface PlacementDecision {
  action: PlacementAction;
  fromTier: number;
  /** The tier the buyer should be in: `fromTier` when it stays. */
  toTier: number;
  reasons: string[];
  evidence: PlacementEvidence;
}

export const DEFAULT_TIER_PLACEMENT: TierPlacementSpec = {
  mode: 'off',
  promoteConversionPercent: 12,
  demoteConversionPercent: 8,
  minSamples: 20,
  cooldownMs: 3_600_000,
};

export interface PlacementInput {
  signals: BuyerSnapshot;
  tier: number;
  tierCount: number;
  policy: TierPlacementSpec;
  lastMove: PlacementMove | null;
  now: number;
}

export function decidePlacement(input: PlacementInput): PlacementDecision {
  const { signals: s, tier, tierCount, policy: p } = input;
  const { mode: _mode, ...thresholds } = p;
  const evidence: PlacementEvidence = {
    conversionRate: s.conversionRate,
    acceptRate: s.acceptRate,
    timeoutRate: s.timeoutRate,
    p95LatencyMs: s.p95LatencyMs,
    returnRate: s.returnRate,
    sold: s.sold,
    posts: s.wins,
    pings: s.pings,
    thresholds,
  };
  const stay = (reasons: string[]): PlacementDecision => ({ action: 'stay', fromTier: tier, toTier: tier, reasons, evidence });
  const n = p.minSamples;
  const salesJudged = s.sold >= n;

  const down: string[] = [];
  // Rates are compared as counts (converted·100 < percent·sold) so that no float rounding decides a move.
  if (salesJudged && s.converted * 100 < p.demoteConversionPercent * s.sold) down.push(`conversion ${pct(s.conversionRate)} is below ${p.demoteConversionPercent}% over ${s.sold} sales`);
  if (salesJudged && p.maxReturnPercent !== undefined && s.returned * 100 > p.maxReturnPercent * s.sold) down.push(`return rate ${pct(s.returnRate)} is above ${p.maxReturnPercent}% over ${s.sold} sales`);
  if (s.wins >= n && p.minAcceptPercent !== undefined && s.accepted * 100 < p.minAcceptPercent * s.wins) down.push(`accept rate ${pct(s.acceptRate)} is below ${p.minAcceptPercent}% over ${s.wins} posts`);
  if (s.pings >= n && p.maxTimeoutPercent !== undefined && s.timeouts * 100 > p.maxTimeoutPercent * s.pings) down.push(`timeout rate ${pct(s.timeoutRate)} is above ${p.maxTimeoutPercent}% over ${s.pings} pings`);
  if (s.pings >= n && p.maxResponseMs !== undefined && s.p95LatencyMs > p.maxResponseMs) down.push(`95th-percentile response ${s.p95LatencyMs} ms is above ${p.maxResponseMs} ms over ${s.pings} pings`);

  const up = down.length === 0 && salesJudged && s.converted * 100 > p.promoteConversionPercent * s.sold;
  if (down.length === 0 && !up) {
    if (!salesJudged) return stay([`${s.sold} sales, ${n} needed to judge conversion`]);
    return stay([`conversion ${pct(s.conversionRate)} is between ${p.demoteConversionPercent}% and ${p.promoteConversionPercent}%`]);
  }
  const reasons = up ? [`conversion ${pct(s.conversionRate)} is above ${p.promoteConversionPercent}% over ${s.sold} sales`] : down;
  if (up && tier <= 0) return stay([...reasons, 'already in the first tier']);
  if (!up && tier >= tierCount - 1) return stay([...reasons, 'already in the last tier']);

  const last = input.lastMove;
  if (last && input.now - last.at < p.cooldownMs) {
    const waitMin = Math.ceil((last.at + p.cooldownMs - input.now) / 60_000);
    return stay([...reasons, `moved ${Math.round((input.now - last.at) / 60_000)} min ago; the cool-down allows the next move in ${waitMin} min`]);
  }
  return up ? { action: 'promote', fromTier: tier, toTier: tier - 1, reasons, evidence } : { action: 'demote', fromTier: tier, toTier: tier + 1, reasons, evidence };
}

function pct(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

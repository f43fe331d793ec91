import { describe, expect, it } from 'vitest';
import type { TierPlacementSpec } from '../../src/shared/domain.js';
import type { BuyerSnapshot } from '../../src/engine/signals/rolling-signals.js';
import { decidePlacement, type PlacementMove } from '../../src/engine/signals/tier-policy.js';
import { moveBuyer } from '../../src/engine/signals/tier-placement.js';

const NOW = Date.parse('2026-11-30T15:00:00Z');
const HOUR = 3_600_000;

/** The seed example: above 12% conversion stays in (or rises to) tier 1, below 8% moves down. */
const POLICY: TierPlacementSpec = { mode: 'automatic', promoteConversionPercent: 12, demoteConversionPercent: 8, minSamples: 20, cooldownMs: HOUR };

/** A buyer with `sold` sales of which `converted` converted, and healthy traffic. */
function buyer(converted: number, sold = 100, overrides: Partial<BuyerSnapshot> = {}): BuyerSnapshot {
  return {
    pings: 200, bids: 150, bidRate: 0.75, wins: 40, winRate: 40 / 150, accepted: 36, acceptRate: 0.9, lateAccepts: 0, timeouts: 4, timeoutRate: 0.02,
    avgBidCents: 2300, avgLatencyMs: 90, p95LatencyMs: 200, sold, converted, returned: 3, contacted: 20,
    conversionRate: sold ? converted / sold : 0, returnRate: sold ? 3 / sold : 0, ...overrides,
  };
}

const decide = (signals: BuyerSnapshot, tier: number, opts: { tierCount?: number; policy?: Partial<TierPlacementSpec>; lastMove?: PlacementMove | null } = {}) =>
  decidePlacement({ signals, tier, tierCount: opts.tierCount ?? 3, policy: { ...POLICY, ...opts.policy }, lastMove: opts.lastMove ?? null, now: NOW });

describe('tier placement policy', () => {
  it('conversion above the promote threshold moves a buyer one tier up, with its evidence', () => {
    const d = decide(buyer(15), 1);
    expect(d).toMatchObject({ action: 'promote', fromTier: 1, toTier: 0, reasons: ['conversion 15% is above 12% over 100 sales'] });
    expect(d.evidence).toMatchObject({ conversionRate: 0.15, sold: 100, posts: 40, pings: 200, thresholds: { promoteConversionPercent: 12, demoteConversionPercent: 8, minSamples: 20, cooldownMs: HOUR } });
  });

  it('conversion below the demote threshold moves a buyer one tier down', () => {
    expect(decide(buyer(7), 0)).toMatchObject({ action: 'demote', fromTier: 0, toTier: 1, reasons: ['conversion 7% is below 8% over 100 sales'] });
  });

  it('a buyer above 12% in the first tier stays there', () => {
    expect(decide(buyer(20), 0)).toMatchObject({ action: 'stay', toTier: 0, reasons: ['conversion 20% is above 12% over 100 sales', 'already in the first tier'] });
  });

  it('the thresholds are strict: exactly 12% does not promote, exactly 8% does not demote', () => {
    expect(decide(buyer(12), 1).action).toBe('stay');
    expect(decide(buyer(8), 1).action).toBe('stay');
    expect(decide(buyer(13), 1).action).toBe('promote');
    expect(decide(buyer(7), 1).action).toBe('demote');
  });

  it('no move before the minimum samples, however good or bad the conversion', () => {
    expect(decide(buyer(19, 19), 1)).toMatchObject({ action: 'stay', reasons: ['19 sales, 20 needed to judge conversion'] });
    expect(decide(buyer(0, 19), 1).action).toBe('stay');
    expect(decide(buyer(0, 20), 1).action).toBe('demote');
    // Slowness is judged on pings: too few pings, no demotion for it.
    expect(decide(buyer(10, 100, { pings: 19, p95LatencyMs: 900 }), 0, { policy: { maxResponseMs: 300 } }).action).toBe('stay');
    expect(decide(buyer(10, 100, { pings: 20, p95LatencyMs: 900 }), 0, { policy: { maxResponseMs: 300 } }).action).toBe('demote');
  });

  it('hysteresis: a buyer demoted below 8% is not promoted back at 10%, only above 12%', () => {
    const demoted: PlacementMove = { at: NOW - 2 * HOUR, action: 'demote' };
    expect(decide(buyer(10), 1, { lastMove: demoted })).toMatchObject({ action: 'stay', reasons: ['conversion 10% is between 8% and 12%'] });
    expect(decide(buyer(13), 1, { lastMove: demoted }).action).toBe('promote');
  });

  it('hysteresis: a buyer promoted above 12% is not demoted back at 10%, only below 8%', () => {
    const promoted: PlacementMove = { at: NOW - 2 * HOUR, action: 'promote' };
    expect(decide(buyer(10), 0, { lastMove: promoted }).action).toBe('stay');
    expect(decide(buyer(7), 0, { lastMove: promoted }).action).toBe('demote');
  });

  it('no second move within the cool-down, in either direction', () => {
    const justMoved: PlacementMove = { at: NOW - 20 * 60_000, action: 'demote' };
    const d = decide(buyer(3), 1, { lastMove: justMoved });
    expect(d.action).toBe('stay');
    expect(d.reasons[1]).toBe('moved 20 min ago; the cool-down allows the next move in 40 min');
    expect(decide(buyer(20), 1, { lastMove: justMoved }).action).toBe('stay');
    expect(decide(buyer(3), 1, { lastMove: { at: NOW - HOUR, action: 'demote' } }).action).toBe('demote');
  });

  it('accept rate, timeouts, response time and returns each move a buyer down when set', () => {
    expect(decide(buyer(10), 0, { policy: { minAcceptPercent: 95 } }).reasons).toEqual(['accept rate 90% is below 95% over 40 posts']);
    expect(decide(buyer(10, 100, { timeouts: 60, timeoutRate: 0.3 }), 0, { policy: { maxTimeoutPercent: 20 } }).reasons).toEqual(['timeout rate 30% is above 20% over 200 pings']);
    expect(decide(buyer(10), 0, { policy: { maxResponseMs: 150 } }).reasons).toEqual(['95th-percentile response 200 ms is above 150 ms over 200 pings']);
    expect(decide(buyer(10, 100, { returned: 30, returnRate: 0.3 }), 0, { policy: { maxReturnPercent: 25 } }).reasons).toEqual(['return rate 30% is above 25% over 100 sales']);
    // Unset thresholds judge nothing.
    expect(decide(buyer(10, 100, { timeouts: 150, timeoutRate: 0.75, p95LatencyMs: 5000 }), 0).action).toBe('stay');
  });

  it('demotion wins over promotion: a fast converter that times out moves down', () => {
    expect(decide(buyer(30, 100, { timeouts: 100, timeoutRate: 0.5 }), 1, { policy: { maxTimeoutPercent: 20 } }).action).toBe('demote');
  });

  it('the last tier cannot be demoted from', () => {
    expect(decide(buyer(1), 2)).toMatchObject({ action: 'stay', toTier: 2, reasons: ['conversion 1% is below 8% over 100 sales', 'already in the last tier'] });
  });

  it('with more tiers a buyer moves one step at a time', () => {
    expect(decide(buyer(1), 2, { tierCount: 5 })).toMatchObject({ action: 'demote', toTier: 3 });
    expect(decide(buyer(30), 4, { tierCount: 5 })).toMatchObject({ action: 'promote', toTier: 3 });
  });

  it('moving a buyer takes it out of its tier and puts it last in the new one', () => {
    const tiers = [{ name: 'A', floor: 20, buyers: ['acme', 'bolt'] }, { name: 'B', floor: 5, buyers: ['cheap'] }];
    expect(moveBuyer(tiers, 'acme', 1).map((t) => t.buyers)).toEqual([['bolt'], ['cheap', 'acme']]);
    expect(moveBuyer(tiers, 'acme', null).map((t) => t.buyers)).toEqual([['bolt'], ['cheap']]);
  });
});

import { describe, expect, it } from 'vitest';
import { BuyerSignals, DEFAULT_TIER_POLICY, suggestTier, type BuyerSnapshot } from '../../src/engine/signals/stats.js';

const T0 = Date.parse('2026-11-30T15:00:00Z');
const MIN = 60_000;

describe('BuyerSignals', () => {
  it('bid rate, average bid and timeout rate come from the pings of the last hour', () => {
    const s = new BuyerSignals();
    s.recordPing('acme', 'BID', 80, 2000, T0);
    s.recordPing('acme', 'BID', 120, 3000, T0 + MIN);
    s.recordPing('acme', 'BELOW_FLOOR', 90, 400, T0 + 2 * MIN);
    s.recordPing('acme', 'NO_BID', 50, null, T0 + 3 * MIN);
    s.recordPing('acme', 'TIMEOUT', 300, null, T0 + 4 * MIN);
    const snap = s.snapshot('acme', T0 + 5 * MIN);
    expect(snap).toMatchObject({ pings: 5, bids: 3, bidRate: 0.6, avgBidCents: 1800, timeouts: 1, timeoutRate: 0.2, avgLatencyMs: 128 });
  });

  it('eligibility exclusions are not pings', () => {
    const s = new BuyerSignals();
    s.recordPing('acme', 'FILTERED_STATE', null, null, T0);
    s.recordPing('acme', 'CAP_REACHED', null, null, T0);
    expect(s.snapshot('acme', T0).pings).toBe(0);
  });

  it('a late answer counts as a timeout', () => {
    const s = new BuyerSignals();
    s.recordPing('acme', 'LATE', 420, 2500, T0);
    expect(s.snapshot('acme', T0)).toMatchObject({ pings: 1, bids: 0, timeoutRate: 1 });
  });

  it('pings older than the window drop out as time passes', () => {
    const s = new BuyerSignals();
    s.recordPing('acme', 'TIMEOUT', 300, null, T0);
    s.recordPing('acme', 'BID', 100, 2000, T0 + 30 * MIN);
    expect(s.snapshot('acme', T0 + 59 * MIN)).toMatchObject({ pings: 2, timeoutRate: 0.5 });
    expect(s.snapshot('acme', T0 + 60 * MIN)).toMatchObject({ pings: 1, timeoutRate: 0 });
    expect(s.snapshot('acme', T0 + 120 * MIN).pings).toBe(0);
  });

  it('five hours of steady traffic still reports one hour of it', () => {
    const s = new BuyerSignals();
    for (let m = 0; m < 300; m++) for (let i = 0; i < 10; i++) s.recordPing('acme', 'BID', 100, 1000, T0 + m * MIN + i);
    expect(s.snapshot('acme', T0 + 299 * MIN).pings).toBe(600);
  });

  it('an event older than the remembered window is ignored rather than counted as new', () => {
    const s = new BuyerSignals();
    s.recordPing('acme', 'BID', 100, 1000, T0 + 90 * MIN);
    s.recordPing('acme', 'TIMEOUT', 300, null, T0 + 30 * MIN); // same ring slot, an hour older
    expect(s.snapshot('acme', T0 + 90 * MIN)).toMatchObject({ pings: 1, timeouts: 0 });
  });

  it('p95 latency reflects the slow tail, not the average', () => {
    const s = new BuyerSignals();
    for (let i = 0; i < 90; i++) s.recordPing('acme', 'BID', 40, 1000, T0);
    for (let i = 0; i < 10; i++) s.recordPing('acme', 'BID', 260, 1000, T0);
    const snap = s.snapshot('acme', T0);
    expect(snap.avgLatencyMs).toBe(62);
    expect(snap.p95LatencyMs).toBeGreaterThanOrEqual(250);
    expect(snap.p95LatencyMs).toBeLessThanOrEqual(300);
  });

  it('accept rate comes from posts, conversion and return rates from feedback on sales', () => {
    const s = new BuyerSignals();
    for (let i = 0; i < 8; i++) s.recordPost('acme', true, T0 + i);
    for (let i = 0; i < 2; i++) s.recordPost('acme', false, T0 + i);
    s.recordFeedback('acme', 'converted', T0 + 3 * 3_600_000);
    s.recordFeedback('acme', 'converted', T0 + 3 * 3_600_000);
    s.recordFeedback('acme', 'returned', T0 + 4 * 3_600_000);
    s.recordFeedback('acme', 'contacted', T0 + 4 * 3_600_000);
    const now = T0 + 5 * 3_600_000;
    expect(s.snapshot('acme', now)).toMatchObject({ sold: 8, converted: 2, returned: 1, contacted: 1, conversionRate: 0.25, returnRate: 0.125 });
    // The posts themselves are older than the traffic hour by now.
    expect(s.snapshot('acme', now)).toMatchObject({ wins: 0, acceptRate: 0 });
    expect(s.snapshot('acme', T0 + MIN)).toMatchObject({ wins: 10, accepted: 8, acceptRate: 0.8 });
  });

  it('a buyer with no history reads as zeros, and buyers are kept apart', () => {
    const s = new BuyerSignals();
    s.recordPing('acme', 'BID', 100, 1000, T0);
    expect(s.snapshot('bolt', T0)).toMatchObject({ pings: 0, bidRate: 0, avgBidCents: 0, p95LatencyMs: 0, conversionRate: 0 });
    s.forget('acme');
    expect(s.snapshot('acme', T0).pings).toBe(0);
  });
});

function snapshot(overrides: Partial<BuyerSnapshot>): BuyerSnapshot {
  return {
    pings: 200, bids: 150, bidRate: 0.75, wins: 40, accepted: 36, acceptRate: 0.9, lateAccepts: 0, timeouts: 4, timeoutRate: 0.02,
    avgBidCents: 2300, avgLatencyMs: 90, p95LatencyMs: 200, sold: 60, converted: 9, returned: 3, contacted: 20,
    conversionRate: 0.15, returnRate: 0.05, ...overrides,
  };
}

describe('suggestTier', () => {
  it('a buyer that converts and accepts well is proposed one tier up, with reasons', () => {
    const s = suggestTier(snapshot({}), 2, 3);
    expect(s.action).toBe('promote');
    expect(s.tier).toBe(1);
    expect(s.reasons.join(' ')).toMatch(/conversion rate 15%.*accept rate 90%/);
  });

  it('a buyer timing out on a fifth of its pings is proposed one tier down', () => {
    const s = suggestTier(snapshot({ timeouts: 50, timeoutRate: 0.25 }), 0, 3);
    expect(s).toMatchObject({ action: 'demote', tier: 1 });
    expect(s.reasons[0]).toContain('timeout rate 25%');
  });

  it('a buyer returning too many leads is proposed one tier down', () => {
    expect(suggestTier(snapshot({ returned: 18, returnRate: 0.3 }), 1, 3)).toMatchObject({ action: 'demote', tier: 2 });
  });

  it('demotion wins over promotion', () => {
    expect(suggestTier(snapshot({ timeoutRate: 0.3, conversionRate: 0.5 }), 1, 3).action).toBe('demote');
  });

  it('too few samples mean no change, however good or bad the rates', () => {
    expect(suggestTier(snapshot({ sold: 5 }), 2, 3)).toMatchObject({ action: 'stay', tier: 2 });
    expect(suggestTier(snapshot({ pings: 10, timeoutRate: 0.9, sold: 5 }), 0, 3)).toMatchObject({ action: 'stay', tier: 0 });
    expect(suggestTier(snapshot({ wins: 3 }), 2, 3).reasons[0]).toContain('posts');
  });

  it('the first tier cannot be promoted from and the last cannot be demoted from', () => {
    expect(suggestTier(snapshot({}), 0, 3)).toMatchObject({ action: 'stay', tier: 0 });
    expect(suggestTier(snapshot({ timeoutRate: 0.5 }), 2, 3)).toMatchObject({ action: 'stay', tier: 2 });
  });

  it('a buyer below the promotion thresholds stays', () => {
    expect(suggestTier(snapshot({ conversionRate: 0.05 }), 2, 3)).toMatchObject({ action: 'stay', reasons: ['performance within the thresholds'] });
    expect(suggestTier(snapshot({ acceptRate: 0.5 }), 2, 3, { ...DEFAULT_TIER_POLICY, promoteAcceptRate: 0.6 }).action).toBe('stay');
  });

  it('a stricter policy changes the answer', () => {
    expect(suggestTier(snapshot({}), 2, 3, { ...DEFAULT_TIER_POLICY, promoteConversionRate: 0.2 }).action).toBe('stay');
  });
});

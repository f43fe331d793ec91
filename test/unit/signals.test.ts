import { describe, expect, it } from 'vitest';
import type { OutcomeCode } from '../../src/shared/domain.js';
import { BuyerSignals } from '../../src/engine/signals/rolling-signals.js';
import { SourceSignals } from '../../src/engine/signals/source-signals.js';

const AUTO = 'auto';

const T0 = Date.parse('2026-11-30T15:00:00Z');
const MIN = 60_000;

function ping(buyerId: string, outcome: OutcomeCode, latencyMs: number | null, bidCents: number | null, at: number, campaignId = AUTO) {
  return { buyerId, campaignId, outcome, latencyMs, bidCents, at };
}

describe('BuyerSignals', () => {
  it('bid rate, average bid and timeout rate come from the pings of the last hour', () => {
    const s = new BuyerSignals();
    s.recordPing(ping('acme', 'BID', 80, 2000, T0));
    s.recordPing(ping('acme', 'BID', 120, 3000, T0 + MIN));
    s.recordPing(ping('acme', 'BELOW_FLOOR', 90, 400, T0 + 2 * MIN));
    s.recordPing(ping('acme', 'NO_BID', 50, null, T0 + 3 * MIN));
    s.recordPing(ping('acme', 'TIMEOUT', 300, null, T0 + 4 * MIN));
    const snap = s.snapshot('acme', AUTO, T0 + 5 * MIN);
    expect(snap).toMatchObject({ pings: 5, bids: 3, bidRate: 0.6, avgBidCents: 1800, timeouts: 1, timeoutRate: 0.2, avgLatencyMs: 128 });
  });

  it('eligibility exclusions are not pings', () => {
    const s = new BuyerSignals();
    s.recordPing(ping('acme', 'FILTERED_STATE', null, null, T0));
    s.recordPing(ping('acme', 'CAP_REACHED', null, null, T0));
    expect(s.snapshot('acme', AUTO, T0).pings).toBe(0);
  });

  it('a late answer counts as a timeout', () => {
    const s = new BuyerSignals();
    s.recordPing(ping('acme', 'LATE', 420, 2500, T0));
    expect(s.snapshot('acme', AUTO, T0)).toMatchObject({ pings: 1, bids: 0, timeoutRate: 1 });
  });

  it('pings older than the window drop out as time passes', () => {
    const s = new BuyerSignals();
    s.recordPing(ping('acme', 'TIMEOUT', 300, null, T0));
    s.recordPing(ping('acme', 'BID', 100, 2000, T0 + 30 * MIN));
    expect(s.snapshot('acme', AUTO, T0 + 59 * MIN)).toMatchObject({ pings: 2, timeoutRate: 0.5 });
    expect(s.snapshot('acme', AUTO, T0 + 60 * MIN)).toMatchObject({ pings: 1, timeoutRate: 0 });
    expect(s.snapshot('acme', AUTO, T0 + 120 * MIN).pings).toBe(0);
  });

  it('five hours of steady traffic still reports one hour of it', () => {
    const s = new BuyerSignals();
    for (let m = 0; m < 300; m++) for (let i = 0; i < 10; i++) s.recordPing(ping('acme', 'BID', 100, 1000, T0 + m * MIN + i));
    expect(s.snapshot('acme', AUTO, T0 + 299 * MIN).pings).toBe(600);
  });

  it('an event older than the remembered window is ignored rather than counted as new', () => {
    const s = new BuyerSignals();
    s.recordPing(ping('acme', 'BID', 100, 1000, T0 + 90 * MIN));
    s.recordPing(ping('acme', 'TIMEOUT', 300, null, T0 + 30 * MIN)); // same ring slot, an hour older
    expect(s.snapshot('acme', AUTO, T0 + 90 * MIN)).toMatchObject({ pings: 1, timeouts: 0 });
  });

  it('p95 latency reflects the slow tail, not the average', () => {
    const s = new BuyerSignals();
    for (let i = 0; i < 90; i++) s.recordPing(ping('acme', 'BID', 40, 1000, T0));
    for (let i = 0; i < 10; i++) s.recordPing(ping('acme', 'BID', 260, 1000, T0));
    const snap = s.snapshot('acme', AUTO, T0);
    expect(snap.avgLatencyMs).toBe(62);
    expect(snap.p95LatencyMs).toBeGreaterThanOrEqual(250);
    expect(snap.p95LatencyMs).toBeLessThanOrEqual(300);
  });

  it('accept rate comes from posts, conversion and return rates from feedback on sales', () => {
    const s = new BuyerSignals();
    for (let i = 0; i < 8; i++) s.recordPost('acme', AUTO, true, T0 + i);
    for (let i = 0; i < 2; i++) s.recordPost('acme', AUTO, false, T0 + i);
    s.recordFeedback('acme', AUTO, 'converted', T0 + 3 * 3_600_000);
    s.recordFeedback('acme', AUTO, 'converted', T0 + 3 * 3_600_000);
    s.recordFeedback('acme', AUTO, 'returned', T0 + 4 * 3_600_000);
    s.recordFeedback('acme', AUTO, 'contacted', T0 + 4 * 3_600_000);
    const now = T0 + 5 * 3_600_000;
    expect(s.snapshot('acme', AUTO, now)).toMatchObject({ sold: 8, converted: 2, returned: 1, contacted: 1, conversionRate: 0.25, returnRate: 0.125 });
    // The posts themselves are older than the traffic hour by now.
    expect(s.snapshot('acme', AUTO, now)).toMatchObject({ wins: 0, acceptRate: 0 });
    expect(s.snapshot('acme', AUTO, T0 + MIN)).toMatchObject({ wins: 10, accepted: 8, acceptRate: 0.8 });
  });

  it('a buyer with no history reads as zeros, and buyers are kept apart', () => {
    const s = new BuyerSignals();
    s.recordPing(ping('acme', 'BID', 100, 1000, T0));
    expect(s.snapshot('bolt', AUTO, T0)).toMatchObject({ pings: 0, bidRate: 0, avgBidCents: 0, p95LatencyMs: 0, conversionRate: 0 });
    s.forget('acme');
    expect(s.snapshot('acme', AUTO, T0).pings).toBe(0);
  });
});

describe('per-campaign buyer signals', () => {
  it('a buyer\'s figures on one campaign are not mixed with its figures on another', () => {
    const s = new BuyerSignals();
    for (let i = 0; i < 4; i++) s.recordPing(ping('acme', 'BID', 50, 2000, T0 + i, 'auto'));
    s.recordPing(ping('acme', 'TIMEOUT', 300, null, T0, 'home'));
    s.recordPost('acme', 'auto', true, T0);
    s.recordPost('acme', 'home', false, T0);
    s.recordFeedback('acme', 'auto', 'converted', T0 + MIN);
    expect(s.snapshot('acme', 'auto', T0 + MIN)).toMatchObject({ pings: 4, bids: 4, timeouts: 0, wins: 1, winRate: 0.25, accepted: 1, sold: 1, converted: 1, conversionRate: 1 });
    expect(s.snapshot('acme', 'home', T0 + MIN)).toMatchObject({ pings: 1, bids: 0, timeouts: 1, wins: 1, accepted: 0, sold: 0, converted: 0 });
    expect(s.snapshot('acme', null, T0 + MIN)).toMatchObject({ pings: 5, bids: 4, timeouts: 1, wins: 2, accepted: 1, sold: 1 });
    expect(s.campaignsOf('acme').sort()).toEqual(['auto', 'home']);
  });

  it('late accepts count on the campaign of the post', () => {
    const s = new BuyerSignals();
    s.recordLateAccept('acme', 'home', T0);
    expect(s.snapshot('acme', 'home', T0).lateAccepts).toBe(1);
    expect(s.snapshot('acme', 'auto', T0).lateAccepts).toBe(0);
  });
});

describe('SourceSignals', () => {
  it('leads, sold rate, average price and return rate are kept per source and campaign over a week', () => {
    const s = new SourceSignals();
    s.recordLead({ sourceId: 'pub-1', campaignId: 'auto', sold: true, priceCents: 3000, payoutCents: 2100, at: T0 });
    s.recordLead({ sourceId: 'pub-1', campaignId: 'auto', sold: true, priceCents: 2000, payoutCents: 1400, at: T0 + MIN });
    s.recordLead({ sourceId: 'pub-1', campaignId: 'auto', sold: false, priceCents: null, payoutCents: null, at: T0 + 2 * MIN });
    s.recordLead({ sourceId: 'pub-1', campaignId: 'home', sold: false, priceCents: null, payoutCents: null, at: T0 });
    s.recordReturn('pub-1', 'auto', T0 + 86_400_000);
    expect(s.snapshot('pub-1', 'auto', T0 + 86_400_000)).toEqual({ leads: 3, sold: 2, soldRate: 2 / 3, avgPriceCents: 2500, avgPayoutCents: 1750, returned: 1, returnRate: 0.5 });
    expect(s.snapshot('pub-1', 'home', T0)).toMatchObject({ leads: 1, sold: 0, avgPriceCents: 0 });
    expect(s.snapshot('pub-1', 'auto', T0 + 8 * 86_400_000).leads).toBe(0);
  });
});

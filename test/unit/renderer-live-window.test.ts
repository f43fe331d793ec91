import { describe, expect, it } from 'vitest';
import { describeImpact, formatSpan } from '../../src/renderer/features/live/change-readout.js';
import { liveVsReports, liveWindowRange } from '../../src/renderer/store/live-window.js';
import type { ChangeImpact } from '../../src/shared/change-views.js';
import { overview, storeWith } from './renderer-store-fixtures.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('Live’s windows', () => {
  it('covers the last 5 minutes, the last hour on whole minutes, or today from local midnight', () => {
    const now = new Date(2026, 10, 28, 10, 42, 30).getTime();
    expect(liveWindowRange('5m', now)).toEqual({ from: now - 5 * MIN, to: now, bucketMs: 1000 });
    expect(liveWindowRange('1h', now)).toEqual({ from: new Date(2026, 10, 28, 9, 42, 0).getTime(), to: now, bucketMs: MIN });
    expect(liveWindowRange('today', now)).toEqual({ from: new Date(2026, 10, 28).getTime(), to: now, bucketMs: 5 * MIN });
  });

  it('switching the window reads that window’s figures, trend and markers from the engine', async () => {
    const { store, calls, now } = storeWith({
      'overview.get': (a) => overview(a.to, { from: a.from, revenue: 640 }),
      'timeseries.get': () => [],
      'changes.list': () => ({ changes: [], truncated: false }),
      'changes.impact': () => [],
    });
    await store.getState().figures.setWindow('1h');
    const f = store.getState().figures;
    expect(f.window).toBe('1h');
    expect(f.windowed?.overview.revenue).toBe(640);
    const range = liveWindowRange('1h', now());
    expect(calls.find((c) => c.name === 'overview.get')?.args).toEqual({ from: range.from, to: now() });
    expect(calls.find((c) => c.name === 'timeseries.get')?.args).toEqual({ from: range.from, to: now(), bucketMs: MIN });
    // The readout judges each change on a window as long as the chosen one.
    expect(calls.find((c) => c.name === 'changes.impact')?.args).toMatchObject({ windowMs: now() - range.from, latest: 3 });

    calls.length = 0;
    await store.getState().figures.setWindow('5m');
    expect(store.getState().figures.windowed).toBeNull();
    // The 5-minute figures are the engine's tick: no store read for them.
    expect(calls.map((c) => c.name).sort()).toEqual(['changes.impact', 'changes.list']);
  });
});

describe('why Live and Reports differ', () => {
  const now = Date.UTC(2026, 10, 28, 10, 0);
  const reports24h = { label: 'Last 24 h', from: now - 24 * HOUR, to: now, bucketMs: 15 * MIN };

  it('names the different windows, what Live’s 5 minutes count and the buckets', () => {
    const reasons = liveVsReports({ window: '5m', now }, reports24h);
    expect(reasons).toEqual([
      'they cover different time: Live shows last 5 min, Reports show last 24 h',
      expect.stringMatching(/^Live’s 5 minutes count auctions when they finish.*Reports count stored leads by the time they arrived/),
      'Reports’ charts add leads up in 15-minute buckets, so the newest bucket is still filling',
    ]);
  });

  it('has nothing to explain when both read the same hour from the store', () => {
    expect(liveVsReports({ window: '1h', now }, { label: 'Last hour', from: now - HOUR, to: now, bucketMs: MIN })).toBeNull();
  });
});

describe('the before/after readout', () => {
  const impact = (over: Partial<ChangeImpact> = {}): ChangeImpact => ({
    change: { seq: 3, at: Date.UTC(2026, 10, 28, 10, 42), actor: 'console', campaignId: 'auto', buyerId: null, subject: 'floor', summary: 'Premium floor $20.00 → $25.00', details: [], reason: null },
    campaignId: 'auto',
    before: { from: 0, to: 12 * MIN, auctions: 49, sold: 30, fillRate: 30 / 49, revenue: 600, avgPrice: 20 },
    since: { from: 12 * MIN, to: 24 * MIN, auctions: 46, sold: 22, fillRate: 22 / 46, revenue: 450, avgPrice: 20.45 },
    cutByNextChange: false,
    ...over,
  });

  it('reads like the operator would say it, numbers as the engine gave them', () => {
    const d = describeImpact(impact(), () => '10:42');
    expect(d.headline).toBe('Since Premium floor $20.00 → $25.00 at 10:42');
    expect(d.figures).toBe('fill 61.2% → 47.8%, leads 49 → 46, sold 30 → 22, revenue $600.00 → $450.00, avg price $20.00 → $20.45');
    expect(d.basis).toBe('The 12 min since the change against the 12 min before it; test leads left out.');
  });

  it('says when the next change cut the window, an automatic change’s reason, and a change just made', () => {
    const auto = impact({ cutByNextChange: true, change: { ...impact().change, reason: 'p50 of winning bids rose', actor: 'engine' } });
    expect(describeImpact(auto, () => '10:42').headline).toBe('Since Premium floor $20.00 → $25.00 (p50 of winning bids rose) at 10:42');
    expect(describeImpact(auto, () => '10:42').basis).toMatch(/\(until the next change\)/);
    const fresh = impact({ since: { ...impact().since, from: 5, to: 5 } });
    expect(describeImpact(fresh, () => '').basis).toBe('Nothing to compare yet: the change was just made.');
    expect(formatSpan(125 * MIN)).toBe('2 h 5 min');
    expect(formatSpan(30_000)).toBe('30 s');
  });
});

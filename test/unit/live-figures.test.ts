import { describe, expect, it } from 'vitest';
import { LiveFigures, type FinishedFigures } from '../../src/engine/observe/live-figures.js';

const T0 = 1_800_000_000_000;

function auction(startedAt: number, over: Partial<FinishedFigures> = {}): FinishedFigures {
  return { startedAt, status: 'sold', priceCents: 3000, payoutCents: 2100, marginCents: 900, latencyMs: 40, test: false, ...over };
}

describe('live headline figures', () => {
  it('sum the window, leave test leads out and report latency percentiles', () => {
    const f = new LiveFigures(5 * 60_000);
    for (let i = 0; i < 10; i += 1) f.record(auction(T0 + i * 1000, { latencyMs: 10 * (i + 1) }));
    f.record(auction(T0 + 11_000, { status: 'unsold', priceCents: null, payoutCents: null, marginCents: null }));
    f.record(auction(T0 + 12_000, { test: true }));
    const o = f.overview(T0 + 13_000);
    expect(o).toMatchObject({ leads: 11, sold: 10, unsold: 1, revenue: 300, payout: 210, margin: 90, p50LatencyMs: 50 });
    expect(o.fillRate).toBeCloseTo(10 / 11);
  });

  it('give leads a minute over the time seen, not over an empty five-minute window', () => {
    const f = new LiveFigures(5 * 60_000);
    for (let i = 0; i < 120; i += 1) f.record(auction(T0 + i * 1000));
    expect(f.overview(T0 + 120_000).leadsPerMinute).toBe(60);
  });

  it('forget auctions that left the window', () => {
    const f = new LiveFigures(60_000);
    f.record(auction(T0));
    f.record(auction(T0 + 90_000));
    expect(f.overview(T0 + 100_000).leads).toBe(1);
  });
});

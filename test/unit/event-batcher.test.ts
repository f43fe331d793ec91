import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuctionSummary, ConsoleEvents, EventName } from '../../src/shared/console-api.js';
import type { EventListener } from '../../src/engine/console/console-host.js';
import { createEventBatcher } from '../../src/engine/console/event-batcher.js';

function source() {
  const listeners = new Set<EventListener>();
  return {
    subscribe(fn: EventListener) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    emit<E extends EventName>(name: E, payload: ConsoleEvents[E]) {
      listeners.forEach((fn) => fn(name, payload));
    },
    size: () => listeners.size,
  };
}

function summary(i: number): AuctionSummary {
  return { id: `a${i}`, leadId: `l${i}`, campaignId: 'auto', sourceId: 'pub', state: null, startedAt: i, status: 'sold', tierReached: 0, winnerBuyerId: 'b', price: 10, payout: 7, margin: 3, latencyMs: 5, test: false, reason: null };
}

function recorder() {
  const received: Array<{ name: EventName; payload: unknown; at: number }> = [];
  const listener: EventListener = (name, payload) => received.push({ name, payload, at: Date.now() });
  return { received, listener, batches: () => received.filter((r) => r.name === 'auctions.batch').map((r) => r.payload as AuctionSummary[]) };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('event batcher', () => {
  it('turns 500 auctions a second for 2 s into at most ~10 batches, losing none below the cap', () => {
    const src = source();
    const batcher = createEventBatcher(src);
    const rec = recorder();
    batcher.subscribe(rec.listener);
    for (let i = 0; i < 1000; i++) {
      src.emit('auctions.batch', [summary(i)]);
      vi.advanceTimersByTime(2); // 500/s
    }
    vi.advanceTimersByTime(1000);
    const batches = rec.batches();
    expect(batches.length).toBeGreaterThanOrEqual(7);
    expect(batches.length).toBeLessThanOrEqual(10);
    expect(batches.flat().map((s) => s.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `a${i}`));
    const times = rec.received.map((r) => r.at);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(250);
    expect(batcher.stats()).toEqual({ batches: batches.length, summaries: 1000, dropped: 0 });
  });

  it('keeps only the newest summaries when a burst exceeds the batch size, and counts the drops', () => {
    const src = source();
    const batcher = createEventBatcher(src, { maxBatch: 100 });
    const rec = recorder();
    batcher.subscribe(rec.listener);
    src.emit('auctions.batch', Array.from({ length: 350 }, (_, i) => summary(i)));
    src.emit('auctions.batch', Array.from({ length: 50 }, (_, i) => summary(350 + i)));
    vi.advanceTimersByTime(300);
    const [batch] = rec.batches();
    expect(batch.map((s) => s.id)).toEqual(Array.from({ length: 100 }, (_, i) => `a${300 + i}`));
    expect(batcher.stats().dropped).toBe(300);
  });

  it('delivers a lone auction on the next tick and other events at once', () => {
    const src = source();
    const batcher = createEventBatcher(src);
    const rec = recorder();
    batcher.subscribe(rec.listener);
    src.emit('config.changed', { kind: 'buyer', id: 'acme', actor: 'console', at: 1 });
    expect(rec.received.map((r) => r.name)).toEqual(['config.changed']);
    src.emit('auctions.batch', [summary(1)]);
    expect(rec.batches()).toHaveLength(0);
    vi.advanceTimersByTime(0);
    expect(rec.batches()).toEqual([[summary(1)]]);
  });

  it('isolates a throwing listener from the others', () => {
    const src = source();
    const errors: unknown[] = [];
    const batcher = createEventBatcher(src, { onListenerError: (e) => errors.push(e) });
    const rec = recorder();
    batcher.subscribe(() => {
      throw new Error('renderer gone');
    });
    batcher.subscribe(rec.listener);
    src.emit('job.progress', { jobId: 'j', done: 1, total: 2 });
    expect(rec.received).toHaveLength(1);
    expect(errors).toHaveLength(1);
  });

  it('stops listening to the source on close and drops pending auctions', () => {
    const src = source();
    const batcher = createEventBatcher(src);
    const rec = recorder();
    const unsubscribe = batcher.subscribe(rec.listener);
    src.emit('auctions.batch', [summary(1)]);
    batcher.close();
    vi.advanceTimersByTime(1000);
    expect(rec.received).toHaveLength(0);
    expect(src.size()).toBe(0);
    unsubscribe();
  });
});

import { describe, expect, it } from 'vitest';
import { drainWithin } from '../../src/engine/drain.js';
import { once, StartedParts } from '../../src/engine/started-parts.js';

describe('started parts', () => {
  it('close in the reverse of their start order, each once, past a part that fails', async () => {
    const parts = new StartedParts();
    const closed: string[] = [];
    parts.add('lock', () => closed.push('lock'));
    parts.add('store', () => {
      closed.push('store');
      throw new Error('disk gone');
    });
    parts.add('listener', async () => {
      await new Promise((r) => setTimeout(r, 5));
      closed.push('listener');
    });
    const [first, second] = await Promise.all([parts.closeAll(), parts.closeAll()]);
    expect(closed).toEqual(['listener', 'store', 'lock']);
    expect(first.map((e) => e.message)).toEqual(['store did not close: disk gone']);
    expect(second).toBe(first);
  });

  it('once runs a close a single time', async () => {
    let calls = 0;
    const close = once(async () => void (calls += 1));
    await Promise.all([close(), close()]);
    expect(calls).toBe(1);
  });
});

describe('a bounded drain', () => {
  it('waits for work in flight and the listener when both end in time', async () => {
    let forced = false;
    const work = new Promise((r) => setTimeout(r, 20));
    const result = await drainWithin(1_000, { inFlight: () => [work], closeListener: () => Promise.resolve(), forceClose: () => (forced = true) });
    expect(result).toBe('drained');
    expect(forced).toBe(false);
  });

  it('cuts the connections still open once the time is over', async () => {
    let release: () => void = () => undefined;
    const listenerClosed = new Promise<void>((r) => (release = r));
    const started = Date.now();
    const result = await drainWithin(100, { inFlight: () => [], closeListener: () => listenerClosed, forceClose: () => release() });
    expect(result).toBe('forced');
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  it('does not wait for hung work past the time either', async () => {
    let cut = false;
    const result = await drainWithin(50, { inFlight: () => [new Promise(() => undefined)], closeListener: () => new Promise<void>((r) => setTimeout(() => cut && r(), 10)), forceClose: () => (cut = true) });
    expect(result).toBe('forced');
  });
});

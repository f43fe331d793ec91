import { describe, expect, it } from 'vitest';
import type { BuyerSpec } from '../../src/shared/domain.js';
import { CapsLedger, windowStarts } from '../../src/engine/tree/caps-ledger.js';
import { compileBuyer } from '../../src/engine/workspace/compile.js';

function buyer(caps: BuyerSpec['caps'], timezone?: string, id = 'acme') {
  return compileBuyer({
    id, name: id, post: { url: 'http://127.0.0.1:9/post' }, fixedPrice: 10, caps,
    schedule: timezone ? { timezone } : undefined,
  });
}

function ledgerAt(iso: string) {
  const clock = { now: Date.parse(iso) };
  const ledger = new CapsLedger({ now: () => clock.now });
  return { ledger, clock };
}

describe('CapsLedger', () => {
  it('two concurrent reservations cannot exceed an hourly cap of 1', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ hourly: 1 });
    const first = ledger.reserve(b, 2500);
    const second = ledger.reserve(b, 2500);
    expect(first).not.toBeNull();
    expect(second).toBeNull();
    expect(ledger.check(b)).toBe('CAP_REACHED');
  });

  it('a settled sale is charged even past the cap, because the buyer already has the lead', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ hourly: 1, dailyBudget: 30 });
    const held = ledger.reserve(b, 2500);
    expect(held).not.toBeNull();
    const records = ledger.chargeSettled(b, 2500);
    expect(records.map((r) => [r.window, r.count, r.spendCents])).toEqual([['hour', 1, 2500], ['day', 1, 2500]]);
    expect(ledger.usage(b)).toMatchObject({ hourly: 1, daily: 1, spendCents: 2500, reserved: { count: 1, spendCents: 2500 } });
    expect(ledger.reserve(b, 100)).toBeNull();
  });

  it('a released reservation frees its place for the next auction', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ hourly: 1 });
    const first = ledger.reserve(b, 2500)!;
    ledger.release(first);
    ledger.release(first);
    expect(ledger.check(b)).toBeNull();
    expect(ledger.reserve(b, 2500)).not.toBeNull();
  });

  it('a committed sale is charged to the hour and the day and returned for persistence', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ hourly: 5, daily: 10 });
    ledger.commit(ledger.reserve(b, 2500)!);
    const records = ledger.commit(ledger.reserve(b, 1000)!);
    expect(records).toEqual([
      { buyerId: 'acme', window: 'hour', windowStart: Date.parse('2026-11-30T15:00:00Z'), count: 2, spendCents: 3500 },
      { buyerId: 'acme', window: 'day', windowStart: Date.parse('2026-11-30T00:00:00Z'), count: 2, spendCents: 3500 },
    ]);
    expect(ledger.usage('acme')).toEqual({ hourly: 2, daily: 2, spendCents: 3500, reserved: { count: 0, spendCents: 0 } });
  });

  it('committing the same reservation twice throws instead of charging twice', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ daily: 10 });
    const r = ledger.reserve(b, 2500)!;
    ledger.commit(r);
    expect(() => ledger.commit(r)).toThrow(/not open/);
    expect(ledger.usage(b).daily).toBe(1);
  });

  it('the hourly cap opens again when the next UTC hour starts', () => {
    const { ledger, clock } = ledgerAt('2026-11-30T15:59:59Z');
    const b = buyer({ hourly: 1 });
    ledger.commit(ledger.reserve(b, 100)!);
    expect(ledger.check(b)).toBe('CAP_REACHED');
    clock.now = Date.parse('2026-11-30T16:00:00Z');
    expect(ledger.check(b)).toBeNull();
    expect(ledger.usage(b)).toMatchObject({ hourly: 0, daily: 1 });
  });

  it("a daily cap resets at midnight in the buyer's time zone, not at UTC midnight", () => {
    // 23:30 CST on Monday is 05:30 UTC on Tuesday.
    const { ledger, clock } = ledgerAt('2026-12-01T05:30:00Z');
    const b = buyer({ daily: 1 }, 'America/Chicago');
    ledger.commit(ledger.reserve(b, 100)!);
    clock.now = Date.parse('2026-12-01T05:59:00Z'); // 23:59 CST, same Chicago day
    expect(ledger.check(b)).toBe('CAP_REACHED');
    clock.now = Date.parse('2026-12-01T06:00:00Z'); // 00:00 CST
    expect(ledger.check(b)).toBeNull();
  });

  it('the daily budget refuses a sale that would overrun it, and allows one that lands exactly on it', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ dailyBudget: 50 });
    ledger.commit(ledger.reserve(b, 3000)!);
    expect(ledger.reserve(b, 2001)).toBeNull();
    expect(ledger.check(b, 2001)).toBe('BUDGET_REACHED');
    expect(ledger.check(b, 2000)).toBeNull();
    ledger.commit(ledger.reserve(b, 2000)!);
    expect(ledger.check(b)).toBe('BUDGET_REACHED');
  });

  it('reserved spend counts against the budget until released', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ dailyBudget: 50 });
    const r = ledger.reserve(b, 4000)!;
    expect(ledger.usage(b).reserved).toEqual({ count: 1, spendCents: 4000 });
    expect(ledger.reserve(b, 1500)).toBeNull();
    ledger.release(r);
    expect(ledger.reserve(b, 1500)).not.toBeNull();
  });

  it('a count cap is reported before the budget', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ hourly: 1, dailyBudget: 10 });
    ledger.commit(ledger.reserve(b, 1000)!);
    expect(ledger.check(b)).toBe('CAP_REACHED');
  });

  it('a cap of zero stops the buyer outright, and a buyer without caps is never stopped', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    expect(ledger.reserve(buyer({ daily: 0 }), 100)).toBeNull();
    const free = buyer(undefined, undefined, 'free');
    for (let i = 0; i < 100; i++) ledger.commit(ledger.reserve(free, 100_000)!);
    expect(ledger.usage(free)).toMatchObject({ hourly: 100, daily: 100, spendCents: 10_000_000 });
  });

  it('caps are per buyer', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    ledger.commit(ledger.reserve(buyer({ hourly: 1 }, undefined, 'acme'), 100)!);
    expect(ledger.check(buyer({ hourly: 1 }, undefined, 'bolt'))).toBeNull();
  });

  it('usage loaded after a restart counts in the current window and is ignored once the window passed', () => {
    const { ledger } = ledgerAt('2026-11-30T15:10:00Z');
    const b = buyer({ hourly: 3, daily: 5 });
    ledger.load([
      { buyerId: 'acme', window: 'hour', windowStart: Date.parse('2026-11-30T14:00:00Z'), count: 3, spendCents: 300 },
      { buyerId: 'acme', window: 'hour', windowStart: Date.parse('2026-11-30T15:00:00Z'), count: 2, spendCents: 200 },
      { buyerId: 'acme', window: 'day', windowStart: Date.parse('2026-11-29T00:00:00Z'), count: 5, spendCents: 900 },
      { buyerId: 'acme', window: 'day', windowStart: Date.parse('2026-11-30T00:00:00Z'), count: 4, spendCents: 700 },
    ]);
    expect(ledger.usage(b)).toMatchObject({ hourly: 2, daily: 4, spendCents: 700 });
    expect(ledger.reserve(b, 100)).not.toBeNull();
    expect(ledger.reserve(b, 100)).toBeNull();
  });
});

describe('windowStarts', () => {
  it('the hour is the UTC hour and the day starts at midnight in the buyer zone', () => {
    const now = Date.parse('2026-11-30T15:42:10Z');
    expect(windowStarts(buyer({}, 'America/Chicago'), now)).toEqual({ hour: Date.parse('2026-11-30T15:00:00Z'), day: Date.parse('2026-11-30T06:00:00Z') });
    expect(windowStarts(buyer({}), now)).toEqual({ hour: Date.parse('2026-11-30T15:00:00Z'), day: Date.parse('2026-11-30T00:00:00Z') });
  });

  it('on a DST day the day still starts at local midnight', () => {
    // 8 Mar 2026: Chicago midnight is CST (06:00 UTC) though the afternoon is CDT.
    expect(windowStarts(buyer({}, 'America/Chicago'), Date.parse('2026-03-08T20:00:00Z')).day).toBe(Date.parse('2026-03-08T06:00:00Z'));
    // 1 Nov 2026: midnight is CDT (05:00 UTC) though the afternoon is CST.
    expect(windowStarts(buyer({}, 'America/Chicago'), Date.parse('2026-11-01T20:00:00Z')).day).toBe(Date.parse('2026-11-01T05:00:00Z'));
  });

  it('where DST skips midnight, the day starts at the jump', () => {
    // Havana springs from 00:00 to 01:00 on 8 Mar 2026 (UTC-5 → UTC-4).
    expect(windowStarts(buyer({}, 'America/Havana'), Date.parse('2026-03-08T15:00:00Z')).day).toBe(Date.parse('2026-03-08T05:00:00Z'));
  });

  it('consecutive days in the same zone get their own starts', () => {
    const b = buyer({}, 'Asia/Kolkata');
    expect(windowStarts(b, Date.parse('2026-11-30T18:29:59Z')).day).toBe(Date.parse('2026-11-29T18:30:00Z'));
    expect(windowStarts(b, Date.parse('2026-11-30T18:30:00Z')).day).toBe(Date.parse('2026-11-30T18:30:00Z'));
  });
});

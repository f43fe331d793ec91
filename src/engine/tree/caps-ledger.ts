import type { Cents } from '../money.js';
import type { CapUsageRecord } from '../store/records.js';
import type { RuntimeBuyer } from '../workspace/runtime.js';
import { startOfZonedDay } from './zoned-time.js';

const HOUR_MS = 3_600_000;
/** A local day lasts at least 23 hours, so a day start stays valid this long after it. */
const SHORTEST_DAY_MS = 23 * HOUR_MS;

export type CapCode = 'CAP_REACHED' | 'BUDGET_REACHED';

/** A hold on one sale's worth of a buyer's caps while its post is in flight. */
export interface Reservation {
  readonly id: number;
  readonly buyerId: string;
  readonly priceCents: Cents;
}

export interface BuyerUsage {
  hourly: number;
  daily: number;
  spendCents: Cents;
  /** Held by reservations not yet committed or released. */
  reserved: { count: number; spendCents: Cents };
}

interface Counter {
  start: number;
  count: number;
  spendCents: Cents;
}

interface Held {
  count: number;
  spendCents: Cents;
}

const dayStartCache = new Map<string, { start: number; validUntil: number }>();

/**
 * Start of the hour (UTC) and of the day (in the buyer's schedule time zone, UTC without one)
 * containing `nowMs`. A buyer's "daily 200" means its own business day.
 */
export function windowStarts(buyer: RuntimeBuyer, nowMs: number): { hour: number; day: number } {
  return zoneWindowStarts(zoneOf(buyer), nowMs);
}

function zoneOf(buyer: RuntimeBuyer): string {
  return buyer.spec.schedule?.timezone ?? 'UTC';
}

function zoneWindowStarts(zone: string, nowMs: number): { hour: number; day: number } {
  const hour = Math.floor(nowMs / HOUR_MS) * HOUR_MS;
  const cached = dayStartCache.get(zone);
  if (cached && nowMs >= cached.start && nowMs < cached.validUntil) return { hour, day: cached.start };
  const day = startOfZonedDay(zone, nowMs);
  dayStartCache.set(zone, { start: day, validUntil: day + SHORTEST_DAY_MS });
  return { hour, day };
}

/**
 * The authoritative cap and budget counters of this engine process. Everything is synchronous,
 * so on one event loop a check followed by a reservation cannot interleave with another auction:
 * concurrent auctions see each other's holds, and caps hold under load. The store persists what
 * `commit` returns and hands it back to `load` after a restart.
 *
 * A window rolls over lazily: a counter whose start is not the current window's reads as zero.
 */
export class CapsLedger {
  private readonly now: () => number;
  private readonly hours = new Map<string, Counter>();
  private readonly days = new Map<string, Counter>();
  private readonly held = new Map<string, Held>();
  private readonly open = new Map<number, { reservation: Reservation; buyer: RuntimeBuyer }>();
  /** Time zone of each buyer seen, so `usage(id)` reads the right day. */
  private readonly zones = new Map<string, string>();
  private nextId = 1;

  constructor(opts: { now: () => number }) {
    this.now = opts.now;
  }

  /** Restores persisted usage; for each buyer and window the latest window start wins. */
  load(records: readonly CapUsageRecord[]): void {
    for (const r of records) {
      const map = r.window === 'hour' ? this.hours : this.days;
      const current = map.get(r.buyerId);
      if (!current || r.windowStart >= current.start) map.set(r.buyerId, { start: r.windowStart, count: r.count, spendCents: r.spendCents });
    }
  }

  /**
   * Which cap stops this buyer now, counting committed sales and open reservations; null when
   * none does. With `priceCents`, the budget must also have room for that price.
   */
  check(buyer: RuntimeBuyer, priceCents?: Cents): CapCode | null {
    this.zones.set(buyer.id, zoneOf(buyer));
    const { hour, day } = this.current(buyer.id, zoneOf(buyer));
    const held = this.held.get(buyer.id) ?? { count: 0, spendCents: 0 };
    const { hourly, daily, dailyBudgetCents } = buyer.caps;
    if (hourly !== undefined && hour.count + held.count >= hourly) return 'CAP_REACHED';
    if (daily !== undefined && day.count + held.count >= daily) return 'CAP_REACHED';
    if (dailyBudgetCents !== undefined) {
      const committed = day.spendCents + held.spendCents;
      if (priceCents === undefined ? committed >= dailyBudgetCents : committed + priceCents > dailyBudgetCents) return 'BUDGET_REACHED';
    }
    return null;
  }

  /** Holds one sale at `priceCents`; null when it would overrun the hourly or daily count or the daily budget. */
  reserve(buyer: RuntimeBuyer, priceCents: Cents): Reservation | null {
    if (this.check(buyer, priceCents) !== null) return null;
    const reservation: Reservation = { id: this.nextId++, buyerId: buyer.id, priceCents };
    this.open.set(reservation.id, { reservation, buyer });
    const held = this.held.get(buyer.id) ?? { count: 0, spendCents: 0 };
    this.held.set(buyer.id, { count: held.count + 1, spendCents: held.spendCents + priceCents });
    return reservation;
  }

  /**
   * Turns a reservation into usage of the windows current now (a sale counts when it happens) and
   * returns the absolute hour and day records to persist. Committing a reservation that is not
   * open is a programming error and throws, because charging twice would corrupt the caps.
   */
  commit(reservation: Reservation): CapUsageRecord[] {
    const entry = this.settle(reservation);
    if (!entry) throw new Error(`reservation ${reservation.id} for buyer ${reservation.buyerId} is not open`);
    const { hour, day } = this.current(reservation.buyerId, zoneOf(entry.buyer));
    hour.count += 1;
    hour.spendCents += reservation.priceCents;
    day.count += 1;
    day.spendCents += reservation.priceCents;
    return [
      { buyerId: reservation.buyerId, window: 'hour', windowStart: hour.start, count: hour.count, spendCents: hour.spendCents },
      { buyerId: reservation.buyerId, window: 'day', windowStart: day.start, count: day.count, spendCents: day.spendCents },
    ];
  }

  /**
   * Counts a sale that already happened, even past a cap or budget: an operator settled a post whose
   * outcome was unknown as sold, so the buyer did receive the lead. Returns the records to persist.
   */
  chargeSettled(buyer: RuntimeBuyer, priceCents: Cents): CapUsageRecord[] {
    const reservation: Reservation = { id: this.nextId++, buyerId: buyer.id, priceCents };
    this.open.set(reservation.id, { reservation, buyer });
    const held = this.held.get(buyer.id) ?? { count: 0, spendCents: 0 };
    this.held.set(buyer.id, { count: held.count + 1, spendCents: held.spendCents + priceCents });
    return this.commit(reservation);
  }

  /** Gives a hold back (post rejected, failed or timed out). Releasing twice is harmless. */
  release(reservation: Reservation): void {
    this.settle(reservation);
  }

  /**
   * Committed usage in the current windows. The day window needs the buyer's time zone: pass the
   * buyer, or an id this ledger has already seen (otherwise the day is read in UTC).
   */
  usage(buyerOrId: RuntimeBuyer | string): BuyerUsage {
    const id = typeof buyerOrId === 'string' ? buyerOrId : buyerOrId.id;
    const zone = typeof buyerOrId === 'string' ? (this.zones.get(id) ?? 'UTC') : zoneOf(buyerOrId);
    const { hour, day } = this.current(id, zone);
    const held = this.held.get(id) ?? { count: 0, spendCents: 0 };
    return { hourly: hour.count, daily: day.count, spendCents: day.spendCents, reserved: { ...held } };
  }

  private settle(reservation: Reservation): { reservation: Reservation; buyer: RuntimeBuyer } | undefined {
    const entry = this.open.get(reservation.id);
    if (!entry) return undefined;
    this.open.delete(reservation.id);
    const held = this.held.get(reservation.buyerId);
    if (held) {
      const next = { count: held.count - 1, spendCents: held.spendCents - reservation.priceCents };
      if (next.count <= 0) this.held.delete(reservation.buyerId);
      else this.held.set(reservation.buyerId, next);
    }
    return entry;
  }

  /** The buyer's counters for the current windows, rolled over (reset) when a window has passed. */
  private current(buyerId: string, zone: string): { hour: Counter; day: Counter } {
    const starts = zoneWindowStarts(zone, this.now());
    return { hour: rolled(this.hours, buyerId, starts.hour), day: rolled(this.days, buyerId, starts.day) };
  }
}

/**
 * A counter from an earlier window starts again at zero. One from a later window (the clock went
 * back, or the buyer's zone moved west) is kept as it is: over-counting a cap is the safe error.
 */
function rolled(map: Map<string, Counter>, buyerId: string, start: number): Counter {
  let counter = map.get(buyerId);
  if (!counter || counter.start < start) {
    counter = { start, count: 0, spendCents: 0 };
    map.set(buyerId, counter);
  }
  return counter;
}

import type { Weekday } from '../../shared/domain.js';

/** Wall-clock reading of an instant in an IANA time zone. */
export interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: Weekday;
}

const WEEKDAYS: Record<string, Weekday> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** Building a DateTimeFormat costs far more than using one; one per zone lives for the process. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Throws RangeError for an unknown zone (the workspace schema refuses those before they get here). */
export function zonedParts(timeZone: string, epochMs: number): ZonedParts {
  const out: ZonedParts = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 'mon' };
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    switch (part.type) {
      case 'year': out.year = Number(part.value); break;
      case 'month': out.month = Number(part.value); break;
      case 'day': out.day = Number(part.value); break;
      case 'hour': out.hour = Number(part.value) % 24; break;
      case 'minute': out.minute = Number(part.value); break;
      case 'second': out.second = Number(part.value); break;
      case 'weekday': out.weekday = WEEKDAYS[part.value] ?? 'mon'; break;
      default: break;
    }
  }
  return out;
}

/** The zone's offset from UTC at an instant, in ms (Chicago in winter: -6 h). */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const p = zonedParts(timeZone, epochMs);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - (epochMs - (((epochMs % 1000) + 1000) % 1000));
}

/**
 * The first instant of the local calendar day containing `epochMs`. Usually local midnight; on a
 * day whose midnight is skipped by a DST change it is the instant the day began (the transition).
 */
export function startOfZonedDay(timeZone: string, epochMs: number): number {
  const p = zonedParts(timeZone, epochMs);
  const wallMidnight = Date.UTC(p.year, p.month - 1, p.day);
  // Two passes: the offset at midnight can differ from the offset now when DST changed today.
  let start = wallMidnight - zoneOffsetMs(timeZone, epochMs);
  start = wallMidnight - zoneOffsetMs(timeZone, start);
  if (!sameDay(zonedParts(timeZone, start), p)) {
    // Midnight did not exist here (a DST jump at 00:00): the day began at the transition, the
    // first instant whose local date is today. Rare, so a bisection to the second is fine.
    let before = start;
    let after = epochMs;
    while (after - before > 1000) {
      const mid = before + Math.floor((after - before) / 2);
      if (sameDay(zonedParts(timeZone, mid), p)) after = mid;
      else before = mid;
    }
    start = after - (((after % 1000) + 1000) % 1000);
  }
  return start;
}

function sameDay(a: ZonedParts, b: ZonedParts): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day;
}

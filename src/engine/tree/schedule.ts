import type { ScheduleSpec, Weekday } from '../../shared/domain.js';
import { zonedParts } from './zoned-time.js';

const DAY_ORDER: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MINUTES_PER_DAY = 24 * 60;

function minutesOf(hhmm: string | undefined, fallback: number): number {
  if (!hhmm) return fallback;
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

function previousDay(day: Weekday): Weekday {
  return DAY_ORDER[(DAY_ORDER.indexOf(day) + 6) % 7];
}

/**
 * Whether a buyer takes leads at `nowMs`, read on the wall clock of the schedule's time zone (so
 * DST is the zone's business, not ours). No schedule means always open. `from` is inclusive, `to`
 * exclusive; `from` absent is 00:00 and `to` absent is the end of the day; `from` equal to `to`
 * is the whole day. A window that crosses midnight ("22:00" to "06:00") belongs to the day it
 * starts on: with days ["fri"], Saturday 03:00 is open and Friday 03:00 is not.
 */
export function isScheduleOpen(schedule: ScheduleSpec | undefined, nowMs: number): boolean {
  if (!schedule) return true;
  let local;
  try {
    local = zonedParts(schedule.timezone, nowMs);
  } catch {
    // An unknown zone cannot say when the buyer works; closed is the safe answer.
    return false;
  }
  const from = minutesOf(schedule.from, 0);
  const to = minutesOf(schedule.to, MINUTES_PER_DAY);
  const minute = local.hour * 60 + local.minute;
  const worksOn = (day: Weekday): boolean => !schedule.days || schedule.days.includes(day);
  if (from === to) return worksOn(local.weekday);
  if (from < to) return worksOn(local.weekday) && minute >= from && minute < to;
  if (minute >= from) return worksOn(local.weekday);
  return minute < to && worksOn(previousDay(local.weekday));
}

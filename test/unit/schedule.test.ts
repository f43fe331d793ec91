import { describe, expect, it } from 'vitest';
import type { ScheduleSpec } from '../../src/shared/domain.js';
import { isScheduleOpen } from '../../src/engine/tree/schedule.js';

const weekdays: ScheduleSpec = { timezone: 'America/Chicago', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '20:00' };
const at = (iso: string) => Date.parse(iso);

describe('isScheduleOpen', () => {
  it.each([
    // Monday 30 Nov 2026, Chicago on CST (UTC-6)
    ['a buyer whose schedule ends at 20:00 Chicago time is out of schedule at 20:30 CST', '2026-12-01T02:30:00Z', false],
    ['it is still open at 19:59 CST', '2026-12-01T01:59:00Z', true],
    ['20:00 itself is closed (to is exclusive)', '2026-12-01T02:00:00Z', false],
    ['08:00 itself is open (from is inclusive)', '2026-11-30T14:00:00Z', true],
    ['07:59 CST is closed', '2026-11-30T13:59:00Z', false],
    ['14:00 UTC on a Monday is 08:00 in Chicago, not 14:00', '2026-11-30T14:00:00Z', true],
    ['Saturday noon is closed on a weekday schedule', '2026-11-28T18:00:00Z', false],
    // Friday 21:00 CST is already Saturday 03:00 UTC: the buyer's day, not UTC's, decides.
    ['Friday 19:30 CST (Saturday in UTC) is open', '2026-11-28T01:30:00Z', true],
  ])('%s', (_name, iso, open) => {
    expect(isScheduleOpen(weekdays, at(iso))).toBe(open);
  });

  it('daylight saving time moves the UTC hours of the window', () => {
    // Monday 6 Jul 2026, CDT (UTC-5): 08:00 local is 13:00 UTC.
    expect(isScheduleOpen(weekdays, at('2026-07-06T13:00:00Z'))).toBe(true);
    expect(isScheduleOpen(weekdays, at('2026-07-06T12:59:00Z'))).toBe(false);
    // The same UTC time in winter is 07:00 CST.
    expect(isScheduleOpen(weekdays, at('2026-11-30T13:00:00Z'))).toBe(false);
  });

  it('on the spring-forward night, the first minute after the jump is 03:00 local', () => {
    const night: ScheduleSpec = { timezone: 'America/Chicago', from: '03:00', to: '04:00' };
    expect(isScheduleOpen(night, at('2026-03-08T07:59:00Z'))).toBe(false); // 01:59 CST
    expect(isScheduleOpen(night, at('2026-03-08T08:00:00Z'))).toBe(true); // 03:00 CDT
    expect(isScheduleOpen(night, at('2026-03-08T09:00:00Z'))).toBe(false); // 04:00 CDT
  });

  describe('a window that crosses midnight belongs to the day it starts on', () => {
    const overnight: ScheduleSpec = { timezone: 'America/Chicago', days: ['fri'], from: '22:00', to: '06:00' };
    it.each([
      ['Friday 23:00 is open', '2026-11-28T05:00:00Z', true],
      ['Saturday 03:00 is open (Friday night shift)', '2026-11-28T09:00:00Z', true],
      ['Saturday 06:00 is closed', '2026-11-28T12:00:00Z', false],
      ['Friday 03:00 is closed (Thursday is not a working day)', '2026-11-27T09:00:00Z', false],
      ['Saturday 22:30 is closed', '2026-11-29T04:30:00Z', false],
      ['Friday 21:59 is closed', '2026-11-28T03:59:00Z', false],
    ])('%s', (_name, iso, open) => {
      expect(isScheduleOpen(overnight, at(iso))).toBe(open);
    });
  });

  it('a zone with a half-hour offset is read on its own clock', () => {
    const kolkata: ScheduleSpec = { timezone: 'Asia/Kolkata', from: '09:00', to: '18:00' };
    expect(isScheduleOpen(kolkata, at('2026-11-30T03:30:00Z'))).toBe(true); // 09:00 IST
    expect(isScheduleOpen(kolkata, at('2026-11-30T03:29:00Z'))).toBe(false); // 08:59 IST
  });

  it('no schedule means always open; days without hours means all day on those days', () => {
    expect(isScheduleOpen(undefined, at('2026-11-28T03:00:00Z'))).toBe(true);
    const weekends: ScheduleSpec = { timezone: 'America/New_York', days: ['sat', 'sun'] };
    expect(isScheduleOpen(weekends, at('2026-11-28T05:00:00Z'))).toBe(true); // Sat 00:00 EST
    expect(isScheduleOpen(weekends, at('2026-11-28T04:59:00Z'))).toBe(false); // Fri 23:59 EST
  });

  it('only a "to" closes the day at that time; only a "from" opens it until midnight', () => {
    expect(isScheduleOpen({ timezone: 'UTC', to: '12:00' }, at('2026-11-30T11:59:00Z'))).toBe(true);
    expect(isScheduleOpen({ timezone: 'UTC', to: '12:00' }, at('2026-11-30T12:00:00Z'))).toBe(false);
    expect(isScheduleOpen({ timezone: 'UTC', from: '12:00' }, at('2026-11-30T23:59:00Z'))).toBe(true);
    expect(isScheduleOpen({ timezone: 'UTC', from: '12:00' }, at('2026-11-30T11:59:00Z'))).toBe(false);
  });

  it('an unknown time zone is treated as closed', () => {
    expect(isScheduleOpen({ timezone: 'Mars/Olympus_Mons' }, at('2026-11-30T12:00:00Z'))).toBe(false);
  });
});

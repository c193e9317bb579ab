import { hoursOn } from '../../../../test/support/calendars';
import {
  addBusinessTime,
  businessTimeBetween,
  CalendarNeverOpensError,
  instantOfWallTime,
  type BusinessCalendar,
} from './business-calendar';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Monday to Friday, 9 to 5 in Paris, closed on 1 May 2026 (a Friday). */
const paris: BusinessCalendar = {
  timeZone: 'Europe/Paris',
  hours: hoursOn('09:00', '17:00'),
  holidays: ['2026-05-01'],
};

const at = (iso: string) => new Date(iso);
const add = (iso: string, ms: number, calendar?: BusinessCalendar) =>
  addBusinessTime(at(iso), ms, calendar).toISOString();

describe('business time', () => {
  it('runs around the clock without a calendar', () => {
    expect(add('2026-03-06T23:00:00.000Z', 4 * HOUR)).toBe('2026-03-07T03:00:00.000Z');
  });

  it('runs within the opening hours of the day', () => {
    // Tuesday 10:00 in Paris (UTC+1 in winter).
    expect(add('2026-03-03T09:00:00.000Z', 2 * HOUR, paris)).toBe('2026-03-03T11:00:00.000Z');
  });

  it('stops at night and goes on the next morning', () => {
    // Tuesday 16:00 Paris + 2 h: 1 h on Tuesday, 1 h from Wednesday 09:00.
    expect(add('2026-03-03T15:00:00.000Z', 2 * HOUR, paris)).toBe('2026-03-04T09:00:00.000Z');
  });

  it('starts at the opening when started before it', () => {
    // Tuesday 06:00 Paris + 30 min: Tuesday 09:30.
    expect(add('2026-03-03T05:00:00.000Z', 30 * MINUTE, paris)).toBe('2026-03-03T08:30:00.000Z');
  });

  it('skips the weekend', () => {
    // Friday 16:30 Paris + 1 h: 30 min on Friday, 30 min from Monday 09:00.
    expect(add('2026-03-06T15:30:00.000Z', HOUR, paris)).toBe('2026-03-09T08:30:00.000Z');
  });

  it('skips holidays', () => {
    // Thursday 30 April 16:00 Paris (UTC+2) + 2 h: 1 h on Thursday, Friday 1 May closed, then Monday.
    expect(add('2026-04-30T14:00:00.000Z', 2 * HOUR, paris)).toBe('2026-05-04T08:00:00.000Z');
  });

  it('follows the local clock across a daylight-saving change', () => {
    // Friday 27 March 16:00 (UTC+1) + 2 h: 1 h on Friday, then Monday 30 March 10:00 (UTC+2).
    expect(add('2026-03-27T15:00:00.000Z', 2 * HOUR, paris)).toBe('2026-03-30T08:00:00.000Z');
  });

  it('counts the business time between two instants', () => {
    // Friday 16:00 Paris to Monday 10:00 Paris: 1 h + 1 h.
    expect(
      businessTimeBetween(at('2026-03-06T15:00:00.000Z'), at('2026-03-09T09:00:00.000Z'), paris),
    ).toBe(2 * HOUR);
  });

  it('agrees with itself: the time between a start and its deadline is the duration', () => {
    const start = at('2026-03-05T13:17:00.000Z');
    for (const duration of [1, 7 * HOUR, 3 * 24 * HOUR + 5 * MINUTE, 40 * HOUR]) {
      const due = addBusinessTime(start, duration, paris);
      expect(businessTimeBetween(start, due, paris)).toBe(duration);
    }
  });

  it('counts each open minute once, whatever the order of the hours and their overlaps', () => {
    // Monday: 09-12 and 13-17, given backwards, and 10-11 inside the first.
    const monday: BusinessCalendar = {
      timeZone: 'UTC',
      hours: [
        { day: 1, opens: '13:00', closes: '17:00' },
        { day: 1, opens: '09:00', closes: '12:00' },
        { day: 1, opens: '10:00', closes: '11:00' },
      ],
      holidays: [],
    };
    expect(add('2026-03-02T08:00:00.000Z', 5 * HOUR, monday)).toBe('2026-03-02T15:00:00.000Z');
    expect(
      businessTimeBetween(at('2026-03-02T00:00:00.000Z'), at('2026-03-03T00:00:00.000Z'), monday),
    ).toBe(7 * HOUR);
  });

  it('refuses a calendar that never opens', () => {
    const closed: BusinessCalendar = { timeZone: 'UTC', hours: [], holidays: [] };
    expect(() => addBusinessTime(at('2026-03-05T00:00:00.000Z'), HOUR, closed)).toThrow(
      CalendarNeverOpensError,
    );
  });

  it('reads a wall time skipped by the spring change as just after it', () => {
    // 02:30 on 29 March 2026 does not exist in Paris: it is read with the winter offset.
    expect(
      new Date(instantOfWallTime(Date.UTC(2026, 2, 29, 2, 30), 'Europe/Paris')).toISOString(),
    ).toBe('2026-03-29T01:30:00.000Z');
  });

  it('reads a wall time that happens twice in autumn as its first occurrence', () => {
    expect(
      new Date(instantOfWallTime(Date.UTC(2026, 9, 25, 2, 30), 'Europe/Paris')).toISOString(),
    ).toBe('2026-10-25T00:30:00.000Z');
  });
});

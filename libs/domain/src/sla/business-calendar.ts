import { echoed } from '../echoed-input';

/** Days of the week as `Date.getUTCDay` numbers them: 0 is Sunday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Opening hours on one weekday, local wall-clock times `HH:MM`; `closes` after `opens` (24:00 allowed). */
export interface OpeningHours {
  day: Weekday;
  opens: string;
  closes: string;
}

/**
 * When SLA time runs: weekly opening hours in a time zone, minus holidays.
 * Without a calendar, SLA time runs around the clock.
 */
export interface BusinessCalendar {
  /** An IANA zone, e.g. `Europe/Paris`; opening hours and holidays are local to it. */
  timeZone: string;
  /** The weekly opening hours, in any order; a weekday without entries is closed. */
  hours: readonly OpeningHours[];
  /** Local dates `YYYY-MM-DD` on which the desk is closed all day. */
  holidays: readonly string[];
}

const MS_PER_DAY = 86_400_000;
const MS_PER_MINUTE = 60_000;
/** A calendar open less than this over a year is taken to never open: no deadline exists. */
const SEARCH_DAYS = 366 * 2;

export class CalendarNeverOpensError extends Error {
  constructor() {
    super('The business calendar has no opening hours in the next two years');
    this.name = 'CalendarNeverOpensError';
  }
}

/** Minutes after local midnight of `HH:MM`. */
export function minutesOfDay(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/.exec(time);
  if (!match) throw new RangeError(`Not a time of day (HH:MM): ${echoed(time)}`);
  return time === '24:00' ? 24 * 60 : Number(match[1]) * 60 + Number(match[2]);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const field = (type: string): number => {
    const value = parts[type];
    if (value === undefined)
      throw new RangeError(`${timeZone} formatted a time without its ${type}`);
    return value;
  };
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - (instantMs - (((instantMs % 1000) + 1000) % 1000));
}

/**
 * The instant a wall-clock time of the zone names. A time skipped by a
 * daylight-saving jump is read with the offset from before the jump (so it
 * lands just after it); a time that happens twice is its first occurrence.
 */
export function instantOfWallTime(wallMs: number, timeZone: string): number {
  const before = offsetAt(wallMs - MS_PER_DAY, timeZone);
  const after = offsetAt(wallMs + MS_PER_DAY, timeZone);
  const candidates = [wallMs - before, wallMs - after].filter(
    (instant) => instant + offsetAt(instant, timeZone) === wallMs,
  );
  return candidates.length > 0 ? Math.min(...candidates) : wallMs - before;
}

/** The local date (as a UTC midnight, in ms) of `instant` in the zone. */
function localDateOf(instantMs: number, timeZone: string): number {
  const wall = instantMs + offsetAt(instantMs, timeZone);
  return wall - (((wall % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY);
}

function isoDate(dateMs: number): string {
  return new Date(dateMs).toISOString().slice(0, 10);
}

/**
 * The open intervals `[start, end)` of one local date, as instants, in order
 * and disjoint: hours may be given in any order and may overlap, and the
 * walks below count each open minute once, earliest first.
 */
function openIntervals(calendar: BusinessCalendar, dateMs: number): [number, number][] {
  if (calendar.holidays.includes(isoDate(dateMs))) return [];
  const weekday = new Date(dateMs).getUTCDay() as Weekday;
  const intervals = calendar.hours
    .filter((hours) => hours.day === weekday)
    .map(({ opens, closes }): [number, number] => [
      instantOfWallTime(dateMs + minutesOfDay(opens) * MS_PER_MINUTE, calendar.timeZone),
      instantOfWallTime(dateMs + minutesOfDay(closes) * MS_PER_MINUTE, calendar.timeZone),
    ])
    .sort(([a], [b]) => a - b);
  const merged: [number, number][] = [];
  for (const [opens, closes] of intervals) {
    const last = merged[merged.length - 1];
    if (last && opens <= last[1]) last[1] = Math.max(last[1], closes);
    else merged.push([opens, closes]);
  }
  return merged;
}

/**
 * The instant at which `durationMs` of business time has run from `start`.
 * Without a calendar: `start + durationMs`.
 */
export function addBusinessTime(
  start: Date,
  durationMs: number,
  calendar?: BusinessCalendar,
): Date {
  if (!calendar) return new Date(start.getTime() + durationMs);
  let left = durationMs;
  let date = localDateOf(start.getTime(), calendar.timeZone);
  for (let day = 0; day < SEARCH_DAYS; day++, date += MS_PER_DAY) {
    for (const [opens, closes] of openIntervals(calendar, date)) {
      const from = Math.max(opens, start.getTime());
      if (from >= closes) continue;
      if (left <= closes - from) return new Date(from + left);
      left -= closes - from;
    }
  }
  throw new CalendarNeverOpensError();
}

/** Business time between two instants (0 if `to` is not after `from`). */
export function businessTimeBetween(from: Date, to: Date, calendar?: BusinessCalendar): number {
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) return 0;
  if (!calendar) return end - start;
  let total = 0;
  let date = localDateOf(start, calendar.timeZone);
  const last = localDateOf(end, calendar.timeZone);
  for (; date <= last; date += MS_PER_DAY) {
    for (const [opens, closes] of openIntervals(calendar, date)) {
      total += Math.max(0, Math.min(closes, end) - Math.max(opens, start));
    }
  }
  return total;
}

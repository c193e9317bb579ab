import type { BusinessCalendar } from '@ledger/domain';

const MINUTE_MS = 60_000;

/** The calendar zone's wall clock at an instant, as `YYYY-MM-DD HH:MM:SS` (the Swedish locale's form). */
function wallClock(
  timeZone: string,
  instant: number,
): { date: string; weekday: number; time: string } {
  const text = new Date(instant).toLocaleString('sv-SE', { timeZone, hourCycle: 'h23' });
  const [date = '', clock = ''] = text.split(' ');
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return { date, weekday, time: clock.slice(0, 5) };
}

const byCalendar = new WeakMap<BusinessCalendar, Map<number, boolean>>();

/**
 * Whether SLA time runs during the minute that starts at `instant`: a minute
 * of the desk's opening hours on a day that is no holiday, judged by the zone's
 * wall clock at the minute's start (zones move by whole minutes, so a minute is
 * all in or all out). Around the clock without a calendar.
 */
export function isBusinessMinute(calendar: BusinessCalendar | undefined, instant: number): boolean {
  if (!calendar) return true;
  let minutes = byCalendar.get(calendar);
  if (!minutes) byCalendar.set(calendar, (minutes = new Map()));
  let open = minutes.get(instant);
  if (open === undefined) {
    const { date, weekday, time } = wallClock(calendar.timeZone, instant);
    open =
      !calendar.holidays.includes(date) &&
      calendar.hours.some(
        (hours) => hours.day === weekday && hours.opens <= time && time < hours.closes,
      );
    minutes.set(instant, open);
  }
  return open;
}

/**
 * Walks minute by minute from `from` up to `until` and answers the end of the
 * minute in which `targetMinutes` counted minutes were complete: the earliest
 * instant at which the target was reached; null when it was not by `until`.
 * Instants must fall on whole minutes, as the scenarios' do.
 */
export function targetReachedAt(
  from: string,
  until: string,
  targetMinutes: number,
  counts: (minuteStart: number) => boolean,
): number | null {
  const start = Date.parse(from);
  const end = Date.parse(until);
  if (start % MINUTE_MS !== 0 || end % MINUTE_MS !== 0) {
    throw new Error(`Expected whole minutes, got ${from} and ${until}`);
  }
  let counted = 0;
  for (let minute = start; minute < end; minute += MINUTE_MS) {
    if (counts(minute) && ++counted === targetMinutes) return minute + MINUTE_MS;
  }
  return null;
}

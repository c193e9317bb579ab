import type { OpeningHours, Weekday } from '@ledger/domain';

/** The same opening hours on each of `days` (Monday to Friday unless said). */
export function hoursOn(
  opens: string,
  closes: string,
  days: readonly Weekday[] = [1, 2, 3, 4, 5],
): OpeningHours[] {
  return days.map((day) => ({ day, opens, closes }));
}

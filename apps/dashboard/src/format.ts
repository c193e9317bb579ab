const numbers = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const oneDecimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** What stands in for a number that is not there (a mean of nothing). */
export const NONE = '—';

export function formatCount(value: number): string {
  return numbers.format(value);
}

/** A rate of the API (already rounded to 2 decimals) with its percent sign. */
export function formatPercent(value: number): string {
  return `${numbers.format(value)}\u00a0%`;
}

/** Minutes as minutes, hours or days, whichever reads best. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return NONE;
  if (minutes < 120) return `${oneDecimal.format(minutes)}\u00a0min`;
  if (minutes < 48 * 60) return `${oneDecimal.format(minutes / 60)}\u00a0h`;
  return `${oneDecimal.format(minutes / 1440)}\u00a0d`;
}

/** A mean CSAT score out of 5, or NONE without feedback. */
export function formatScore(mean: number | null): string {
  return mean === null ? NONE : `${numbers.format(mean)}\u00a0/\u00a05`;
}

/** An ISO instant as `YYYY-MM-DD HH:MM UTC`. */
export function formatInstant(instant: string): string {
  return `${instant.slice(0, 10)} ${instant.slice(11, 16)} UTC`;
}

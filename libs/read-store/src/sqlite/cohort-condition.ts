import type { CohortRange } from '../read-store';
import type { SqlValue } from './sql-query';

/**
 * Tickets opened in [from, to), by `column` (their instant, or their day as
 * `YYYY-MM-DD`): ISO instants and days in one format sort as text.
 */
export function cohortConditions(
  range: CohortRange,
  column = 'opened_at',
): { conditions: string[]; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (range.from !== undefined) {
    conditions.push(`${column} >= ?`);
    params.push(range.from);
  }
  if (range.to !== undefined) {
    conditions.push(`${column} < ?`);
    params.push(range.to);
  }
  return { conditions, params };
}

export function whereClause(conditions: readonly string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
}

const DAY_MS = 86_400_000;
/** An instant as `toISOString` writes it between years 0 and 9999: its first 10 characters are its UTC day. */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const startOf = (day: string) => `${day}T00:00:00.000Z`;

/** The instant's UTC day, if it is canonical and a real date. */
function dayOf(instant: string): string | undefined {
  if (!CANONICAL_INSTANT.test(instant)) return undefined;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms) || new Date(ms).toISOString() !== instant) return undefined;
  return instant.slice(0, 10);
}

/** The day after, if it is still a day of years 0 to 9999. */
function nextDay(day: string): string | undefined {
  return dayOf(new Date(Date.parse(startOf(day)) + DAY_MS).toISOString());
}

export interface WholeDaysSplit {
  /** The UTC days wholly inside the range, [from, to) as `YYYY-MM-DD`; absent when there is none. */
  days?: { from?: string; to?: string };
  /** The parts of the range outside those days: at most two. */
  edges: CohortRange[];
}

/**
 * The range as the whole UTC days inside it and the instants left at its
 * edges; null when a bound, or the day after `from`, is not a canonical
 * instant of years 0 to 9999, whose day cannot be read off its text.
 */
export function splitByWholeDays({ from, to }: CohortRange): WholeDaysSplit | null {
  const fromDay = from === undefined ? undefined : dayOf(from);
  const endDay = to === undefined ? undefined : dayOf(to);
  if ((from !== undefined && fromDay === undefined) || (to !== undefined && endDay === undefined)) {
    return null;
  }
  let firstDay: string | undefined;
  if (fromDay !== undefined) {
    firstDay = from === startOf(fromDay) ? fromDay : nextDay(fromDay);
    if (firstDay === undefined) return null;
  }
  if (firstDay !== undefined && endDay !== undefined && firstDay >= endDay) {
    return { edges: [{ from, to }] };
  }
  const edges: CohortRange[] = [];
  if (from !== undefined && firstDay !== undefined && from < startOf(firstDay)) {
    edges.push({ from, to: startOf(firstDay) });
  }
  if (to !== undefined && endDay !== undefined && startOf(endDay) < to) {
    edges.push({ from: startOf(endDay), to });
  }
  return { days: { from: firstDay, to: endDay }, edges };
}

import type { CohortRange } from '../read-store';
import type { SqlValue } from './sql-query';

/** Tickets opened in [from, to): ISO instants in one format sort as text. */
export function cohortConditions(range: CohortRange): { conditions: string[]; params: SqlValue[] } {
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  if (range.from !== undefined) {
    conditions.push('opened_at >= ?');
    params.push(range.from);
  }
  if (range.to !== undefined) {
    conditions.push('opened_at < ?');
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
const nextDay = (day: string) =>
  new Date(Date.parse(startOf(day)) + DAY_MS).toISOString().slice(0, 10);

export interface WholeDaysSplit {
  /** The UTC days wholly inside the range, [from, to) as `YYYY-MM-DD`; absent when there is none. */
  days?: { from?: string; to?: string };
  /** The parts of the range outside those days: at most two. */
  edges: CohortRange[];
}

/**
 * The range as the whole UTC days inside it and the instants left at its
 * edges; null when a bound is not a canonical instant, whose day cannot be
 * read off its text.
 */
export function splitByWholeDays({ from, to }: CohortRange): WholeDaysSplit | null {
  if (
    (from !== undefined && !CANONICAL_INSTANT.test(from)) ||
    (to !== undefined && !CANONICAL_INSTANT.test(to))
  ) {
    return null;
  }
  const firstDay =
    from === undefined
      ? undefined
      : from === startOf(from.slice(0, 10))
        ? from.slice(0, 10)
        : nextDay(from.slice(0, 10));
  const endDay = to?.slice(0, 10);
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

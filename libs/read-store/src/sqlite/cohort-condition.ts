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

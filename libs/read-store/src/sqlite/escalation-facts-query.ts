import type { CohortRange } from '../read-store';
import type { SqlQuery } from './sql-query';

/** What follows `FROM <table>` for tickets opened in [from, to); ISO instants in one format sort as text. */
export function escalationFactsQuery(range: CohortRange): SqlQuery {
  const conditions: string[] = [];
  const params: string[] = [];
  if (range.from !== undefined) {
    conditions.push('opened_at >= ?');
    params.push(range.from);
  }
  if (range.to !== undefined) {
    conditions.push('opened_at < ?');
    params.push(range.to);
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')} ` : '';
  return { sql: `${where}ORDER BY opened_at, id`, params };
}

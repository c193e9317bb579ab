import type { CohortRange } from '../read-store';
import { cohortConditions, whereClause } from './cohort-condition';
import type { SqlQuery } from './sql-query';

/** What follows `FROM <table>` for tickets opened in [from, to). */
export function escalationFactsQuery(range: CohortRange): SqlQuery {
  const { conditions, params } = cohortConditions(range);
  return { sql: `${whereClause(conditions)} ORDER BY opened_at, id`, params };
}

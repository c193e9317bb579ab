import type { KpiGrouping, PostMortemTrigger } from '@ledger/domain';
import type { CohortRange, PostMortemSearch } from '../read-store';
import { cohortConditions, whereClause } from './cohort-condition';
import type { SqlQuery, SqlValue } from './sql-query';

const TRIGGER_COLUMNS: Record<PostMortemTrigger, string> = {
  management: 'management',
  're-escalated': 're_escalated',
  'urgent-breach': 'urgent_breach',
};

/** Required by one of `triggers`: never true when none is named. */
function requiredCondition(triggers: readonly PostMortemTrigger[]): string {
  if (triggers.length === 0) return '0';
  return `(${triggers.map((trigger) => `${TRIGGER_COLUMNS[trigger]} = 1`).join(' OR ')})`;
}

/** The WHERE … LIMIT of a post-mortem search, after `SELECT … FROM <table>`. */
export function postMortemSearchSql(search: PostMortemSearch): SqlQuery {
  const where = ['escalated = 1'];
  const params: SqlValue[] = [];
  if (search.state !== undefined) {
    where.push('state = ?');
    params.push(search.state);
  }
  // IN, not != 'missing': it searches the state index instead of scanning every ticket by id.
  if (search.recorded) where.push("state IN ('open', 'complete')");
  if (search.requiredBy !== undefined) where.push(requiredCondition(search.requiredBy));
  if (search.ended) where.push('ended_at IS NOT NULL');
  const cohort = cohortConditions({ from: search.openedFrom, to: search.openedTo });
  where.push(...cohort.conditions);
  params.push(...cohort.params);
  if (search.after !== undefined) {
    where.push('id > ?');
    params.push(search.after);
  }
  params.push(search.limit);
  return { sql: `WHERE ${where.join(' AND ')} ORDER BY id LIMIT ?`, params };
}

export function missingPostMortemsSql(requiredBy: readonly PostMortemTrigger[]): string {
  return (
    `WHERE escalated = 1 AND state = 'missing' AND ${requiredCondition(requiredBy)} ` +
    'AND ended_at <= ? ORDER BY ended_at DESC, id LIMIT ?'
  );
}

/** One row per ticket and distinct due date of its open actions: doc, due date. */
export function overdueActionsSql(table: string): string {
  return (
    `SELECT t.doc, due.value FROM ${table} AS t, json_each(t.open_dues) AS due ` +
    'WHERE t.open_dues IS NOT NULL AND due.value < ? ORDER BY due.value DESC, t.id LIMIT ?'
  );
}

export function postMortemCompletionsSql(table: string): string {
  return (
    `SELECT root_cause, MIN(completed_at) AS completed FROM ${table} ` +
    'WHERE completed_at IS NOT NULL AND root_cause IS NOT NULL GROUP BY root_cause'
  );
}

/** The column holding a post-mortem document's `groupKey` under `grouping`. */
export const groupColumn = (grouping: KpiGrouping) => `kpi_${grouping}`;

/**
 * One row per group of the escalated tickets opened in `range`: the key,
 * then the counts of `addToPostMortemCounts` (required, covered, repeat
 * escalations), from the columns of the covering `counts` index.
 */
export function postMortemCountsQuery(
  table: string,
  range: CohortRange,
  grouping: KpiGrouping | undefined,
  requiredBy: readonly PostMortemTrigger[],
): SqlQuery {
  const key = grouping ? groupColumn(grouping) : 'NULL';
  const required = `(ended_at IS NOT NULL AND ${requiredCondition(requiredBy)})`;
  const cohort = cohortConditions(range);
  // Only the join's key is qualified: the completions bring no other column of these names.
  const sql =
    `SELECT ${key}, ifnull(SUM(${required}), 0), ifnull(SUM(${required} AND state != 'missing'), 0), ` +
    'ifnull(SUM(c.completed IS NOT NULL AND last_escalated_at > c.completed), 0) ' +
    `FROM ${table} LEFT JOIN (${postMortemCompletionsSql(table)}) AS c ON c.root_cause = ${table}.root_cause ` +
    `${whereClause(['escalated = 1', ...cohort.conditions])}${grouping ? ' GROUP BY 1' : ''}`;
  return { sql, params: cohort.params };
}

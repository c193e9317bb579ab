import {
  TALLY_NUMBER_PATHS,
  tallyOfNumbers,
  type EscalationTally,
  type KpiGrouping,
} from '../escalation-tallies';
import type { CohortRange } from '../read-store';
import { shareColumn } from './escalation-facts-columns';
import type { SqlQuery, SqlValue } from './sql-query';
import { cohortConditions, whereClause } from './cohort-condition';

/** The SQL of `groupKey` (escalation-tallies.ts) over the escalation facts columns. */
const GROUP_KEYS: Record<KpiGrouping, string> = {
  category: 'category',
  channel: 'channel',
  priority: 'priority',
  agent:
    "CASE WHEN escalation_count > 0 THEN COALESCE(assignee_at_first_escalation, 'unassigned') " +
    "ELSE COALESCE(first_assignee_id, 'unassigned') END",
  day: 'substr(opened_at, 1, 10)',
};

/** Each number of the tally: the sum of the tickets' shares. */
const SUMS = TALLY_NUMBER_PATHS.map((path) => `SUM(${shareColumn(path)})`);

/** One row per group (one in all without a grouping): the key, then `SUMS`. */
export function tallySumsQuery(
  table: string,
  range: CohortRange,
  grouping?: KpiGrouping,
): SqlQuery {
  const { conditions, params } = cohortConditions(range);
  const key = grouping ? GROUP_KEYS[grouping] : 'NULL';
  const groupBy = grouping ? ' GROUP BY 1' : '';
  return {
    sql: `SELECT ${key}, ${SUMS.join(', ')} FROM ${table} ${whereClause(conditions)}${groupBy}`,
    params,
  };
}

/** The key and the escalation-to-resolution time of each ticket that has one. */
export function toResolutionQuery(
  table: string,
  range: CohortRange,
  grouping?: KpiGrouping,
): SqlQuery {
  const { conditions, params } = cohortConditions(range);
  const key = grouping ? GROUP_KEYS[grouping] : 'NULL';
  conditions.push('escalation_to_resolution_ms IS NOT NULL');
  return {
    sql: `SELECT ${key}, escalation_to_resolution_ms FROM ${table} ${whereClause(conditions)}`,
    params,
  };
}

/** A row of `tallySumsQuery` as a tally; SUM is NULL over no rows. */
export function tallyOf(row: SqlValue[]): EscalationTally {
  return tallyOfNumbers(row.slice(1) as (number | null)[]);
}

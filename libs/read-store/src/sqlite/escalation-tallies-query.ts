import {
  TALLY_NUMBER_PATHS,
  tallyOfNumbers,
  type EscalationTally,
  type KpiGrouping,
} from '@ledger/domain';
import type { CohortRange } from '../read-store';
import { shareColumn } from './escalation-facts-columns';
import type { SqlQuery, SqlValue } from './sql-query';
import { cohortConditions, splitByWholeDays, whereClause } from './cohort-condition';
import {
  factsRowColumns,
  rollupColumns,
  rollupTable,
  TICKETS_SHARE,
} from './escalation-tally-rollups';

/** `groupKey` (escalation-tallies.ts) over the escalation facts columns. */
const GROUP_KEYS: Record<KpiGrouping, string> = {
  category: 'category',
  channel: 'channel',
  priority: 'priority',
  // Stored as computed by groupKey: who the KPI credits is the shared definition's call.
  agent: 'kpi_agent',
  day: 'substr(opened_at, 1, 10)',
  week: 'kpi_week',
};

/** Each number of the tally: the sum of the tickets' shares. */
const SUMS = TALLY_NUMBER_PATHS.map((path) => `SUM(${shareColumn(path)})`);

/** `columns` of the tickets opened in `range` that meet `extra`, after the group key (or NULL). */
function cohortQuery(
  columns: string,
  table: string,
  range: CohortRange,
  grouping: KpiGrouping | undefined,
  extra: string[] = [],
): SqlQuery {
  const { conditions, params } = cohortConditions(range);
  const key = grouping ? GROUP_KEYS[grouping] : 'NULL';
  const where = whereClause([...conditions, ...extra]);
  return { sql: `SELECT ${key}, ${columns} FROM ${table} ${where}`, params };
}

/** One row per group (one in all without a grouping): the key, then `SUMS`, from the facts rows alone. */
export function tallySumsQuery(
  table: string,
  range: CohortRange,
  grouping?: KpiGrouping,
): SqlQuery {
  const { sql, params } = cohortQuery(SUMS.join(', '), table, range, grouping);
  return { sql: grouping ? `${sql} GROUP BY 1` : sql, params };
}

/**
 * What `tallySumsQuery` answers, from the rollups (escalation-tally-rollups.ts)
 * for the days whole in the cohort and from the facts rows for the tickets of
 * the days at its edges.
 */
export function rolledUpTallySumsQuery(
  table: string,
  range: CohortRange,
  grouping?: KpiGrouping,
): SqlQuery {
  const split = splitByWholeDays(range);
  if (!split) return tallySumsQuery(table, range, grouping);
  const arms: string[] = [];
  const params: SqlValue[] = [];
  if (split.days) {
    const days = cohortConditions(split.days, 'day');
    const columns = rollupColumns(grouping).join(', ');
    arms.push(
      `SELECT ${columns} FROM ${rollupTable(table, grouping)} ${whereClause(days.conditions)}`,
    );
    params.push(...days.params);
  }
  for (const edge of split.edges) {
    const cohort = cohortConditions(edge);
    const columns = factsRowColumns(grouping).join(', ');
    arms.push(`SELECT ${columns} FROM ${table} ${whereClause(cohort.conditions)}`);
    params.push(...cohort.params);
  }
  // The facts rows read beside the rollups name their day `day`, as the rollups do.
  const key = grouping === 'day' ? 'day' : grouping ? GROUP_KEYS[grouping] : 'NULL';
  const sql = `SELECT ${key}, ${SUMS.join(', ')} FROM (${arms.join(' UNION ALL ')})`;
  return {
    sql: grouping ? `${sql} GROUP BY 1 HAVING SUM(${TICKETS_SHARE}) > 0` : sql,
    params,
  };
}

/** The key and the escalation-to-resolution time of each ticket that has one. */
export function toResolutionQuery(
  table: string,
  range: CohortRange,
  grouping?: KpiGrouping,
): SqlQuery {
  return cohortQuery('escalation_to_resolution_ms', table, range, grouping, [
    'escalation_to_resolution_ms IS NOT NULL',
  ]);
}

/** Per group and root cause, the escalations the tickets add under it (`rootCauseShare`). */
export function rootCauseQuery(
  table: string,
  range: CohortRange,
  grouping?: KpiGrouping,
): SqlQuery {
  const { sql, params } = cohortQuery(
    'kpi_root_cause, SUM(kpi_root_cause_escalations)',
    table,
    range,
    grouping,
    ['kpi_root_cause IS NOT NULL'],
  );
  return { sql: `${sql} GROUP BY 1, 2`, params };
}

/** A row of `tallySumsQuery` as a tally; SUM is NULL over no rows. */
export function tallyOf(row: SqlValue[]): EscalationTally {
  return tallyOfNumbers(row.slice(1) as (number | null)[]);
}

import { ESCALATION_REASONS, TIERS } from '@ledger/domain';
import { emptyTally, type EscalationTally, type KpiGrouping } from '../escalation-tallies';
import type { CohortRange } from '../read-store';
import { dwellMsColumn, reasonColumn } from './escalation-facts-columns';
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

/** `resolved && resolvedTier` of `addToTally`. */
const RESOLVED = '(resolved = 1 AND resolved_tier IS NOT NULL)';

/** The sums of `addToTally`, in the order `tallyOf` reads them. */
const SUMS = [
  'COUNT(*)',
  'SUM(escalation_count > 0)',
  'SUM(escalation_count >= 2)',
  `SUM(${RESOLVED})`,
  ...TIERS.map((tier) => `SUM(${RESOLVED} AND resolved_tier = '${tier}')`),
  `SUM(${RESOLVED} AND resolved_tier = 'L1' AND escalation_count = 0 AND reopened = 0)`,
  `SUM(${RESOLVED} AND escalation_count > 0)`,
  `SUM(${RESOLVED} AND escalation_count > 0 AND escalation_necessary = 0)`,
  ...ESCALATION_REASONS.map((reason) => `SUM(${reasonColumn(reason)})`),
  'SUM(escalation_count > 0 AND feedback_score IS NOT NULL)',
  'SUM(CASE WHEN escalation_count > 0 THEN feedback_score END)',
  'SUM(escalation_count > 0 AND feedback_score >= 4)',
  'SUM(escalation_count = 0 AND feedback_score IS NOT NULL)',
  'SUM(CASE WHEN escalation_count = 0 THEN feedback_score END)',
  'SUM(escalation_count = 0 AND feedback_score >= 4)',
  // Integers: the sum is exact in any order, unlike a sum of floating minutes.
  ...TIERS.map((tier) => `SUM(${dwellMsColumn(tier)})`),
];

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
  const tally = emptyTally();
  let at = 1;
  const next = () => (row[at++] as number | null) ?? 0;
  tally.ticketsOpened = next();
  tally.ticketsEscalated = next();
  tally.ticketsReEscalated = next();
  tally.resolved = next();
  for (const tier of TIERS) tally.resolvedByTier[tier] = next();
  tally.resolvedFirstContact = next();
  tally.escalatedResolved = next();
  tally.unnecessary = next();
  for (const reason of ESCALATION_REASONS) tally.escalationsByReason[reason] = next();
  for (const side of ['escalated', 'notEscalated'] as const) {
    tally.csat[side] = { count: next(), sum: next(), satisfied: next() };
  }
  for (const tier of TIERS) tally.tierDwellMs[tier] = next();
  return tally;
}

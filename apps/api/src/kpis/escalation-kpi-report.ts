import {
  escalationKpisWithPostMortems,
  type KpiGrouping,
  type PostMortemKpiOptions,
} from '@ledger/projections';
import type { CohortRange, KpiQueries, PostMortemQueries } from '@ledger/read-store';

/**
 * The answer of `GET /v1/kpis/escalations`: the KPIs of the tickets opened in
 * [from, to), in total and per group. `from` and `to` are canonical UTC
 * instants, already checked.
 */
export async function escalationKpiReport(
  readStore: KpiQueries & PostMortemQueries,
  { from, to }: CohortRange,
  groupBy: KpiGrouping | undefined,
  postMortems: PostMortemKpiOptions,
) {
  const { totals, groups } = await escalationKpisWithPostMortems(
    readStore,
    { from, to },
    groupBy,
    postMortems,
  );
  return {
    from: from ?? null,
    to: to ?? null,
    ...(groupBy && { groupBy }),
    totals,
    groups,
  };
}

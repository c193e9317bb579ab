import {
  groupKey,
  isOverdue,
  overdueFrom,
  type KpiGrouping,
  type PostMortemTrigger,
} from '@ledger/domain';
import type {
  CohortRange,
  KpiQueries,
  PostMortemCounts,
  PostMortemDocument,
  PostMortemQueries,
  PostMortemSearch,
} from '@ledger/read-store';
import {
  kpisFromTallies,
  round2,
  type EscalationKpiGroup,
  type EscalationMetrics,
} from '../escalation-kpis/escalation-kpis';

/** Counts over a cohort's escalated tickets: what the post-mortem KPIs are computed from. */
export interface PostMortemTally extends PostMortemCounts {
  actionsDone: number;
  /** Done before the end (UTC) of their due date. */
  actionsDoneOnTime: number;
  /** Due before `asOf` and not closed by then. */
  overdueActions: number;
}

export interface PostMortemMetrics extends PostMortemTally {
  /** covered / required, in %. */
  coverage: number;
  /** actionsDoneOnTime / actionsDone, in %. */
  actionsOnTimeRate: number;
}

export interface PostMortemKpiOptions {
  requiredBy: readonly PostMortemTrigger[];
  /** The instant overdue actions are counted at: the query's `to`, else now. */
  asOf: string;
}

function emptyPostMortemTally(): PostMortemTally {
  return {
    required: 0,
    covered: 0,
    actionsDone: 0,
    actionsDoneOnTime: 0,
    overdueActions: 0,
    repeatEscalations: 0,
  };
}

/** Whether the action was still open at `asOf`: not closed, or closed later. */
export function isOpenAt(action: { closedAt: string | null }, asOf: string): boolean {
  return action.closedAt === null || action.closedAt >= asOf;
}

/** Adds the actions of one post-mortem: counts that depend on when they are asked. */
function addActions(tally: PostMortemTally, doc: PostMortemDocument, asOf: string): void {
  for (const action of doc.postMortem?.actions ?? []) {
    if (action.state === 'done') {
      tally.actionsDone++;
      if (action.closedAt! < overdueFrom(action.dueDate)) tally.actionsDoneOnTime++;
    }
    if (isOpenAt(action, asOf) && isOverdue(action.dueDate, asOf)) tally.overdueActions++;
  }
}

function addCounts(tally: PostMortemTally, counts: PostMortemCounts): void {
  tally.required += counts.required;
  tally.covered += counts.covered;
  tally.repeatEscalations += counts.repeatEscalations;
}

const rate = (part: number, whole: number) => (whole === 0 ? 0 : round2((100 * part) / whole));

function postMortemMetrics(tally: PostMortemTally): PostMortemMetrics {
  return {
    ...tally,
    coverage: rate(tally.covered, tally.required),
    actionsOnTimeRate: rate(tally.actionsDoneOnTime, tally.actionsDone),
  };
}

const PAGE = 500;

/**
 * The post-mortem tallies of the tickets opened in `range`, in total and per
 * group: the store counts the escalated tickets, and only those with a
 * post-mortem are read, for their actions, which are counted as of `asOf`.
 */
export async function tallyPostMortems(
  store: PostMortemQueries,
  range: CohortRange,
  grouping: KpiGrouping | undefined,
  options: PostMortemKpiOptions,
): Promise<{ totals: PostMortemTally; groups: Map<string, PostMortemTally> }> {
  const totals = emptyPostMortemTally();
  const groups = new Map<string, PostMortemTally>();
  const groupOf = (key: string) => {
    let group = groups.get(key);
    if (!group) groups.set(key, (group = emptyPostMortemTally()));
    return group;
  };
  for (const counts of await store.postMortemCounts(range, grouping, options.requiredBy)) {
    addCounts(totals, counts);
    if (grouping && counts.key !== null) addCounts(groupOf(counts.key), counts);
  }
  // One scan in id order: a post-mortem that changes state meanwhile is still read once.
  for await (const doc of escalatedTickets(store, range, { recorded: true })) {
    addActions(totals, doc, options.asOf);
    if (grouping) addActions(groupOf(groupKey(doc, grouping)), doc, options.asOf);
  }
  return { totals, groups };
}

/** The escalated tickets opened in `range`, read a page at a time: memory holds one page, not the cohort. */
export async function* escalatedTickets(
  store: PostMortemQueries,
  range: CohortRange,
  only: Pick<PostMortemSearch, 'recorded'> = {},
): AsyncGenerator<PostMortemDocument> {
  for (let after: string | undefined; ;) {
    const page = await store.postMortems({
      ...only,
      openedFrom: range.from,
      openedTo: range.to,
      limit: PAGE,
      after,
    });
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < PAGE) return;
    after = last.ticketId;
  }
}

export interface WithPostMortems {
  postMortems: PostMortemMetrics;
}

/** The escalation KPIs of `GET /v1/kpis/escalations`: the KPI table with the post-mortem KPIs, in totals and per group. */
export interface EscalationKpisWithPostMortems {
  totals: EscalationMetrics & WithPostMortems;
  groups: (EscalationKpiGroup & WithPostMortems)[];
}

/** The KPIs of the tickets opened in `range`, post-mortems included: what the API answers and the review compares. */
export async function escalationKpisWithPostMortems(
  store: KpiQueries & PostMortemQueries,
  range: CohortRange,
  grouping: KpiGrouping | undefined,
  options: PostMortemKpiOptions,
): Promise<EscalationKpisWithPostMortems> {
  const { totals, groups } = kpisFromTallies(await store.escalationTallies(range, grouping));
  const postMortems = await tallyPostMortems(store, range, grouping, options);
  return {
    totals: { ...totals, postMortems: postMortemMetrics(postMortems.totals) },
    groups: groups.map((group) => ({
      ...group,
      postMortems: postMortemMetrics(postMortems.groups.get(group.key) ?? emptyPostMortemTally()),
    })),
  };
}

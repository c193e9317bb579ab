import { isOverdue, isPostMortemRequired, type PostMortemTrigger } from '@ledger/domain';
import {
  escalatedTickets,
  escalationKpisWithPostMortems,
  isOpenAt,
  type EscalationMetrics,
  type WithPostMortems,
} from '@ledger/projections';
import {
  postMortemStateOf,
  repeatedAfter,
  rootCauseOf,
  type KpiQueries,
  type PostMortemQueries,
} from '@ledger/read-store';
import { previousQuarter, type Quarter } from './quarter';

export type ReviewMetrics = EscalationMetrics & WithPostMortems;

/** One headline number this quarter and the last. */
export interface ReviewFigure {
  metric: string;
  current: number | null;
  previous: number | null;
  /** current − previous; null when either is. */
  change: number | null;
}

export interface RootCauseTrend {
  rootCause: string;
  escalations: number;
  previous: number;
  trend: 'new' | 'up' | 'down' | 'same';
}

export interface OwnerActions {
  owner: string;
  open: number;
  overdue: number;
}

export interface RepeatEscalation {
  ticketId: string;
  rootCause: string;
  lastEscalatedAt: string;
  /** When a post-mortem on that root cause was first complete. */
  postMortemCompletedAt: string;
}

/** The quarterly escalation review: what a team lead brings to the meeting (docs/post-mortems.md). */
export interface QuarterlyReview {
  quarter: Quarter;
  previousQuarter: Quarter;
  /** Overdue actions are counted at this instant: the quarter's end, or now if sooner. */
  asOf: string;
  requiredBy: PostMortemTrigger[];
  figures: ReviewFigure[];
  /** The most escalated root causes of the quarter, with last quarter's count beside. */
  topRootCauses: RootCauseTrend[];
  postMortems: WithPostMortems['postMortems'] & { missing: string[] };
  /** Open actions of the quarter's post-mortems, per owner, most overdue first. */
  actionsByOwner: OwnerActions[];
  repeatEscalations: RepeatEscalation[];
  current: ReviewMetrics;
  previous: ReviewMetrics;
}

export interface ReviewOptions {
  requiredBy: readonly PostMortemTrigger[];
  now: string;
  /** Root causes listed at most. */
  topRootCauses?: number;
  /** Tickets listed at most, per list (missing post-mortems, repeat escalations). */
  listed?: number;
}

const HEADLINES: [string, (metrics: ReviewMetrics) => number | null][] = [
  ['Tickets opened', (m) => m.ticketsOpened],
  ['Tickets escalated', (m) => m.ticketsEscalated],
  ['Escalation rate %', (m) => m.escalationRate],
  ['Re-escalation rate %', (m) => m.reEscalationRate],
  ['Escalation to resolution, median minutes', (m) => m.escalationToResolution.p50],
  ['First-contact resolution %', (m) => m.firstContactResolutionRate],
  ['Unnecessary escalations %', (m) => m.unnecessaryEscalationRate],
  ['SLA breach rate %', (m) => m.slaBreachRate],
  ['CSAT of escalated tickets', (m) => m.csat.escalated.mean],
  ['Post-mortem coverage %', (m) => m.postMortems.coverage],
  ['Actions done on time %', (m) => m.postMortems.actionsOnTimeRate],
  ['Overdue actions', (m) => m.postMortems.overdueActions],
  ['Repeat escalations', (m) => m.postMortems.repeatEscalations],
];

const round2 = (value: number) => Math.round(value * 100) / 100;

function trendOf(current: number, previous: number): RootCauseTrend['trend'] {
  if (previous === 0) return 'new';
  return current > previous ? 'up' : current < previous ? 'down' : 'same';
}

/**
 * The review of `quarter` against the one before, from the read models
 * alone: callable by the API, the command line and the dashboard alike.
 */
export async function quarterlyReview(
  store: KpiQueries & PostMortemQueries,
  quarter: Quarter,
  options: ReviewOptions,
): Promise<QuarterlyReview> {
  const previous = previousQuarter(quarter);
  const asOf = options.now < quarter.to ? options.now : quarter.to;
  const kpiOptions = { requiredBy: options.requiredBy, asOf };
  const current = (await escalationKpisWithPostMortems(store, quarter, undefined, kpiOptions))
    .totals;
  const before = (
    await escalationKpisWithPostMortems(store, previous, undefined, {
      ...kpiOptions,
      asOf: previous.to,
    })
  ).totals;
  const listed = options.listed ?? 20;

  const owners = new Map<string, OwnerActions>();
  const missing: string[] = [];
  const repeats: RepeatEscalation[] = [];
  const completions = await store.postMortemCompletions();
  for await (const doc of escalatedTickets(store, quarter)) {
    for (const action of doc.postMortem?.actions ?? []) {
      // Open as the KPIs count it: at the end of the quarter, for a past one.
      if (!isOpenAt(action, asOf)) continue;
      const owner = owners.get(action.owner) ?? { owner: action.owner, open: 0, overdue: 0 };
      owner.open++;
      if (isOverdue(action.dueDate, asOf)) owner.overdue++;
      owners.set(action.owner, owner);
    }
    const required =
      doc.endedAt !== null &&
      postMortemStateOf(doc) === 'missing' &&
      isPostMortemRequired(doc, options.requiredBy);
    if (required && missing.length < listed) missing.push(doc.ticketId);
    const completed = repeatedAfter(doc, completions);
    if (completed !== undefined && repeats.length < listed) {
      repeats.push({
        ticketId: doc.ticketId,
        rootCause: rootCauseOf(doc)!,
        lastEscalatedAt: doc.lastEscalatedAt!,
        postMortemCompletedAt: completed,
      });
    }
  }

  return {
    quarter,
    previousQuarter: previous,
    asOf,
    requiredBy: [...options.requiredBy],
    figures: HEADLINES.map(([metric, read]) => {
      const now = read(current);
      const then = read(before);
      return {
        metric,
        current: now,
        previous: then,
        change: now === null || then === null ? null : round2(now - then),
      };
    }),
    topRootCauses: Object.entries(current.escalationsByRootCause)
      .slice(0, options.topRootCauses ?? 10)
      .map(([rootCause, escalations]) => {
        const earlier = before.escalationsByRootCause[rootCause] ?? 0;
        return { rootCause, escalations, previous: earlier, trend: trendOf(escalations, earlier) };
      }),
    postMortems: { ...current.postMortems, missing },
    actionsByOwner: [...owners.values()].sort(
      (a, b) => b.overdue - a.overdue || b.open - a.open || (a.owner < b.owner ? -1 : 1),
    ),
    repeatEscalations: repeats,
    current,
    previous: before,
  };
}

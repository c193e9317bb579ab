import type { DatedPostMortemEvent, DatedTicketEvent, PostMortemTrigger } from '@ledger/domain';
import { groupedTickets, type Grouping } from './brute-force-kpis';
import { nth } from '../../support/elements';

/**
 * The post-mortem KPIs of docs/kpis.md straight from the events, the slow
 * and obvious way, sharing no code with the projection or the tallies.
 */
export interface PostMortemWorld {
  /** Every post-mortem's events, by ticket id. */
  postMortems: Map<string, DatedPostMortemEvent[]>;
  /** Every ticket's events, by ticket id: repeats look at post-mortems outside the cohort too. */
  tickets: Map<string, DatedTicketEvent[]>;
  requiredBy: readonly PostMortemTrigger[];
  asOf: string;
}

const DAY_MS = 86_400_000;
const round2 = (value: number) => Math.round(value * 100) / 100;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : round2((100 * part) / whole));

/** Overdue from the first millisecond of the day after the due date, UTC. */
const endOfDue = (dueDate: string) => Date.parse(`${dueDate}T00:00:00.000Z`) + DAY_MS;

function ticketIdOfHistory(events: DatedTicketEvent[]): string {
  const opened = events[0];
  if (opened?.type !== 'TicketOpened') throw new Error('A history starts with its opening');
  return opened.data.ticketId;
}

function ended(events: DatedTicketEvent[]): boolean {
  const ends = events.filter((event) =>
    ['TicketResolved', 'TicketClosed', 'TicketReopened'].includes(event.type),
  );
  const last = ends.at(-1);
  return last !== undefined && last.type !== 'TicketReopened';
}

function triggers(events: DatedTicketEvent[]): PostMortemTrigger[] {
  const escalations = events.filter((event) => event.type === 'TicketEscalated');
  const opened = events[0] as Extract<DatedTicketEvent, { type: 'TicketOpened' }>;
  const found: PostMortemTrigger[] = [];
  if (escalations.some((event) => event.data.toTier === 'MANAGEMENT')) found.push('management');
  if (escalations.length >= 2) found.push('re-escalated');
  if (opened.data.priority === 'urgent' && events.some((event) => event.type === 'SlaBreached')) {
    found.push('urgent-breach');
  }
  return escalations.length === 0 ? [] : found;
}

function rootCause(events: DatedTicketEvent[], postMortem: DatedPostMortemEvent[]): string | null {
  const recordings = postMortem.filter((event) => event.type === 'PostMortemRecorded');
  if (recordings.length > 0) return nth(recordings, -1).data.rootCause;
  const resolutions = events.filter((event) => event.type === 'TicketResolved');
  if (resolutions.length === 0) return null;
  return nth(resolutions, -1).data.rootCause ?? null;
}

interface ActionReplay {
  dueDate: string;
  state: 'open' | 'done' | 'dropped';
  closedAt: string | null;
}

function actionsAfter(postMortem: DatedPostMortemEvent[]): Map<string, ActionReplay> {
  const actions = new Map<string, ActionReplay>();
  for (const event of postMortem) {
    if (event.type === 'PostMortemActionPlanned') {
      const known = actions.get(event.data.actionId);
      actions.set(event.data.actionId, {
        dueDate: event.data.dueDate,
        state: known?.state ?? 'open',
        closedAt: known?.closedAt ?? null,
      });
    } else if (event.type === 'PostMortemActionDone' || event.type === 'PostMortemActionDropped') {
      const action = actions.get(event.data.actionId)!;
      action.state = event.type === 'PostMortemActionDone' ? 'done' : 'dropped';
      action.closedAt = event.occurredAt;
    }
  }
  return actions;
}

/** The instant from which the post-mortem has stayed recorded with no open action; null if it has not. */
function completedAt(postMortem: DatedPostMortemEvent[]): string | null {
  let since: string | null = null;
  for (let index = 0; index < postMortem.length; index++) {
    const sofar = postMortem.slice(0, index + 1);
    const recorded = sofar.some((event) => event.type === 'PostMortemRecorded');
    const open = [...actionsAfter(sofar).values()].some((action) => action.state === 'open');
    const complete = recorded && !open;
    if (!complete) since = null;
    else since ??= nth(postMortem, index).occurredAt;
  }
  return since;
}

function metricsOf(tickets: DatedTicketEvent[][], world: PostMortemWorld) {
  // Per root cause, the earliest completion of any post-mortem naming it, cohort or not.
  const firstCompleted = new Map<string, number>();
  for (const [ticketId, events] of world.tickets) {
    const postMortem = world.postMortems.get(ticketId) ?? [];
    const at = completedAt(postMortem);
    const cause = rootCause(events, postMortem);
    if (at === null || cause === null) continue;
    firstCompleted.set(cause, Math.min(firstCompleted.get(cause) ?? Infinity, Date.parse(at)));
  }
  const asOf = Date.parse(world.asOf);
  let required = 0;
  let covered = 0;
  let actionsDone = 0;
  let actionsDoneOnTime = 0;
  let overdueActions = 0;
  let repeatEscalations = 0;
  for (const events of tickets) {
    const postMortem = world.postMortems.get(ticketIdOfHistory(events)) ?? [];
    if (ended(events) && triggers(events).some((trigger) => world.requiredBy.includes(trigger))) {
      required++;
      if (postMortem.length > 0) covered++;
    }
    for (const action of actionsAfter(postMortem).values()) {
      if (action.state === 'done') {
        actionsDone++;
        if (Date.parse(action.closedAt!) < endOfDue(action.dueDate)) actionsDoneOnTime++;
      }
      const stillOpen = action.closedAt === null || Date.parse(action.closedAt) >= asOf;
      if (stillOpen && endOfDue(action.dueDate) <= asOf) overdueActions++;
    }
    const escalations = events.filter((event) => event.type === 'TicketEscalated');
    const cause = rootCause(events, postMortem);
    const completed = cause === null ? undefined : firstCompleted.get(cause);
    const last = escalations[escalations.length - 1];
    if (completed !== undefined && last && Date.parse(last.occurredAt) > completed) {
      repeatEscalations++;
    }
  }
  return {
    required,
    covered,
    actionsDone,
    actionsDoneOnTime,
    overdueActions,
    repeatEscalations,
    coverage: rate(covered, required),
    actionsOnTimeRate: rate(actionsDoneOnTime, actionsDone),
  };
}

/** The post-mortem KPIs of a cohort: in total, and per group key when grouped. */
export function bruteForcePostMortemKpis(
  tickets: DatedTicketEvent[][],
  world: PostMortemWorld,
  grouping?: Grouping,
): { totals: ReturnType<typeof metricsOf>; groups: Map<string, ReturnType<typeof metricsOf>> } {
  const groups = groupedTickets(tickets, grouping);
  return {
    totals: metricsOf(tickets, world),
    groups: new Map([...groups].map(([key, group]) => [key, metricsOf(group, world)])),
  };
}

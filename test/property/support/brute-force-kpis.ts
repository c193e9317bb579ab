import {
  ESCALATION_REASONS,
  TIERS,
  type DatedTicketEvent,
  type EscalationReason,
  type Tier,
} from '@ledger/domain';
import { bruteForceSlaMetrics } from './brute-force-sla-kpis';
import { nth } from '../../support/elements';

/**
 * The KPI definitions of docs/kpis.md computed straight from each ticket's
 * events, the slow and obvious way, sharing no code with the projection or
 * `computeEscalationKpis`. Two readings matter most: a ticket is resolved when
 * its last Resolved-or-Reopened event is a Resolved (for resolvedByTier and
 * every other "resolved" metric); a stay in a tier also starts at a reopen and
 * also ends at a close, since the ticket leaves and re-enters work there.
 */
export type Grouping = 'category' | 'channel' | 'priority' | 'agent' | 'day' | 'week';

const MINUTE_MS = 60_000;

const round2 = (value: number) => Math.round(value * 100) / 100;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : round2((100 * part) / whole));
const average = (values: number[]) =>
  values.length === 0
    ? null
    : round2(values.reduce((sum, value) => sum + value, 0) / values.length);

function percentile(values: number[], percent: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  // Nearest rank: the smallest value with at least `percent` % of all values at or below it.
  for (const value of sorted) {
    const atOrBelow = sorted.filter((other) => other <= value).length;
    if (atOrBelow * 100 >= percent * sorted.length) return round2(value);
  }
  return round2(nth(sorted, -1));
}

const ofType = <T extends DatedTicketEvent['type']>(events: DatedTicketEvent[], type: T) =>
  events.filter((event): event is Extract<DatedTicketEvent, { type: T }> => event.type === type);

function opened(events: DatedTicketEvent[]) {
  return nth(ofType(events, 'TicketOpened'), 0);
}

function lastResolution(events: DatedTicketEvent[]) {
  const ends = events.filter(
    (event) => event.type === 'TicketResolved' || event.type === 'TicketReopened',
  );
  const last = ends[ends.length - 1];
  return last?.type === 'TicketResolved' ? last : undefined;
}

const escalations = (events: DatedTicketEvent[]) => ofType(events, 'TicketEscalated');

function minutesBetween(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from)) / MINUTE_MS;
}

/** Milliseconds of each ended stay, by tier. */
function dwellMs(events: DatedTicketEvent[]): Record<Tier, number> {
  const dwell = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
  let tier: Tier = 'L1';
  let enteredAt: string | null = null;
  for (const event of events) {
    const leaving = () => {
      if (enteredAt !== null) dwell[tier] += Date.parse(event.occurredAt) - Date.parse(enteredAt);
      enteredAt = null;
    };
    if (event.type === 'TicketOpened') {
      tier = event.data.tier;
      enteredAt = event.occurredAt;
    } else if (event.type === 'TicketEscalated') {
      leaving();
      tier = event.data.toTier;
      enteredAt = event.occurredAt;
    } else if (event.type === 'TicketResolved' || event.type === 'TicketClosed') {
      leaving();
    } else if (event.type === 'TicketReopened') {
      enteredAt = event.occurredAt;
    }
  }
  return dwell;
}

function agentOf(events: DatedTicketEvent[]): string {
  let assignee: string | null = null;
  let firstAssignee: string | null = null;
  for (const event of events) {
    if (event.type === 'TicketEscalated') return assignee ?? 'unassigned';
    if (event.type === 'TicketAssigned') {
      assignee = event.data.agentId;
      firstAssignee ??= event.data.agentId;
    }
  }
  return firstAssignee ?? 'unassigned';
}

/** The UTC date of the Monday of the instant's week, counting back day by day. */
function mondayOf(instant: Date): string {
  const day = new Date(instant);
  while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() - 1);
  return day.toISOString().slice(0, 10);
}

export function groupKeyOf(events: DatedTicketEvent[], grouping: Grouping): string {
  const open = opened(events);
  switch (grouping) {
    case 'category':
      return open.data.category;
    case 'channel':
      return open.data.channel;
    case 'priority':
      return open.data.priority;
    case 'agent':
      return agentOf(events);
    case 'day':
      return new Date(Date.parse(open.occurredAt)).toISOString().slice(0, 10);
    case 'week':
      return mondayOf(new Date(Date.parse(open.occurredAt)));
  }
}

function satisfaction(scores: number[]) {
  return {
    count: scores.length,
    mean: average(scores),
    satisfiedPct: rate(scores.filter((score) => score === 4 || score === 5).length, scores.length),
  };
}

/** Every metric of the KPI table over the given tickets' histories. */
export function bruteForceMetrics(tickets: DatedTicketEvent[][]) {
  const escalated = tickets.filter((events) => escalations(events).length > 0);
  const resolved = tickets.filter((events) => lastResolution(events) !== undefined);
  const escalatedResolved = resolved.filter((events) => escalations(events).length > 0);
  const toResolution = escalatedResolved.map((events) =>
    minutesBetween(nth(escalations(events), 0).occurredAt, lastResolution(events)!.occurredAt),
  );
  const resolvedByTier = Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      resolved.filter((events) => lastResolution(events)!.data.resolvedTier === tier).length,
    ]),
  ) as Record<Tier, number>;
  const firstContact = resolved.filter(
    (events) =>
      lastResolution(events)!.data.resolvedTier === 'L1' &&
      escalations(events).length === 0 &&
      ofType(events, 'TicketReopened').length === 0,
  );
  const unnecessary = escalatedResolved.filter(
    (events) => lastResolution(events)!.data.escalationNecessary === false,
  );
  const byReason = Object.fromEntries(
    ESCALATION_REASONS.map((reason) => [
      reason,
      tickets.flatMap(escalations).filter((event) => event.data.reason === reason).length,
    ]),
  ) as Record<EscalationReason, number>;
  // Escalations of the escalated resolved tickets, under the root cause of their last resolution.
  const byRootCause = new Map<string, number>();
  for (const events of escalatedResolved) {
    const rootCause = lastResolution(events)!.data.rootCause;
    if (rootCause === undefined) continue;
    byRootCause.set(rootCause, (byRootCause.get(rootCause) ?? 0) + escalations(events).length);
  }
  const scores = (group: DatedTicketEvent[][]) =>
    group.flatMap((events) => ofType(events, 'FeedbackReceived').map((event) => event.data.score));
  const notEscalated = tickets.filter((events) => escalations(events).length === 0);
  const dwell = tickets.map(dwellMs);
  return {
    ticketsOpened: tickets.length,
    ticketsEscalated: escalated.length,
    escalationRate: rate(escalated.length, tickets.length),
    reEscalationRate: rate(
      escalated.filter((events) => escalations(events).length >= 2).length,
      escalated.length,
    ),
    escalationToResolution: {
      count: toResolution.length,
      mean: average(toResolution),
      p50: percentile(toResolution, 50),
      p90: percentile(toResolution, 90),
    },
    resolvedByTier,
    firstContactResolutionRate: rate(firstContact.length, resolved.length),
    unnecessaryEscalationRate: rate(unnecessary.length, escalatedResolved.length),
    escalationsByReason: byReason,
    escalationsByRootCause: Object.fromEntries(byRootCause),
    csat: {
      escalated: satisfaction(scores(escalated)),
      notEscalated: satisfaction(scores(notEscalated)),
    },
    tierDwellMinutes: Object.fromEntries(
      TIERS.map((tier) => [
        tier,
        round2(dwell.reduce((sum, each) => sum + each[tier], 0) / MINUTE_MS),
      ]),
    ) as Record<Tier, number>,
    ...bruteForceSlaMetrics(tickets),
  };
}

/** The cohort: tickets whose TicketOpened happened in [from, to). */
export function cohort(
  histories: Iterable<DatedTicketEvent[]>,
  range: { from?: string; to?: string },
): DatedTicketEvent[][] {
  return [...histories].filter((events) => {
    const at = Date.parse(opened(events).occurredAt);
    return (
      (range.from === undefined || at >= Date.parse(range.from)) &&
      (range.to === undefined || at < Date.parse(range.to))
    );
  });
}

/** The tickets by group key; none without a grouping. */
export function groupedTickets(
  tickets: DatedTicketEvent[][],
  grouping?: Grouping,
): Map<string, DatedTicketEvent[][]> {
  const groups = new Map<string, DatedTicketEvent[][]>();
  if (grouping) {
    for (const events of tickets) {
      const key = groupKeyOf(events, grouping);
      groups.set(key, [...(groups.get(key) ?? []), events]);
    }
  }
  return groups;
}

/** The KPI answer for a cohort: totals, and one group per key (sorted) when grouped. */
export function bruteForceKpis(tickets: DatedTicketEvent[][], grouping?: Grouping) {
  const groups = groupedTickets(tickets, grouping);
  return {
    totals: bruteForceMetrics(tickets),
    groups: [...groups.keys()]
      .sort()
      .map((key) => ({ key, ...bruteForceMetrics(groups.get(key)!) })),
  };
}

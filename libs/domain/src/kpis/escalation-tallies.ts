import { ESCALATION_REASONS, TIERS, type EscalationReason, type Tier } from '../ticket.values';
import type { EscalationFacts } from './escalation-facts';
import {
  firstResponseOutcome,
  resolutionOutcome,
  timeToFirstResponseMs,
  type SlaOutcome,
} from './sla-outcomes';

export const KPI_GROUPINGS = ['category', 'channel', 'priority', 'agent', 'day', 'week'] as const;
export type KpiGrouping = (typeof KPI_GROUPINGS)[number];

const MS_PER_MINUTE = 60_000;

export interface SatisfactionTally {
  count: number;
  /** Sum of the scores. */
  sum: number;
  /** Scores of 4 or 5. */
  satisfied: number;
}

export interface SlaTargetTally {
  /** Tickets measured against the target. */
  measured: number;
  /** Of those, the tickets that met it. */
  met: number;
}

/**
 * Counts and sums over a set of tickets' escalation facts: everything the
 * KPI table is computed from, and nothing that depends on the order of the
 * tickets, so a store can add it up however it likes (SQL, in one pass) and
 * two tallies of disjoint sets add up to the tally of their union.
 */
export interface EscalationTally {
  ticketsOpened: number;
  ticketsEscalated: number;
  /** Tickets escalated two or more times. */
  ticketsReEscalated: number;
  /** Tickets whose last Resolved-or-Reopened event is a Resolved. */
  resolved: number;
  resolvedByTier: Record<Tier, number>;
  /** Resolved at L1, never escalated, never reopened. */
  resolvedFirstContact: number;
  escalatedResolved: number;
  /** Escalated, resolved, and judged an unnecessary escalation by the resolver. */
  unnecessary: number;
  escalationsByReason: Record<EscalationReason, number>;
  /**
   * Escalations of the escalated resolved tickets, by the root cause their
   * last resolution recorded. Root causes are free text: the record has no
   * prototype, so any text is just a key.
   */
  escalationsByRootCause: Record<string, number>;
  /** Per escalated resolved ticket, milliseconds from its first escalation to its last resolution; in no order. */
  escalationToResolutionMs: number[];
  csat: { escalated: SatisfactionTally; notEscalated: SatisfactionTally };
  /** Whole milliseconds of completed stays, by tier. */
  tierDwellMs: Record<Tier, number>;
  /** Tickets opened under SLA terms: the only ones the SLA numbers count. */
  ticketsUnderSla: number;
  /** Of those, the tickets that missed at least one target. */
  ticketsBreachingSla: number;
  sla: { firstResponse: SlaTargetTally; resolution: SlaTargetTally };
  /** TicketEscalated events the SLA clock made. */
  autoEscalations: number;
  /** TicketEscalated events a person made. */
  manualEscalations: number;
  /** Tickets assigned at least once. */
  ticketsResponded: number;
  /** Over those, the sum of whole milliseconds from opening to the first assignment. */
  timeToFirstResponseMs: number;
}

export interface EscalationTallies {
  totals: EscalationTally;
  /** One per key when a grouping is asked, sorted by key. */
  groups: { key: string; tally: EscalationTally }[];
}

function zeroBy<K extends string>(keys: readonly K[]): Record<K, number> {
  const zeros = {} as Record<K, number>;
  for (const key of keys) zeros[key] = 0;
  return zeros;
}

export function emptyTally(): EscalationTally {
  return {
    ticketsOpened: 0,
    ticketsEscalated: 0,
    ticketsReEscalated: 0,
    resolved: 0,
    resolvedByTier: zeroBy(TIERS),
    resolvedFirstContact: 0,
    escalatedResolved: 0,
    unnecessary: 0,
    escalationsByReason: zeroBy(ESCALATION_REASONS),
    escalationsByRootCause: Object.create(null) as Record<string, number>,
    escalationToResolutionMs: [],
    csat: {
      escalated: { count: 0, sum: 0, satisfied: 0 },
      notEscalated: { count: 0, sum: 0, satisfied: 0 },
    },
    tierDwellMs: zeroBy(TIERS),
    ticketsUnderSla: 0,
    ticketsBreachingSla: 0,
    sla: { firstResponse: { measured: 0, met: 0 }, resolution: { measured: 0, met: 0 } },
    autoEscalations: 0,
    manualEscalations: 0,
    ticketsResponded: 0,
    timeToFirstResponseMs: 0,
  };
}

/**
 * Whole milliseconds of a ticket's dwell, kept in minutes. The minutes are a
 * sum of a few (milliseconds / 60,000) quotients, each off by at most half an
 * ulp, so for any stay shorter than millennia this gives back the exact sum of
 * the milliseconds: totals add integers, in any order, without rounding drift.
 */
export function dwellMs(minutes: number | undefined): number {
  return minutes === undefined ? 0 : Math.round(minutes * MS_PER_MINUTE);
}

/** From the first escalation to the last resolution, for a ticket the KPI measures it on. */
export function escalationToResolutionMs(facts: EscalationFacts): number | null {
  if (!facts.resolved || !facts.resolvedTier || facts.escalationCount === 0) return null;
  if (!facts.firstEscalatedAt || !facts.lastResolvedAt) return null;
  return Date.parse(facts.lastResolvedAt) - Date.parse(facts.firstEscalatedAt);
}

/** What an escalated resolved ticket adds under its root cause; null for any other ticket. */
export function rootCauseShare(
  facts: EscalationFacts,
): { rootCause: string; escalations: number } | null {
  if (!facts.resolved || !facts.resolvedTier || facts.escalationCount === 0) return null;
  if (facts.rootCause === null) return null;
  return { rootCause: facts.rootCause, escalations: facts.escalationCount };
}

/** Adds `count` under `key` of a record of counts. */
function addCount(counts: Record<string, number>, key: string, count: number): void {
  counts[key] = (counts[key] ?? 0) + count;
}

function addOutcome(target: SlaTargetTally, outcome: SlaOutcome): void {
  if (outcome === null) return;
  target.measured++;
  if (outcome === 'met') target.met++;
}

function addSla(tally: EscalationTally, facts: EscalationFacts): void {
  if (!facts.sla) return;
  const firstResponse = firstResponseOutcome(facts);
  const resolution = resolutionOutcome(facts);
  tally.ticketsUnderSla++;
  if (firstResponse === 'missed' || resolution === 'missed') tally.ticketsBreachingSla++;
  addOutcome(tally.sla.firstResponse, firstResponse);
  addOutcome(tally.sla.resolution, resolution);
}

/** Adds one ticket: the definition every store's tally must agree with. */
export function addToTally(tally: EscalationTally, facts: EscalationFacts): void {
  const escalated = facts.escalationCount > 0;
  tally.ticketsOpened++;
  if (escalated) tally.ticketsEscalated++;
  if (facts.escalationCount >= 2) tally.ticketsReEscalated++;
  for (const reason of ESCALATION_REASONS) {
    tally.escalationsByReason[reason] += facts.escalationReasons[reason] ?? 0;
  }
  for (const tier of TIERS) tally.tierDwellMs[tier] += dwellMs(facts.tierDwellMinutes[tier]);
  const byRootCause = rootCauseShare(facts);
  if (byRootCause)
    addCount(tally.escalationsByRootCause, byRootCause.rootCause, byRootCause.escalations);
  if (facts.resolved && facts.resolvedTier) {
    tally.resolved++;
    tally.resolvedByTier[facts.resolvedTier]++;
    if (facts.resolvedTier === 'L1' && !escalated && !facts.reopened) tally.resolvedFirstContact++;
    if (escalated) {
      tally.escalatedResolved++;
      if (facts.escalationNecessary === false) tally.unnecessary++;
    }
  }
  const toResolution = escalationToResolutionMs(facts);
  if (toResolution !== null) tally.escalationToResolutionMs.push(toResolution);
  if (facts.feedbackScore !== null) {
    const satisfaction = escalated ? tally.csat.escalated : tally.csat.notEscalated;
    satisfaction.count++;
    satisfaction.sum += facts.feedbackScore;
    if (facts.feedbackScore >= 4) satisfaction.satisfied++;
  }
  tally.autoEscalations += facts.autoEscalationCount;
  tally.manualEscalations += facts.escalationCount - facts.autoEscalationCount;
  const toFirstResponse = timeToFirstResponseMs(facts);
  if (toFirstResponse !== null) {
    tally.ticketsResponded++;
    tally.timeToFirstResponseMs += toFirstResponse;
  }
  addSla(tally, facts);
}

/**
 * Every number of a tally, as a path (`resolvedByTier.L1`); the list of
 * durations is no number, and the root causes, empty in `emptyTally`, have no
 * path: their keys are known only once tickets name them.
 */
function numericPaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'number') return [prefix];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    numericPaths(inner, prefix ? `${prefix}.${key}` : key),
  );
}

/** The numbers of a tally, in a fixed order: what a store sums, one column or field each. */
export const TALLY_NUMBER_PATHS: readonly string[] = numericPaths(emptyTally());
/** The same paths as keys, split once: a projection writes a share per ticket it touches. */
const TALLY_NUMBER_KEYS = TALLY_NUMBER_PATHS.map((path) => path.split('.'));

/**
 * One ticket's share of any tally it is in: `addToTally` applied to it alone.
 * A store that keeps each ticket's share and sums the shares counts exactly
 * what `tallyEscalations` counts, whatever its query language.
 */
export function ticketShare(facts: EscalationFacts): EscalationTally {
  const share = emptyTally();
  addToTally(share, facts);
  return share;
}

/** The numbers of `tally` in `TALLY_NUMBER_PATHS` order. */
export function tallyNumbers(tally: EscalationTally): number[] {
  return TALLY_NUMBER_KEYS.map((keys) => {
    let at: unknown = tally;
    for (const key of keys) at = (at as Record<string, unknown>)[key];
    return at as number;
  });
}

/** A tally with the numbers given in `TALLY_NUMBER_PATHS` order (a missing sum is 0) and no durations. */
export function tallyOfNumbers(numbers: readonly (number | null | undefined)[]): EscalationTally {
  const tally = emptyTally();
  TALLY_NUMBER_KEYS.forEach((keys, index) => {
    let target = tally as unknown as Record<string, unknown>;
    keys.forEach((key, depth) => {
      if (depth < keys.length - 1) target = target[key] as Record<string, unknown>;
      else target[key] = Number(numbers[index] ?? 0);
    });
  });
  return tally;
}

/** Adds `other` into `tally`. */
export function addTally(tally: EscalationTally, other: EscalationTally): void {
  tally.ticketsOpened += other.ticketsOpened;
  tally.ticketsEscalated += other.ticketsEscalated;
  tally.ticketsReEscalated += other.ticketsReEscalated;
  tally.resolved += other.resolved;
  tally.resolvedFirstContact += other.resolvedFirstContact;
  tally.escalatedResolved += other.escalatedResolved;
  tally.unnecessary += other.unnecessary;
  for (const tier of TIERS) {
    tally.resolvedByTier[tier] += other.resolvedByTier[tier];
    tally.tierDwellMs[tier] += other.tierDwellMs[tier];
  }
  for (const reason of ESCALATION_REASONS) {
    tally.escalationsByReason[reason] += other.escalationsByReason[reason];
  }
  for (const [rootCause, count] of Object.entries(other.escalationsByRootCause)) {
    addCount(tally.escalationsByRootCause, rootCause, count);
  }
  for (const ms of other.escalationToResolutionMs) tally.escalationToResolutionMs.push(ms);
  for (const side of ['escalated', 'notEscalated'] as const) {
    tally.csat[side].count += other.csat[side].count;
    tally.csat[side].sum += other.csat[side].sum;
    tally.csat[side].satisfied += other.csat[side].satisfied;
  }
  tally.ticketsUnderSla += other.ticketsUnderSla;
  tally.ticketsBreachingSla += other.ticketsBreachingSla;
  for (const target of ['firstResponse', 'resolution'] as const) {
    tally.sla[target].measured += other.sla[target].measured;
    tally.sla[target].met += other.sla[target].met;
  }
  tally.autoEscalations += other.autoEscalations;
  tally.manualEscalations += other.manualEscalations;
  tally.ticketsResponded += other.ticketsResponded;
  tally.timeToFirstResponseMs += other.timeToFirstResponseMs;
}

/** groupBy=agent: the agent holding the ticket at its first escalation, else its first assignee. */
export function groupKey(
  facts: Pick<
    EscalationFacts,
    | 'category'
    | 'channel'
    | 'priority'
    | 'escalationCount'
    | 'assigneeAtFirstEscalation'
    | 'firstAssigneeId'
    | 'openedAt'
  >,
  grouping: KpiGrouping,
): string {
  switch (grouping) {
    case 'category':
      return facts.category;
    case 'channel':
      return facts.channel;
    case 'priority':
      return facts.priority;
    case 'agent': {
      const agent =
        facts.escalationCount > 0 ? facts.assigneeAtFirstEscalation : facts.firstAssigneeId;
      return agent ?? 'unassigned';
    }
    case 'day':
      return facts.openedAt.slice(0, 10);
    case 'week':
      return weekOf(facts.openedAt);
  }
}

const MS_PER_DAY = 86_400_000;

/** The UTC date (`YYYY-MM-DD`) of the Monday on or before the instant's UTC date. */
function weekOf(instant: string): string {
  const day = Date.parse(`${instant.slice(0, 10)}T00:00:00.000Z`);
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Groups sorted by key, as the KPI answer lists them. */
export function sortedGroups(byKey: Map<string, EscalationTally>): EscalationTallies['groups'] {
  return [...byKey.keys()].sort().map((key) => ({ key, tally: byKey.get(key)! }));
}

/**
 * The answer from one tally per group key, the key null without a grouping:
 * the totals add up the groups, each ticket being in exactly one.
 */
export function talliesOfGroups(
  byKey: Map<string | null, EscalationTally>,
  grouping?: KpiGrouping,
): EscalationTallies {
  if (!grouping) return { totals: byKey.get(null) ?? emptyTally(), groups: [] };
  const totals = emptyTally();
  for (const tally of byKey.values()) addTally(totals, tally);
  return { totals, groups: sortedGroups(byKey as Map<string, EscalationTally>) };
}

/** The tallies of a list of facts, in memory: what any store's answer must equal. */
export function tallyEscalations(
  tickets: readonly EscalationFacts[],
  grouping?: KpiGrouping,
): EscalationTallies {
  const totals = emptyTally();
  const byKey = new Map<string, EscalationTally>();
  for (const facts of tickets) {
    addToTally(totals, facts);
    if (!grouping) continue;
    const key = groupKey(facts, grouping);
    let group = byKey.get(key);
    if (!group) byKey.set(key, (group = emptyTally()));
    addToTally(group, facts);
  }
  return { totals, groups: sortedGroups(byKey) };
}

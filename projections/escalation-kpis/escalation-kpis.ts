import { ESCALATION_REASONS, TIERS, type EscalationReason, type Tier } from '@ledger/domain';
import type { EscalationFacts } from '@ledger/read-store';

export const KPI_GROUPINGS = ['category', 'channel', 'priority', 'agent', 'day'] as const;
export type KpiGrouping = (typeof KPI_GROUPINGS)[number];

export interface DurationSummary {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
}

export interface SatisfactionSummary {
  count: number;
  mean: number | null;
  satisfiedPct: number;
}

export interface EscalationMetrics {
  ticketsOpened: number;
  ticketsEscalated: number;
  escalationRate: number;
  reEscalationRate: number;
  escalationToResolution: DurationSummary;
  resolvedByTier: Record<Tier, number>;
  firstContactResolutionRate: number;
  unnecessaryEscalationRate: number;
  escalationsByReason: Record<EscalationReason, number>;
  csat: { escalated: SatisfactionSummary; notEscalated: SatisfactionSummary };
  tierDwellMinutes: Record<Tier, number>;
}

export interface EscalationKpiGroup extends EscalationMetrics {
  key: string;
}

export interface EscalationKpis {
  totals: EscalationMetrics;
  groups: EscalationKpiGroup[];
}

const MS_PER_MINUTE = 60_000;

export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

function rate(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : round2((100 * numerator) / denominator);
}

function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const value of values) sum += value;
  return round2(sum / values.length);
}

/** Nearest-rank: the smallest value with at least `percent` % of the values at or below it. */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return round2(sorted[rank - 1]);
}

function zeroBy<K extends string>(keys: readonly K[]): Record<K, number> {
  return Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
}

function satisfaction(scores: readonly number[]): SatisfactionSummary {
  return {
    count: scores.length,
    mean: mean(scores),
    satisfiedPct: rate(scores.filter((score) => score >= 4).length, scores.length),
  };
}

/** Every metric of the KPI table over one set of tickets. */
export function escalationMetrics(tickets: readonly EscalationFacts[]): EscalationMetrics {
  let escalated = 0;
  let reEscalated = 0;
  let resolved = 0;
  let resolvedFirstContact = 0;
  let escalatedResolved = 0;
  let unnecessary = 0;
  const toResolution: number[] = [];
  const resolvedByTier = zeroBy(TIERS);
  const escalationsByReason = zeroBy(ESCALATION_REASONS);
  const dwell = zeroBy(TIERS);
  const escalatedScores: number[] = [];
  const notEscalatedScores: number[] = [];

  for (const ticket of tickets) {
    const wasEscalated = ticket.escalationCount > 0;
    if (wasEscalated) escalated++;
    if (ticket.escalationCount >= 2) reEscalated++;
    for (const reason of ESCALATION_REASONS) {
      escalationsByReason[reason] += ticket.escalationReasons[reason] ?? 0;
    }
    for (const tier of TIERS) dwell[tier] += ticket.tierDwellMinutes[tier] ?? 0;
    if (ticket.resolved && ticket.resolvedTier) {
      resolved++;
      resolvedByTier[ticket.resolvedTier]++;
      if (ticket.resolvedTier === 'L1' && !wasEscalated && !ticket.reopened) resolvedFirstContact++;
      if (wasEscalated) {
        escalatedResolved++;
        if (ticket.escalationNecessary === false) unnecessary++;
        if (ticket.firstEscalatedAt && ticket.lastResolvedAt) {
          const ms = Date.parse(ticket.lastResolvedAt) - Date.parse(ticket.firstEscalatedAt);
          toResolution.push(ms / MS_PER_MINUTE);
        }
      }
    }
    if (ticket.feedbackScore !== null) {
      (wasEscalated ? escalatedScores : notEscalatedScores).push(ticket.feedbackScore);
    }
  }

  toResolution.sort((a, b) => a - b);
  for (const tier of TIERS) dwell[tier] = round2(dwell[tier]);
  return {
    ticketsOpened: tickets.length,
    ticketsEscalated: escalated,
    escalationRate: rate(escalated, tickets.length),
    reEscalationRate: rate(reEscalated, escalated),
    escalationToResolution: {
      count: toResolution.length,
      mean: mean(toResolution),
      p50: nearestRank(toResolution, 50),
      p90: nearestRank(toResolution, 90),
    },
    resolvedByTier,
    firstContactResolutionRate: rate(resolvedFirstContact, resolved),
    unnecessaryEscalationRate: rate(unnecessary, escalatedResolved),
    escalationsByReason,
    csat: {
      escalated: satisfaction(escalatedScores),
      notEscalated: satisfaction(notEscalatedScores),
    },
    tierDwellMinutes: dwell,
  };
}

export function groupKey(ticket: EscalationFacts, grouping: KpiGrouping): string {
  switch (grouping) {
    case 'category':
      return ticket.category;
    case 'channel':
      return ticket.channel;
    case 'priority':
      return ticket.priority;
    case 'agent': {
      const agent =
        ticket.escalationCount > 0 ? ticket.assigneeAtFirstEscalation : ticket.firstAssigneeId;
      return agent ?? 'unassigned';
    }
    case 'day':
      return ticket.openedAt.slice(0, 10);
  }
}

/** The totals over all tickets, and per group when a grouping is asked, groups sorted by key. */
export function computeEscalationKpis(
  tickets: readonly EscalationFacts[],
  grouping?: KpiGrouping,
): EscalationKpis {
  const totals = escalationMetrics(tickets);
  if (!grouping) return { totals, groups: [] };
  const byKey = new Map<string, EscalationFacts[]>();
  for (const ticket of tickets) {
    const key = groupKey(ticket, grouping);
    const members = byKey.get(key);
    if (members) members.push(ticket);
    else byKey.set(key, [ticket]);
  }
  const keys = [...byKey.keys()].sort();
  return { totals, groups: keys.map((key) => ({ key, ...escalationMetrics(byKey.get(key)!) })) };
}

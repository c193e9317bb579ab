import {
  tallyEscalations,
  TIERS,
  type EscalationFacts,
  type EscalationReason,
  type EscalationTallies,
  type EscalationTally,
  type KpiGrouping,
  type SatisfactionTally,
  type Tier,
} from '@ledger/domain';

export { KPI_GROUPINGS, groupKey, type KpiGrouping } from '@ledger/domain';

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
  /** Most escalations first, then by root cause: a Pareto's order. */
  escalationsByRootCause: Record<string, number>;
  csat: { escalated: SatisfactionSummary; notEscalated: SatisfactionSummary };
  tierDwellMinutes: Record<Tier, number>;
  slaBreachRate: number;
  slaCompliance: { firstResponse: number; resolution: number };
  autoEscalations: number;
  manualEscalations: number;
  meanTimeToFirstResponse: number | null;
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
  const value = sorted[rank - 1];
  return value === undefined ? null : round2(value);
}

function mostFirst(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(counts).sort(
      ([causeA, countA], [causeB, countB]) =>
        countB - countA || (causeA < causeB ? -1 : causeA > causeB ? 1 : 0),
    ),
  );
}

function satisfaction({ count, sum, satisfied }: SatisfactionTally): SatisfactionSummary {
  return {
    count,
    mean: count === 0 ? null : round2(sum / count),
    satisfiedPct: rate(satisfied, count),
  };
}

/** Every metric of the KPI table, from the tally of a set of tickets. */
export function escalationMetrics(tally: EscalationTally): EscalationMetrics {
  const toResolution = tally.escalationToResolutionMs.map((ms) => ms / MS_PER_MINUTE);
  toResolution.sort((a, b) => a - b);
  const dwell = {} as Record<Tier, number>;
  for (const tier of TIERS) dwell[tier] = round2(tally.tierDwellMs[tier] / MS_PER_MINUTE);
  return {
    ticketsOpened: tally.ticketsOpened,
    ticketsEscalated: tally.ticketsEscalated,
    escalationRate: rate(tally.ticketsEscalated, tally.ticketsOpened),
    reEscalationRate: rate(tally.ticketsReEscalated, tally.ticketsEscalated),
    escalationToResolution: {
      count: toResolution.length,
      mean: mean(toResolution),
      p50: nearestRank(toResolution, 50),
      p90: nearestRank(toResolution, 90),
    },
    resolvedByTier: { ...tally.resolvedByTier },
    firstContactResolutionRate: rate(tally.resolvedFirstContact, tally.resolved),
    unnecessaryEscalationRate: rate(tally.unnecessary, tally.escalatedResolved),
    escalationsByReason: { ...tally.escalationsByReason },
    escalationsByRootCause: mostFirst(tally.escalationsByRootCause),
    csat: {
      escalated: satisfaction(tally.csat.escalated),
      notEscalated: satisfaction(tally.csat.notEscalated),
    },
    tierDwellMinutes: dwell,
    slaBreachRate: rate(tally.ticketsBreachingSla, tally.ticketsUnderSla),
    slaCompliance: {
      firstResponse: rate(tally.sla.firstResponse.met, tally.sla.firstResponse.measured),
      resolution: rate(tally.sla.resolution.met, tally.sla.resolution.measured),
    },
    autoEscalations: tally.autoEscalations,
    manualEscalations: tally.manualEscalations,
    meanTimeToFirstResponse:
      tally.ticketsResponded === 0
        ? null
        : round2(tally.timeToFirstResponseMs / tally.ticketsResponded / MS_PER_MINUTE),
  };
}

/** The KPI answer from a store's tallies: totals, and one entry per group. */
export function kpisFromTallies({ totals, groups }: EscalationTallies): EscalationKpis {
  return {
    totals: escalationMetrics(totals),
    groups: groups.map(({ key, tally }) => ({ key, ...escalationMetrics(tally) })),
  };
}

/** The totals over all tickets, and per group when a grouping is asked, groups sorted by key. */
export function computeEscalationKpis(
  tickets: readonly EscalationFacts[],
  grouping?: KpiGrouping,
): EscalationKpis {
  return kpisFromTallies(tallyEscalations(tickets, grouping));
}

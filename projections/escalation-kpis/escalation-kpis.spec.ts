import type { EscalationFacts } from '@ledger/read-store';
import { openedTicketFacts } from '../../test/support/escalation-facts';
import { computeEscalationKpis, nearestRank } from './escalation-kpis';

const facts = (overrides: Partial<EscalationFacts>): EscalationFacts =>
  openedTicketFacts({
    openedAt: '2026-01-05T09:00:00.000Z',
    category: 'billing',
    currentStay: null,
    ...overrides,
  });

const escalatedAndResolved = (id: string, minutes: number, necessary: boolean | null) =>
  facts({
    ticketId: id,
    tier: 'L2',
    escalationCount: 1,
    firstEscalatedAt: '2026-01-05T10:00:00.000Z',
    escalationReasons: { complexity: 1 },
    resolved: true,
    resolvedTier: 'L2',
    lastResolvedAt: new Date(
      Date.parse('2026-01-05T10:00:00.000Z') + minutes * 60_000,
    ).toISOString(),
    escalationNecessary: necessary,
  });

describe('nearest-rank percentiles', () => {
  it('take the smallest value with at least that share at or below it', () => {
    const sorted = [15, 20, 35, 40, 50];
    expect(nearestRank(sorted, 50)).toBe(35);
    expect(nearestRank(sorted, 90)).toBe(50);
    expect(nearestRank([7], 90)).toBe(7);
  });

  it('are null with nothing to measure', () => {
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('escalation KPIs', () => {
  it('are zeros and nulls for an empty cohort', () => {
    const { totals } = computeEscalationKpis([]);
    expect(totals.ticketsOpened).toBe(0);
    expect(totals.escalationRate).toBe(0);
    expect(totals.escalationToResolution).toEqual({ count: 0, mean: null, p50: null, p90: null });
    expect(totals.csat.escalated).toEqual({ count: 0, mean: null, satisfiedPct: 0 });
  });

  it('rate escalations over the cohort, to two decimals', () => {
    const cohort = [
      escalatedAndResolved('a', 30, true),
      facts({ ticketId: 'b' }),
      facts({ ticketId: 'c' }),
    ];
    expect(computeEscalationKpis(cohort).totals.escalationRate).toBe(33.33);
  });

  it('count re-escalations among escalated tickets', () => {
    const cohort = [
      escalatedAndResolved('a', 30, true),
      { ...escalatedAndResolved('b', 30, true), escalationCount: 2 },
    ];
    expect(computeEscalationKpis(cohort).totals.reEscalationRate).toBe(50);
  });

  it('measure escalation to resolution in minutes with mean, p50 and p90', () => {
    const cohort = [10, 20, 30, 40].map((m, i) => escalatedAndResolved(`t${i}`, m, true));
    expect(computeEscalationKpis(cohort).totals.escalationToResolution).toEqual({
      count: 4,
      mean: 25,
      p50: 20,
      p90: 40,
    });
  });

  it('judge escalations unnecessary only when the resolver said so', () => {
    const cohort = [
      escalatedAndResolved('a', 5, false),
      escalatedAndResolved('b', 5, true),
      escalatedAndResolved('c', 5, null),
      escalatedAndResolved('d', 5, false),
    ];
    expect(computeEscalationKpis(cohort).totals.unnecessaryEscalationRate).toBe(50);
  });

  it('count first-contact resolutions: at L1, never escalated, never reopened', () => {
    const cohort = [
      facts({ ticketId: 'a', resolved: true, resolvedTier: 'L1' }),
      facts({ ticketId: 'b', resolved: true, resolvedTier: 'L1', reopened: true }),
      escalatedAndResolved('c', 5, true),
      facts({ ticketId: 'd' }),
    ];
    const { totals } = computeEscalationKpis(cohort);
    expect(totals.firstContactResolutionRate).toBe(33.33);
    expect(totals.resolvedByTier).toEqual({ L1: 2, L2: 1, L3: 0, MANAGEMENT: 0 });
  });

  it('split satisfaction between escalated and not escalated tickets', () => {
    const cohort = [
      { ...escalatedAndResolved('a', 5, true), feedbackScore: 5 },
      { ...escalatedAndResolved('b', 5, true), feedbackScore: 2 },
      facts({ ticketId: 'c', resolved: true, resolvedTier: 'L1', feedbackScore: 4 }),
    ];
    const { csat } = computeEscalationKpis(cohort).totals;
    expect(csat.escalated).toEqual({ count: 2, mean: 3.5, satisfiedPct: 50 });
    expect(csat.notEscalated).toEqual({ count: 1, mean: 4, satisfiedPct: 100 });
  });

  it('group by the agent holding the ticket at its first escalation, else its first assignee', () => {
    const cohort = [
      {
        ...escalatedAndResolved('a', 5, true),
        firstAssigneeId: 'x',
        assigneeAtFirstEscalation: 'y',
      },
      facts({ ticketId: 'b', firstAssigneeId: 'x' }),
      facts({ ticketId: 'c' }),
    ];
    const groups = computeEscalationKpis(cohort, 'agent').groups;
    expect(groups.map((g) => [g.key, g.ticketsOpened])).toEqual([
      ['unassigned', 1],
      ['x', 1],
      ['y', 1],
    ]);
  });

  it('group by the UTC day of opening', () => {
    const cohort = [
      facts({ ticketId: 'a', openedAt: '2026-01-05T23:59:59.000Z' }),
      facts({ ticketId: 'b', openedAt: '2026-01-06T00:00:00.000Z' }),
    ];
    expect(computeEscalationKpis(cohort, 'day').groups.map((g) => g.key)).toEqual([
      '2026-01-05',
      '2026-01-06',
    ]);
  });
});

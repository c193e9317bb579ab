import type { SlaTarget, SlaTerms, Tier, TicketEvent } from '@ledger/domain';
import type { EscalationFacts } from '@ledger/read-store';
import { factsOfHistory, openedTicketFacts } from '../../../test/support/escalation-facts';
import { ticketOpened } from '../../../test/support/test-events';
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
    expect(totals).toMatchObject({
      slaBreachRate: 0,
      slaCompliance: { firstResponse: 0, resolution: 0 },
      autoEscalations: 0,
      manualEscalations: 0,
      meanTimeToFirstResponse: null,
    });
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

  it('group by the Monday of the UTC week of opening', () => {
    const cohort = [
      // Sunday, then Monday: two weeks.
      facts({ ticketId: 'a', openedAt: '2026-01-11T23:59:59.000Z' }),
      facts({ ticketId: 'b', openedAt: '2026-01-12T00:00:00.000Z' }),
      facts({ ticketId: 'c', openedAt: '2026-01-05T00:00:00.000Z' }),
    ];
    expect(
      computeEscalationKpis(cohort, 'week').groups.map((g) => [g.key, g.ticketsOpened]),
    ).toEqual([
      ['2026-01-05', 2],
      ['2026-01-12', 1],
    ]);
  });

  it('list escalations by root cause most first, then by name, escalated resolved tickets only', () => {
    const withCause = (id: string, rootCause: string, escalationCount = 1) => ({
      ...escalatedAndResolved(id, 5, true),
      rootCause,
      escalationCount,
    });
    const cohort = [
      withCause('a', 'typo'),
      withCause('b', 'capacity'),
      withCause('c', 'expired-credentials', 3),
      { ...withCause('d', 'typo'), resolved: false },
      facts({ ticketId: 'e', resolved: true, resolvedTier: 'L1', rootCause: 'faq' }),
    ];
    const { escalationsByRootCause } = computeEscalationKpis(cohort).totals;
    expect(Object.entries(escalationsByRootCause)).toEqual([
      ['expired-credentials', 3],
      ['capacity', 1],
      ['typo', 1],
    ]);
  });
});

/** An hour to answer, four to resolve, around the clock. */
const terms: SlaTerms = {
  policyVersion: 1,
  firstResponseMinutes: 60,
  resolutionMinutes: 240,
  warnAt: 0.8,
};

const minute = (m: number) => new Date(Date.parse('2026-01-05T09:00:00.000Z') + m * 60_000);

/** The facts of a ticket opened at 09:00 (under `terms` unless `sla` is null), then `steps`. */
function ticket(
  category: string,
  steps: [minute: number, event: TicketEvent][],
  sla: SlaTerms | null = terms,
): EscalationFacts {
  const opened = ticketOpened('t');
  const opening = { ...opened, data: { ...opened.data, category, ...(sla && { sla }) } };
  return factsOfHistory(
    [[0, opening] as const, ...steps].map(([m, event]) => ({
      ...event,
      occurredAt: minute(m).toISOString(),
    })),
  );
}

const assigned = (agentId = 'ana', auto = false): TicketEvent => ({
  type: 'TicketAssigned',
  data: { agentId, tier: 'L1', auto },
});
const resolved: TicketEvent = {
  type: 'TicketResolved',
  data: { resolution: 'r', resolvedTier: 'L1' },
};
const reopened: TicketEvent = { type: 'TicketReopened', data: { reason: 'again' } };
const breached = (target: SlaTarget): TicketEvent => ({
  type: 'SlaBreached',
  data: {
    target,
    dueAt: minute(target === 'first_response' ? 60 : 240).toISOString(),
    policyVersion: 1,
  },
});
const escalated = (auto: boolean, fromTier: Tier = 'L1', toTier: Tier = 'L2'): TicketEvent => ({
  type: 'TicketEscalated',
  data: { fromTier, toTier, reason: 'sla_breach', note: 'n', auto },
});

describe('SLA and automation KPIs', () => {
  it('rate first responses on tickets assigned or breached, met when assigned by the deadline', () => {
    const cohort = [
      ticket('billing', [[30, assigned()]]),
      ticket('billing', [[90, assigned()]]),
      ticket('access', [[60, breached('first_response')]]),
      ticket('access', []),
    ];

    expect(computeEscalationKpis(cohort).totals).toMatchObject({
      slaCompliance: { firstResponse: 33.33, resolution: 0 },
      slaBreachRate: 50,
    });
  });

  it('leave tickets opened without SLA terms out of every SLA metric', () => {
    const cohort = [
      ticket('billing', [[30, assigned()]]),
      ticket(
        'billing',
        [
          [600, assigned()],
          [900, resolved],
        ],
        null,
      ),
    ];

    expect(computeEscalationKpis(cohort).totals).toMatchObject({
      slaCompliance: { firstResponse: 100, resolution: 0 },
      slaBreachRate: 0,
    });
  });

  it('judge a resolution by the deadline the time spent pending moved', () => {
    const pending = (m: number, from: 'open' | 'pending', to: 'pending' | 'in_progress') =>
      [m, { type: 'TicketStatusChanged', data: { from, to } }] as [number, TicketEvent];
    const cohort = [
      // Pending from 09:10 to 10:30: due at 14:20 instead of 13:00.
      ticket('billing', [
        pending(10, 'open', 'pending'),
        pending(90, 'pending', 'in_progress'),
        [300, resolved],
      ]),
      ticket('billing', [[300, resolved]]),
    ];

    expect(computeEscalationKpis(cohort).totals).toMatchObject({
      slaCompliance: { firstResponse: 0, resolution: 50 },
      slaBreachRate: 50,
    });
  });

  it('judge a ticket resolved while pending by the time its clock ran, not a deadline set before the pause', () => {
    const cohort = [
      // Ten minutes of work, then pending until resolved at 14:00: due at 14:00 + 230 minutes.
      ticket('billing', [
        [10, { type: 'TicketStatusChanged', data: { from: 'open', to: 'pending' } }],
        [300, resolved],
      ]),
    ];

    expect(computeEscalationKpis(cohort).totals).toMatchObject({
      slaCompliance: { firstResponse: 0, resolution: 100 },
      slaBreachRate: 0,
    });
  });

  it('judge a reopened ticket by its last resolution, against what was left of the deadline', () => {
    const cohort = [
      // 100 minutes used before the reopen at 10:50: due at 13:10.
      ticket('billing', [
        [100, resolved],
        [110, reopened],
        [300, resolved],
      ]),
      ticket('billing', [
        [100, resolved],
        [110, reopened],
        [250, resolved],
      ]),
      ticket('billing', [
        [100, resolved],
        [110, reopened],
      ]),
    ];

    expect(computeEscalationKpis(cohort).totals).toMatchObject({
      slaCompliance: { firstResponse: 0, resolution: 50 },
      slaBreachRate: 33.33,
    });
  });

  it('count a recorded resolution breach as missed, resolved since or not', () => {
    const cohort = [
      ticket('billing', [
        [240, breached('resolution')],
        [240, resolved],
      ]),
      ticket('billing', [[240, breached('resolution')]]),
      ticket('billing', [[240, resolved]]),
    ];

    expect(computeEscalationKpis(cohort).totals).toMatchObject({
      slaCompliance: { firstResponse: 0, resolution: 33.33 },
      slaBreachRate: 66.67,
    });
  });

  it('count automatic and manual escalations as events, like escalations by reason', () => {
    const cohort = [
      ticket('billing', [
        [10, escalated(false)],
        [20, escalated(true, 'L2', 'L3')],
      ]),
      ticket('billing', [[10, escalated(true)]], null),
    ];

    expect(computeEscalationKpis(cohort).totals).toMatchObject({
      autoEscalations: 2,
      manualEscalations: 1,
    });
  });

  it('average the minutes to the first assignment over the tickets ever assigned', () => {
    const cohort = [
      ticket('billing', [
        [30, assigned('ana', true)],
        [40, assigned('bo')],
      ]),
      ticket('access', [[45, assigned()]], null),
      ticket('access', []),
    ];
    const kpis = computeEscalationKpis(cohort, 'category');

    expect(kpis.totals.meanTimeToFirstResponse).toBe(37.5);
    expect(kpis.groups.map((g) => [g.key, g.meanTimeToFirstResponse])).toEqual([
      ['access', 45],
      ['billing', 30],
    ]);
    expect(computeEscalationKpis([ticket('access', [])]).totals.meanTimeToFirstResponse).toBeNull();
  });

  it('give every group its own SLA numbers', () => {
    const cohort = [
      ticket('billing', [
        [30, assigned()],
        [100, resolved],
      ]),
      ticket('access', [[90, assigned()]]),
    ];

    expect(
      computeEscalationKpis(cohort, 'category').groups.map((g) => [
        g.key,
        g.slaBreachRate,
        g.slaCompliance,
      ]),
    ).toEqual([
      ['access', 100, { firstResponse: 0, resolution: 0 }],
      ['billing', 0, { firstResponse: 100, resolution: 100 }],
    ]);
  });
});

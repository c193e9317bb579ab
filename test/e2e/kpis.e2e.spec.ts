import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { accepted, openTicket, type OpenTicketBody, type TicketAction } from './support/tickets';

/** An instant of 2026-02-02, the day of the cohort below. */
const at = (time: string) => `2026-02-02T${time}:00.000Z`;
const DAY = { from: '2026-02-02T00:00:00.000Z', to: '2026-02-03T00:00:00.000Z' };

type Step = [instant: string, action: TicketAction, body?: unknown];

describe('GET /v1/kpis/escalations', () => {
  const clock = new TestClock();
  let api: TestApp;
  let last = '0';

  async function ticket(openedAt: string, body: OpenTicketBody, steps: Step[] = []) {
    clock.set(openedAt);
    const opened = await openTicket(api, body);
    last = opened.position;
    for (const [instant, action, commandBody] of steps) {
      clock.set(instant);
      last = (await accepted(api, opened.ticketId, action, commandBody)).position;
    }
  }

  const escalate = (reason: string, toTier?: string) => ({ reason, toTier, note: 'Tried' });
  const resolve = (escalationNecessary?: boolean, rootCause?: string) => ({
    resolution: 'Done',
    escalationNecessary,
    rootCause,
  });

  async function kpis(query: string): Promise<any> {
    const answer = await api.request('GET', `/v1/kpis/escalations?${query}&after=${last}`);
    expect(answer.status).toBe(200);
    return answer.body;
  }

  const day = (extra = '') => kpis(`from=${DAY.from}&to=${DAY.to}${extra}`);

  /**
   * Ten tickets opened on 2026-02-02 (the cohort), one just before and one
   * just after. Every number asserted below is worked out from this table.
   */
  beforeAll(async () => {
    api = await startApi({ clock });

    // A: escalated once by a1, resolved in L2 60 min later, the escalation judged necessary.
    await ticket(at('09:00'), { category: 'billing', channel: 'email', priority: 'high' }, [
      [at('09:05'), 'assign', { agentId: 'a1' }],
      [at('09:10'), 'escalate', escalate('complexity')],
      [at('09:20'), 'assign', { agentId: 'a2' }],
      [at('10:10'), 'resolve', resolve(true, 'expired-credentials')],
      [at('10:20'), 'feedback', { score: 5 }],
    ]);
    // B: escalated twice, unassigned; resolved in L3 120 min after the first, judged unnecessary.
    await ticket(at('09:00'), { category: 'billing', channel: 'phone', priority: 'urgent' }, [
      [at('09:30'), 'escalate', escalate('sla_breach')],
      [at('10:00'), 'escalate', escalate('complexity')],
      [at('11:30'), 'resolve', resolve(false, 'expired-credentials')],
      [at('11:40'), 'feedback', { score: 2 }],
    ]);
    // C: opened at the very start of the cohort, resolved at first contact.
    await ticket(at('00:00'), { category: 'access', channel: 'chat', priority: 'low' }, [
      [at('00:05'), 'assign', { agentId: 'a1' }],
      [at('00:20'), 'resolve'],
      [at('00:30'), 'feedback', { score: 4 }],
    ]);
    // D: high by keyword; resolved in L1, reopened, resolved again: not a first-contact resolution.
    await ticket(at('09:00'), { subject: 'Refund please', category: 'access', channel: 'email' }, [
      [at('09:40'), 'resolve'],
      [at('10:00'), 'reopen'],
      [at('10:30'), 'resolve'],
      [at('10:40'), 'feedback', { score: 3 }],
    ]);
    // E: urgent by keyword; escalated straight to MANAGEMENT, still there; first answered
    // 30 min after opening, past its 15 min first-response target.
    await ticket(at('09:00'), { subject: 'Site down', category: 'outage', channel: 'web' }, [
      [at('09:15'), 'escalate', escalate('crisis', 'MANAGEMENT')],
      [at('09:30'), 'assign', { agentId: 'a5' }],
    ]);
    // F: escalated by a2, resolved (judged unnecessary), then reopened: no longer resolved.
    await ticket(at('09:00'), { category: 'billing', channel: 'email', priority: 'medium' }, [
      [at('09:20'), 'assign', { agentId: 'a2' }],
      [at('09:45'), 'escalate', escalate('customer_request')],
      [at('10:45'), 'resolve', resolve(false, 'typo')],
      [at('11:00'), 'reopen'],
    ]);
    // G: closed unresolved, then rated.
    await ticket(at('09:00'), { category: 'access', channel: 'phone', priority: 'low' }, [
      [at('09:30'), 'close'],
      [at('09:40'), 'feedback', { score: 1 }],
    ]);
    // I: escalated unassigned, resolved in L2 30 min later, no judgement given.
    await ticket(at('09:00'), { category: 'billing', channel: 'chat', priority: 'medium' }, [
      [at('09:05'), 'escalate', escalate('authorization')],
      [at('09:35'), 'resolve'],
    ]);
    // J: first assignee a3, a4 holds it when it is escalated to L3; resolved 200 min later.
    await ticket(at('09:00'), { category: 'access', channel: 'web', priority: 'high' }, [
      [at('09:05'), 'assign', { agentId: 'a3' }],
      [at('09:08'), 'assign', { agentId: 'a4' }],
      [at('09:12'), 'escalate', escalate('other', 'L3')],
      [at('12:32'), 'resolve', resolve(true, 'capacity')],
      [at('12:40'), 'feedback', { score: 4 }],
    ]);
    // K: medium by default; resolved at first contact, never rated.
    await ticket(at('09:00'), { subject: 'Question', category: 'billing', channel: 'phone' }, [
      [at('09:10'), 'resolve', resolve(undefined, 'faq')],
    ]);
    // X and Y: escalated, opened a millisecond before the cohort and exactly at its end.
    await ticket('2026-02-01T23:59:59.999Z', { category: 'billing' }, [
      [at('00:10'), 'escalate', escalate('complexity')],
    ]);
    await ticket(DAY.to, { category: 'billing' }, [
      ['2026-02-03T00:10:00.000Z', 'escalate', escalate('complexity')],
    ]);
  });
  afterAll(() => api.close());

  describe('totals of a cohort', () => {
    it('echoes the cohort bounds as UTC instants', async () => {
      const answer = await kpis('from=2026-02-02T01:00:00%2B01:00&to=2026-02-03');

      expect(answer).toMatchObject({ from: DAY.from, to: DAY.to });
    });

    it('counts the tickets opened in [from, to) and those escalated', async () => {
      const { totals } = await day();

      expect(totals).toMatchObject({ ticketsOpened: 10, ticketsEscalated: 6, escalationRate: 60 });
    });

    it('gives the share of escalated tickets escalated more than once', async () => {
      expect((await day()).totals.reEscalationRate).toBe(16.67);
    });

    it('summarises the minutes from first escalation to resolution with nearest-rank percentiles', async () => {
      // A 60, B 120, I 30, J 200; F was resolved but reopened since.
      expect((await day()).totals.escalationToResolution).toEqual({
        count: 4,
        mean: 102.5,
        p50: 60,
        p90: 200,
      });
    });

    it('counts resolved tickets by the tier they were resolved at, leaving out the reopened', async () => {
      expect((await day()).totals.resolvedByTier).toEqual({ L1: 3, L2: 2, L3: 2, MANAGEMENT: 0 });
    });

    it('gives the share of resolved tickets solved at L1, never escalated nor reopened', async () => {
      // C and K of A, B, C, D, I, J, K.
      expect((await day()).totals.firstContactResolutionRate).toBe(28.57);
    });

    it('gives the share of resolved escalated tickets whose escalation was judged unnecessary', async () => {
      // B of A, B, I, J.
      expect((await day()).totals.unnecessaryEscalationRate).toBe(25);
    });

    it('counts escalations by reason', async () => {
      expect((await day()).totals.escalationsByReason).toEqual({
        complexity: 2,
        sla_breach: 1,
        customer_request: 1,
        authorization: 1,
        crisis: 1,
        other: 1,
      });
    });

    it('counts the escalations of escalated resolved tickets by root cause, most first', async () => {
      // A (1) and B (2), J (1); F was reopened, K never escalated, I named none.
      const { escalationsByRootCause } = (await day()).totals;

      expect(escalationsByRootCause).toEqual({ 'expired-credentials': 3, capacity: 1 });
      expect(Object.keys(escalationsByRootCause)).toEqual(['expired-credentials', 'capacity']);
    });

    it('splits satisfaction between escalated and not escalated tickets', async () => {
      expect((await day()).totals.csat).toEqual({
        escalated: { count: 3, mean: 3.67, satisfiedPct: 66.67 },
        notEscalated: { count: 3, mean: 2.67, satisfiedPct: 33.33 },
      });
    });

    it('adds up the minutes of ended stays per tier, leaving out stays under way', async () => {
      // L1: A 10, B 30, C 20, D 40 + 30 (a reopen starts a new stay), E 15, F 45,
      //     G 30 (closing ends a stay), I 5, J 12, K 10.
      // L2: A 60, B 30, F 60 (its stay since the reopen is under way), I 30.
      // L3: B 90, J 200. MANAGEMENT: E is still there.
      expect((await day()).totals.tierDwellMinutes).toEqual({
        L1: 247,
        L2: 180,
        L3: 290,
        MANAGEMENT: 0,
      });
    });

    it('rates SLA compliance per target over the tickets measured, and the tickets breaching one', async () => {
      // Default policy, no calendar. First response: A, C, F, J within target, E past it.
      // Resolution: A, B, C, D (440 min left after its reopen), I, J, K within target.
      expect((await day()).totals).toMatchObject({
        slaCompliance: { firstResponse: 80, resolution: 100 },
        slaBreachRate: 10,
      });
    });

    it('counts escalations made by people apart from those the SLA clock made', async () => {
      expect((await day()).totals).toMatchObject({ autoEscalations: 0, manualEscalations: 7 });
    });

    it('averages the minutes from opening to the first assignment over the tickets assigned', async () => {
      // A 5, C 5, E 30, F 20, J 5.
      expect((await day()).totals.meanTimeToFirstResponse).toBe(13);
    });
  });

  describe('cohort bounds', () => {
    it('includes a ticket opened exactly at from', async () => {
      const answer = await kpis(`from=${DAY.from}&to=2026-02-02T00:00:00.001Z`);

      expect(answer.totals.ticketsOpened).toBe(1);
    });

    it('excludes a ticket opened exactly at to', async () => {
      const answer = await kpis(`from=2026-02-01T00:00:00.000Z&to=${DAY.from}`);

      expect(answer.totals).toMatchObject({ ticketsOpened: 1, ticketsEscalated: 1 });
    });

    it('is open-ended on a side without a bound', async () => {
      expect((await kpis(`to=${DAY.from}`)).totals.ticketsOpened).toBe(1);
      expect((await kpis(`from=${DAY.to}`)).totals.ticketsOpened).toBe(1);
    });

    it('covers every ticket without bounds, and says so with null bounds', async () => {
      const answer = await kpis('');

      expect(answer).toMatchObject({ from: null, to: null, totals: { ticketsOpened: 12 } });
    });
  });

  describe('groupBy', () => {
    const summary = (group: any) => [
      group.key,
      group.ticketsOpened,
      group.ticketsEscalated,
      group.escalationRate,
    ];

    it('category: one group per category, sorted by key, each with every metric', async () => {
      const { groups } = await day('&groupBy=category');

      expect(groups.map(summary)).toEqual([
        ['access', 4, 1, 25],
        ['billing', 5, 4, 80],
        ['outage', 1, 1, 100],
      ]);
      expect(groups[1].escalationToResolution).toEqual({ count: 3, mean: 70, p50: 60, p90: 120 });
    });

    it('says which grouping it answers', async () => {
      expect(await day('&groupBy=category')).toMatchObject({ groupBy: 'category' });
    });

    it('channel', async () => {
      expect((await day('&groupBy=channel')).groups.map(summary)).toEqual([
        ['chat', 2, 1, 50],
        ['email', 3, 2, 66.67],
        ['phone', 3, 1, 33.33],
        ['web', 2, 2, 100],
      ]);
    });

    it('priority, as derived when each ticket was opened', async () => {
      expect((await day('&groupBy=priority')).groups.map(summary)).toEqual([
        ['high', 3, 2, 66.67],
        ['low', 2, 0, 0],
        ['medium', 3, 2, 66.67],
        ['urgent', 2, 2, 100],
      ]);
    });

    it('agent: the assignee at the first escalation, else the first assignee, else unassigned', async () => {
      expect((await day('&groupBy=agent')).groups.map(summary)).toEqual([
        ['a1', 2, 1, 50],
        ['a2', 1, 1, 100],
        ['a4', 1, 1, 100],
        ['unassigned', 6, 3, 50],
      ]);
    });

    it('day: the UTC date of opening', async () => {
      const { groups } = await kpis(
        'from=2026-02-01T00:00:00Z&to=2026-02-04T00:00:00Z&groupBy=day',
      );

      expect(groups.map(summary)).toEqual([
        ['2026-02-01', 1, 1, 100],
        ['2026-02-02', 10, 6, 60],
        ['2026-02-03', 1, 1, 100],
      ]);
    });

    it('week: the Monday of the UTC week of opening', async () => {
      // 2026-02-01 is a Sunday: X is in the week before the cohort's.
      const { groups } = await kpis(
        'from=2026-02-01T00:00:00Z&to=2026-02-04T00:00:00Z&groupBy=week',
      );

      expect(groups.map(summary)).toEqual([
        ['2026-01-26', 1, 1, 100],
        ['2026-02-02', 11, 7, 63.64],
      ]);
    });
  });

  describe('an empty cohort', () => {
    it('gives zeros for counts and rates and nulls for means and percentiles', async () => {
      const answer = await kpis('from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z');

      expect(answer).toEqual({
        from: '2030-01-01T00:00:00.000Z',
        to: '2030-01-02T00:00:00.000Z',
        totals: {
          ticketsOpened: 0,
          ticketsEscalated: 0,
          escalationRate: 0,
          reEscalationRate: 0,
          escalationToResolution: { count: 0, mean: null, p50: null, p90: null },
          resolvedByTier: { L1: 0, L2: 0, L3: 0, MANAGEMENT: 0 },
          firstContactResolutionRate: 0,
          unnecessaryEscalationRate: 0,
          escalationsByReason: {
            complexity: 0,
            sla_breach: 0,
            customer_request: 0,
            authorization: 0,
            crisis: 0,
            other: 0,
          },
          escalationsByRootCause: {},
          csat: {
            escalated: { count: 0, mean: null, satisfiedPct: 0 },
            notEscalated: { count: 0, mean: null, satisfiedPct: 0 },
          },
          tierDwellMinutes: { L1: 0, L2: 0, L3: 0, MANAGEMENT: 0 },
          slaBreachRate: 0,
          slaCompliance: { firstResponse: 0, resolution: 0 },
          autoEscalations: 0,
          manualEscalations: 0,
          meanTimeToFirstResponse: null,
          postMortems: {
            required: 0,
            covered: 0,
            coverage: 0,
            actionsDone: 0,
            actionsDoneOnTime: 0,
            actionsOnTimeRate: 0,
            overdueActions: 0,
            repeatEscalations: 0,
          },
        },
        groups: [],
      });
    });

    it('has no groups', async () => {
      const answer = await kpis('from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z&groupBy=agent');

      expect(answer.groups).toEqual([]);
    });
  });

  describe('bad queries', () => {
    it.each([
      ['groupBy', 'groupBy=tier'],
      ['groupBy', 'groupBy='],
      ['from', 'from=last-monday'],
      ['from', 'from=2026-02-30T00:00:00Z'],
      ['to', 'to=tomorrow'],
      ['after', 'after=never'],
    ])('refuses a bad %s with 400', async (field, query) => {
      const answer = await api.request('GET', `/v1/kpis/escalations?${query}`);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual([field]);
    });
  });
});

describe('GET /v1/kpis/escalations after a write', () => {
  it('counts the ticket just opened', async () => {
    const clock = new TestClock('2026-07-01T10:00:00.000Z');
    const api = await startApi({ clock });
    try {
      const opened = await openTicket(api);
      const escalated = await accepted(api, opened.ticketId, 'escalate');

      const answer = await api.request(
        'GET',
        `/v1/kpis/escalations?from=2026-07-01T00:00:00Z&after=${escalated.position}`,
      );

      expect(answer.body.totals).toMatchObject({ ticketsOpened: 1, ticketsEscalated: 1 });
    } finally {
      await api.close();
    }
  });
});

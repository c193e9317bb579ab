import { bearer, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, startApi } from './support/e2e-api';
import { accepted, openTicket } from './support/tickets';

const writeUp = {
  participants: [{ agentId: 'ana', role: 'first responder' }],
  wentWell: 'The customer heard from us every hour',
  toImprove: 'Find the duplicate before escalating',
};

describe('GET /v1/reviews/escalations: a simulated quarter', () => {
  let clock: TestClock;
  let api: TestApp;
  let last: string;
  const tickets: Record<string, string> = {};

  async function escalatedTicket(
    name: string,
    escalations: { toTier?: string }[],
    rootCause: string,
  ): Promise<void> {
    const { ticketId } = await openTicket(api, { priority: 'high' });
    tickets[name] = ticketId;
    for (const escalation of escalations) {
      await accepted(api, ticketId, 'escalate', {
        reason: 'complexity',
        note: 'Tried the runbook',
        ...escalation,
      });
    }
    last = (await accepted(api, ticketId, 'resolve', { resolution: 'Refunded', rootCause }))
      .position;
  }

  async function postMortem(name: string, rootCause: string, actions: object[] = []) {
    const answer = await api.request('POST', `/v1/tickets/${tickets[name]}/post-mortem`, {
      ...writeUp,
      rootCause,
      actions,
    });
    expect(answer.status).toBe(200);
    last = answer.body.position;
  }

  beforeAll(async () => {
    clock = new TestClock('2026-08-03T09:00:00.000Z');
    api = await startApi({ clock });
    // 2026Q3: one escalation, its post-mortem complete at once.
    await escalatedTicket('july', [{}], 'billing.double-charge');
    await postMortem('july', 'billing.double-charge');
    // 2026Q4.
    clock.set('2026-10-05T09:00:00.000Z');
    await escalatedTicket('boss', [{ toTier: 'MANAGEMENT' }], 'billing.double-charge');
    await escalatedTicket('twice', [{}, {}], 'network');
    await escalatedTicket('once', [{}], 'network');
    await postMortem('once', 'network', [
      { kind: 'training', description: 'Packet capture 101', owner: 'ben', dueDate: '2026-10-09' },
      { kind: 'product', description: 'Retry on timeouts', owner: 'ana', dueDate: '2026-12-31' },
    ]);
    await postMortem('boss', 'billing.double-charge', [
      {
        kind: 'process',
        description: 'Check the ledger first',
        owner: 'ben',
        dueDate: '2026-10-20',
      },
    ]);
    clock.set('2026-10-19T15:00:00.000Z');
    last = (
      await api.request('POST', `/v1/tickets/${tickets.boss}/post-mortem/actions/a1/done`, {})
    ).body.position;
    clock.set('2026-11-02T09:00:00.000Z');
  });
  afterAll(() => api.close());

  it('compares the quarter with the last, and lists what the team has to talk about', async () => {
    const answer = await api.request('GET', `/v1/reviews/escalations?quarter=2026Q4&after=${last}`);
    expect(answer.status).toBe(200);
    const review = answer.body;
    expect(review.quarter).toEqual({
      label: '2026Q4',
      from: '2026-10-01T00:00:00.000Z',
      to: '2027-01-01T00:00:00.000Z',
    });
    expect(review.previousQuarter.label).toBe('2026Q3');
    expect(review.asOf).toBe('2026-11-02T09:00:00.000Z');
    const figure = (metric: string) =>
      review.figures.find((one: { metric: string }) => one.metric === metric);
    expect(figure('Tickets opened')).toEqual({
      metric: 'Tickets opened',
      current: 3,
      previous: 1,
      change: 2,
    });
    expect(figure('Post-mortem coverage %')).toMatchObject({ current: 50, previous: 0 });
    expect(review.topRootCauses).toEqual([
      { rootCause: 'network', escalations: 3, previous: 0, trend: 'new' },
      { rootCause: 'billing.double-charge', escalations: 1, previous: 1, trend: 'same' },
    ]);
    expect(review.postMortems).toEqual({
      required: 2,
      covered: 1,
      coverage: 50,
      actionsDone: 1,
      actionsDoneOnTime: 1,
      actionsOnTimeRate: 100,
      overdueActions: 1,
      repeatEscalations: 1,
      missing: [tickets.twice],
    });
    expect(review.actionsByOwner).toEqual([
      { owner: 'ben', open: 1, overdue: 1 },
      { owner: 'ana', open: 1, overdue: 0 },
    ]);
    expect(review.repeatEscalations).toEqual([
      {
        ticketId: tickets.boss,
        rootCause: 'billing.double-charge',
        lastEscalatedAt: '2026-10-05T09:00:00.000Z',
        postMortemCompletedAt: '2026-08-03T09:00:00.000Z',
      },
    ]);
  });

  it('is a Markdown document with format=md', async () => {
    const answer = await api.request(
      'GET',
      `/v1/reviews/escalations?quarter=2026Q4&format=md&after=${last}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const markdown: string = answer.body;
    expect(markdown.startsWith('# Escalation review 2026Q4\n')).toBe(true);
    for (const line of [
      '| Tickets opened | 3 | 1 | +2 |',
      '| `network` | 3 | 0 | new |',
      '| `billing.double-charge` | 1 | 1 | = same |',
      '1 of 2 required post-mortems recorded (50 %). 1 actions done, 1 of them on time (100 %); 1 overdue.',
      `- ${tickets.twice}`,
      '| ben | 1 | 1 |',
      `| ${tickets.boss} | \`billing.double-charge\` | 2026-10-05T09:00:00.000Z | 2026-08-03T09:00:00.000Z |`,
    ]) {
      expect(markdown.split('\n')).toContain(line);
    }
  });

  it('refuses a quarter that is not one, and is not for agents', async () => {
    for (const query of ['quarter=2026Q5', 'quarter=Q4', '', 'quarter=2026Q4&format=pdf']) {
      expect(errorOf(await api.request('GET', `/v1/reviews/escalations?${query}`))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
    const issued = await api.request('POST', '/v1/keys', {
      name: 'ana',
      roles: ['agent'],
      agentId: 'ana',
    });
    const asAgent = await api.request(
      'GET',
      '/v1/reviews/escalations?quarter=2026Q4',
      undefined,
      bearer(issued.body.key),
    );
    expect(errorOf(asAgent)).toEqual({ status: 403, code: 'FORBIDDEN' });
  });
});

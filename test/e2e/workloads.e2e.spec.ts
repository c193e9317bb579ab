import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { fieldsOf, startApi } from './support/e2e-api';
import { accepted, openTicket, type TicketAction } from './support/tickets';

type Tier = 'L1' | 'L2' | 'L3' | 'MANAGEMENT';

/** Each test gets a store of its own, so the counts are exactly those of the test's tickets. */
describe('GET /v1/workloads', () => {
  let clock: TestClock;
  let api: TestApp;
  let last: string;

  beforeEach(async () => {
    clock = new TestClock('2026-05-04T09:00:00.000Z');
    api = await startApi({ clock });
    last = '0';
  });
  afterEach(() => api.close());

  async function open(at?: string): Promise<string> {
    if (at) clock.set(at);
    const opened = await openTicket(api);
    last = opened.position;
    return opened.ticketId;
  }

  async function act(ticketId: string, action: TicketAction, body?: unknown): Promise<void> {
    last = (await accepted(api, ticketId, action, body)).position;
  }

  async function workloads(): Promise<any[]> {
    const answer = await api.request('GET', `/v1/workloads?after=${last}`);
    expect(answer.status).toBe(200);
    return answer.body.tiers;
  }

  async function tier(name: Tier): Promise<any> {
    return (await workloads()).find((entry) => entry.tier === name);
  }

  const empty = (name: Tier) => ({
    tier: name,
    open: 0,
    unassigned: 0,
    pending: 0,
    oldestOpenedAt: null,
    agents: [],
  });

  it('lists all four tiers, empty, on a fresh store', async () => {
    const answer = await api.request('GET', '/v1/workloads');

    expect(answer.body).toEqual({
      tiers: [empty('L1'), empty('L2'), empty('L3'), empty('MANAGEMENT')],
    });
  });

  it('counts a tier’s open, unassigned and pending tickets, whatever their status', async () => {
    await open('2026-05-04T08:00:00.000Z');
    const assigned = await open('2026-05-04T08:30:00.000Z');
    await act(assigned, 'assign', { agentId: 'agent-1' });
    await act(assigned, 'status', { status: 'in_progress' });
    const pending = await open('2026-05-04T09:00:00.000Z');
    await act(pending, 'status', { status: 'pending' });

    expect(await tier('L1')).toEqual({
      tier: 'L1',
      open: 3,
      unassigned: 2,
      pending: 1,
      oldestOpenedAt: '2026-05-04T08:00:00.000Z',
      agents: [{ agentId: 'agent-1', open: 1 }],
    });
  });

  it('counts each agent’s open tickets in the tier', async () => {
    for (const agentId of ['agent-a', 'agent-b', 'agent-a', 'agent-a', 'agent-b', 'agent-c']) {
      await act(await open(), 'assign', { agentId });
    }

    const agents = (await tier('L1')).agents;

    expect([...agents].sort((a, b) => a.agentId.localeCompare(b.agentId))).toEqual([
      { agentId: 'agent-a', open: 3 },
      { agentId: 'agent-b', open: 2 },
      { agentId: 'agent-c', open: 1 },
    ]);
  });

  it('moves a ticket to its new tier on escalation, unassigned there', async () => {
    const ticketId = await open('2026-05-04T07:00:00.000Z');
    await act(ticketId, 'assign', { agentId: 'agent-1' });

    await act(ticketId, 'escalate', { toTier: 'L3', reason: 'complexity', note: 'Tried' });

    expect(await workloads()).toEqual([
      empty('L1'),
      empty('L2'),
      { ...empty('L3'), open: 1, unassigned: 1, oldestOpenedAt: '2026-05-04T07:00:00.000Z' },
      empty('MANAGEMENT'),
    ]);
  });

  it('counts the agent who takes an escalated ticket in the new tier', async () => {
    const ticketId = await open();
    await act(ticketId, 'escalate');

    await act(ticketId, 'assign', { agentId: 'agent-l2' });

    expect((await tier('L2')).agents).toEqual([{ agentId: 'agent-l2', open: 1 }]);
    expect((await tier('L1')).agents).toEqual([]);
  });

  it.each<[string, [TicketAction, unknown?][]]>([
    ['resolved', [['resolve']]],
    ['closed', [['close']]],
    ['resolved then closed', [['resolve'], ['close']]],
  ])('lets a ticket go once it is %s', async (_how, steps) => {
    const ticketId = await open();
    await act(ticketId, 'assign', { agentId: 'agent-1' });

    for (const [action, body] of steps) await act(ticketId, action, body);

    expect(await tier('L1')).toEqual(empty('L1'));
  });

  it('takes a reopened ticket back into the tier where it was resolved', async () => {
    const ticketId = await open('2026-05-04T06:00:00.000Z');
    await act(ticketId, 'escalate');
    await act(ticketId, 'resolve');

    await act(ticketId, 'reopen');

    expect(await tier('L2')).toEqual({
      ...empty('L2'),
      open: 1,
      unassigned: 1,
      oldestOpenedAt: '2026-05-04T06:00:00.000Z',
    });
  });

  it('takes a reopened closed ticket back', async () => {
    const ticketId = await open();
    await act(ticketId, 'close');

    await act(ticketId, 'reopen');

    expect((await tier('L1')).open).toBe(1);
  });

  it('dates the oldest open ticket among those still open only', async () => {
    const oldest = await open('2026-05-04T06:00:00.000Z');
    await open('2026-05-04T07:00:00.000Z');
    await open('2026-05-04T08:00:00.000Z');

    await act(oldest, 'resolve');

    expect((await tier('L1')).oldestOpenedAt).toBe('2026-05-04T07:00:00.000Z');
  });

  it('no longer counts a ticket as pending once it is back in progress', async () => {
    const ticketId = await open();
    await act(ticketId, 'status', { status: 'pending' });

    await act(ticketId, 'status', { status: 'in_progress' });

    expect(await tier('L1')).toMatchObject({ open: 1, pending: 0 });
  });

  it('refuses a position that is not one with 400', async () => {
    const answer = await api.request('GET', '/v1/workloads?after=x1');

    expect(fieldsOf(answer)).toEqual(['after']);
  });
});

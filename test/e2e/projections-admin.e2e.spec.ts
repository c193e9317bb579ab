import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { ProjectionDaemon } from '@ledger/projections';
import { PROJECTION_NAMES, type ProjectionName } from '@ledger/read-store';
import { appendOpenedTickets } from '../support/bulk-tickets';
import { bearer, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, startApi } from './support/e2e-api';
import { accepted, openTicket, type TicketAction } from './support/tickets';

const PROJECTIONS = PROJECTION_NAMES;

describe('projection admin', () => {
  const clock = new TestClock('2026-06-01T08:00:00.000Z');
  let api: TestApp;
  /** The log's head: the position of the last command sent. */
  let head = '0';
  let someTicket: string;

  async function send(ticketId: string, action: TicketAction, body?: unknown): Promise<void> {
    clock.advanceMinutes(7);
    head = (await accepted(api, ticketId, action, body)).position;
  }

  /** A few dozen tickets in every state, spread over the tiers. */
  beforeAll(async () => {
    api = await startApi({ clock });
    for (let i = 0; i < 24; i += 1) {
      clock.advanceMinutes(3);
      const { ticketId, position } = await openTicket(api, {
        priority: (['urgent', 'high', 'medium', 'low'] as const)[i % 4],
        customer: { id: `c${i}`, tier: i % 5 === 0 ? 'vip' : 'standard' },
        category: i % 2 ? 'billing' : 'access',
      });
      head = position;
      someTicket = ticketId;
      if (i % 3 === 0) await send(ticketId, 'assign', { agentId: `agent-${i % 4}` });
      if (i % 4 === 1) await send(ticketId, 'escalate');
      if (i % 6 === 1) await send(ticketId, 'escalate', { reason: 'crisis', note: 'Up again' });
      if (i % 5 === 2) await send(ticketId, 'status', { status: 'pending' });
      if (i % 4 === 3)
        await send(ticketId, 'resolve', { resolution: 'Ok', escalationNecessary: false });
      if (i % 8 === 3) await send(ticketId, 'feedback', { score: (i % 5) + 1 });
      if (i % 7 === 6) await send(ticketId, 'close');
    }
    for (let i = 0; i < 4; i += 1) {
      const tier = i < 2 ? 'L1' : 'L2';
      const agent = { agentId: `agent-${i}`, name: `Agent ${i}`, tier, capacity: 5 };
      head = (await api.request('POST', '/v1/agents', agent)).body.position;
      if (i % 2 === 0) {
        const online = { availability: 'online' };
        head = (await api.request('POST', `/v1/agents/agent-${i}/availability`, online)).body
          .position;
      }
    }
  });
  afterAll(() => api.close());

  async function projections(): Promise<any[]> {
    const answer = await api.request('GET', '/v1/projections');
    expect(answer.status).toBe(200);
    return answer.body;
  }

  /** Polls the admin list until the projection is live at the head (a rebuild runs in the background). */
  async function liveAtHead(name: string, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const entry = (await projections()).find((projection) => projection.name === name);
      if (entry.status === 'live' && entry.position === head) return entry;
      if (Date.now() > deadline)
        throw new Error(`${name} not live at ${head}: ${JSON.stringify(entry)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Every answer the projection serves, read after the head. */
  const readsOf: Record<ProjectionName, () => Promise<unknown>> = {
    'ticket-view': async () =>
      (await api.request('GET', `/v1/tickets/${someTicket}?after=${head}`)).body,
    queues: async () =>
      Promise.all(
        ['L1', 'L2', 'L3', 'MANAGEMENT'].map(
          async (tier) => (await api.request('GET', `/v1/queues/${tier}?after=${head}`)).body,
        ),
      ),
    'tier-workload': async () => (await api.request('GET', `/v1/workloads?after=${head}`)).body,
    agents: async () => (await api.request('GET', `/v1/agents?after=${head}`)).body,
    alerts: async () => (await api.request('GET', `/v1/alerts?after=${head}`)).body,
    'post-mortems': async () =>
      Promise.all(
        ['missing', 'open', 'complete'].map(
          async (state) =>
            (await api.request('GET', `/v1/post-mortems?state=${state}&after=${head}`)).body,
        ),
      ),
    'escalation-kpis': async () =>
      Promise.all(
        ['', '&groupBy=agent', '&groupBy=day'].map(
          async (query) =>
            (await api.request('GET', `/v1/kpis/escalations?after=${head}${query}`)).body,
        ),
      ),
  };

  it('lists every projection, live at the head of the log', async () => {
    // Projections follow the log a few milliseconds behind.
    for (const name of PROJECTIONS) await liveAtHead(name);

    expect(await projections()).toEqual(
      PROJECTIONS.map((name) => ({ name, position: head, status: 'live' })),
    );
  });

  it('refuses to rebuild an unknown projection: 404 PROJECTION_NOT_FOUND', async () => {
    const answer = await api.request('POST', '/v1/projections/ticket-views/rebuild');

    expect(errorOf(answer)).toEqual({ status: 404, code: 'PROJECTION_NOT_FOUND' });
  });

  it('refuses a rebuild while the server stops its projections: 503 SHUTTING_DOWN, not 409', async () => {
    const runner = api.app.get(ProjectionDaemon).runner('alerts');
    // A runner is stopped only as the process ends: stand in for that moment.
    const startRebuild = jest.spyOn(runner, 'startRebuild').mockReturnValueOnce('stopped');
    try {
      // Straight to the server: the suite's request helper takes any 503 for a fault.
      const answer = await api.fetch('/v1/projections/alerts/rebuild', {
        method: 'POST',
        headers: bearer(),
      });

      expect(answer.status).toBe(503);
      expect((await answer.json()).error.code).toBe('SHUTTING_DOWN');
    } finally {
      startRebuild.mockRestore();
    }
  });

  it.each(PROJECTIONS)('accepts a rebuild of %s with 202', async (name) => {
    const answer = await api.request('POST', `/v1/projections/${name}/rebuild`);

    expect(answer.status).toBe(202);
    await liveAtHead(name);
  });

  it.each(PROJECTIONS)('%s answers exactly as before once rebuilt', async (name) => {
    await send(someTicket, 'notes', { body: `Before rebuilding ${name}` });
    const before = await readsOf[name]();

    expect((await api.request('POST', `/v1/projections/${name}/rebuild`)).status).toBe(202);
    await liveAtHead(name);

    expect(await readsOf[name]()).toEqual(before);
  });

  it('starts one of 50 rebuilds asked for at once and refuses the others with 409', async () => {
    await send(someTicket, 'notes', { body: 'Before the rebuilds' });
    await liveAtHead('escalation-kpis');
    const before = await readsOf['escalation-kpis']();

    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.request('POST', '/v1/projections/escalation-kpis/rebuild'),
      ),
    );

    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status !== 202).map(errorOf);
    expect(refused).toHaveLength(49);
    // Under way when it arrived, or already done with nothing appended since.
    for (const refusal of refused) {
      expect([
        { status: 409, code: 'REBUILD_IN_PROGRESS' },
        { status: 409, code: 'ALREADY_REBUILT' },
      ]).toContainEqual(refusal);
    }
    await liveAtHead('escalation-kpis');
    expect(await readsOf['escalation-kpis']()).toEqual(before);
  });

  it('refuses to rebuild again a read model rebuilt from the log as it stands: 409 ALREADY_REBUILT', async () => {
    await send(someTicket, 'notes', { body: 'Before the rebuild' });
    expect((await api.request('POST', '/v1/projections/alerts/rebuild')).status).toBe(202);
    await liveAtHead('alerts');

    const again = await api.request('POST', '/v1/projections/alerts/rebuild');

    expect(errorOf(again)).toEqual({ status: 409, code: 'ALREADY_REBUILT' });
    await send(someTicket, 'notes', { body: 'After the rebuild' });
    await liveAtHead('alerts');
    expect((await api.request('POST', '/v1/projections/alerts/rebuild')).status).toBe(202);
    await liveAtHead('alerts');
  });

  it('accepts rebuilds of two read models asked for back to back', async () => {
    await send(someTicket, 'notes', { body: 'Before the rebuilds' });

    const first = await api.request('POST', '/v1/projections/ticket-view/rebuild');
    const second = await api.request('POST', '/v1/projections/queues/rebuild');

    expect([first.status, second.status]).toEqual([202, 202]);
    await liveAtHead('ticket-view');
    await liveAtHead('queues');
  });

  it('follows the log after a rebuild', async () => {
    await send(someTicket, 'notes', { body: 'Before the rebuild' });
    expect((await api.request('POST', '/v1/projections/ticket-view/rebuild')).status).toBe(202);
    await liveAtHead('ticket-view');

    await send(someTicket, 'notes', { body: 'After the rebuild' });
    const read = await api.request('GET', `/v1/tickets/${someTicket}?after=${head}`);

    expect(read.body.updatedAt).toBe(clock.now().toISOString());
    await liveAtHead('ticket-view');
  });

  it('moves every projection to the new head after a command', async () => {
    const { position } = await openTicket(api);
    head = position;

    for (const name of PROJECTIONS) expect((await liveAtHead(name)).position).toBe(position);
  });

  describe('on a log long enough for a rebuild to take a while', () => {
    /**
     * Enough for every rebuild to outlast several reads on two busy cores: the
     * rebuild lets requests in between its batches, and a request needs a few
     * such turns, so a log of 10,000 fits about one read and 5,000 none.
     */
    const PADDING_TICKETS = 20_000;

    beforeAll(async () => {
      const events = api.app.get<symbol, EventStore>(EVENT_STORE);
      await appendOpenedTickets(events, PADDING_TICKETS, clock.now().toISOString());
      head = (await events.headPosition())!;
      // Catching up with the padding takes each projection about as long as a rebuild.
      for (const name of PROJECTIONS) await liveAtHead(name, 60_000);
    }, 120_000);

    async function statusOf(name: ProjectionName): Promise<string> {
      return (await projections()).find((projection) => projection.name === name).status;
    }

    it.each(PROJECTIONS)(
      '%s keeps serving the same answers while it is rebuilt',
      async (name) => {
        await send(someTicket, 'notes', { body: `Before rebuilding ${name} again` });
        await liveAtHead(name);
        const before = await readsOf[name]();

        expect((await api.request('POST', `/v1/projections/${name}/rebuild`)).status).toBe(202);
        let rebuilding = (await statusOf(name)) === 'rebuilding';
        let readsWhileRebuilding = 0;
        while (rebuilding) {
          expect(await readsOf[name]()).toEqual(before);
          rebuilding = (await statusOf(name)) === 'rebuilding';
          // Listed as rebuilding before the read and after it: the read was served during the rebuild.
          if (rebuilding) readsWhileRebuilding += 1;
        }

        expect(readsWhileRebuilding).toBeGreaterThan(0);
        await liveAtHead(name);
      },
      60_000,
    );
  });
});

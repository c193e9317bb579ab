import { bearer, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { agentCredentials } from './support/principals';
import { accepted, openTicket } from './support/tickets';

const postMortem = {
  participants: [
    { agentId: 'ana', role: 'first responder' },
    { agentId: 'ben', role: 'L3 engineer who found the cause' },
  ],
  rootCause: 'billing.double-charge',
  wentWell: 'The refund went out the same day',
  toImprove: 'L1 could have seen the duplicate in the payment ledger',
  actions: [
    {
      kind: 'training',
      description: 'Show L1 the payment ledger',
      owner: 'ben',
      dueDate: '2026-03-20',
    },
    {
      kind: 'product',
      description: 'Refuse a second charge',
      owner: 'payments',
      dueDate: '2026-04-30',
    },
  ],
};

describe('post-mortems', () => {
  let clock: TestClock;
  let api: TestApp;

  beforeEach(async () => {
    // A Monday.
    clock = new TestClock('2026-03-02T09:00:00.000Z');
    api = await startApi({ clock });
  });
  afterEach(() => api.close());

  /** A ticket escalated `times` (to `toTier` the first time), then resolved with `rootCause`. */
  async function escalated(
    times: number,
    {
      toTier,
      rootCause,
      resolve = true,
    }: { toTier?: string; rootCause?: string; resolve?: boolean } = {},
  ): Promise<{ ticketId: string; position: string }> {
    const { ticketId } = await openTicket(api, { priority: 'high' });
    let last = { position: '' };
    for (let time = 0; time < times; time++) {
      last = await accepted(api, ticketId, 'escalate', {
        reason: 'complexity',
        note: 'Tried the runbook',
        ...(time === 0 && toTier && { toTier }),
      });
    }
    if (resolve) {
      last = await accepted(api, ticketId, 'resolve', {
        resolution: 'Refunded',
        ...(rootCause && { rootCause }),
      });
    }
    return { ticketId, position: last.position };
  }

  const record = (ticketId: string, body: unknown = postMortem, headers?: Record<string, string>) =>
    api.request('POST', `/v1/tickets/${ticketId}/post-mortem`, body, headers);
  const action = (ticketId: string, actionId: string, verb: 'done' | 'drop', body?: unknown) =>
    api.request(
      'POST',
      `/v1/tickets/${ticketId}/post-mortem/actions/${actionId}/${verb}`,
      body ?? {},
    );
  const read = async (ticketId: string) => {
    const answer = await api.request('GET', `/v1/tickets/${ticketId}/post-mortem`);
    expect(answer.status).toBe(200);
    return answer.body;
  };

  describe('the routes', () => {
    it('record a post-mortem with numbered actions, and read it back from the log', async () => {
      const { ticketId } = await escalated(1, { rootCause: 'billing.unknown' });
      const recorded = await record(ticketId);
      expect(recorded.status).toBe(200);
      expect(recorded.body).toMatchObject({ ticketId, version: 3 });

      expect(await read(ticketId)).toMatchObject({
        ticketId,
        status: 'open',
        participants: postMortem.participants,
        rootCause: 'billing.double-charge',
        wentWell: postMortem.wentWell,
        toImprove: postMortem.toImprove,
        recordedAt: '2026-03-02T09:00:00.000Z',
        actions: [
          { actionId: 'a1', kind: 'training', owner: 'ben', state: 'open', overdue: false },
          { actionId: 'a2', kind: 'product', owner: 'payments', state: 'open', overdue: false },
        ],
        version: 3,
      });
    });

    it('read their free text as erased once the ticket’s customer is erased, and the rest as it was', async () => {
      const { ticketId } = await escalated(1, { rootCause: 'billing.unknown' });
      await record(ticketId);
      await action(ticketId, 'a2', 'drop', { reason: 'Payments own it now' });
      const customerId = (await api.request('GET', `/v1/tickets/${ticketId}`)).body.customer.id;

      expect((await api.request('POST', `/v1/customers/${customerId}/erase`)).status).toBe(200);

      expect(await read(ticketId)).toMatchObject({
        participants: postMortem.participants.map(({ agentId }) => ({ agentId, role: '[erased]' })),
        rootCause: 'billing.double-charge',
        wentWell: '[erased]',
        toImprove: '[erased]',
        actions: [
          { actionId: 'a1', kind: 'training', owner: 'ben', description: '[erased]' },
          { actionId: 'a2', state: 'dropped', description: '[erased]', dropReason: '[erased]' },
        ],
      });
    });

    it('amend it: the same body again records nothing, a new action follows the last number', async () => {
      const { ticketId } = await escalated(1);
      await record(ticketId);
      expect((await record(ticketId)).body.version).toBe(3);
      const amended = await record(ticketId, {
        ...postMortem,
        rootCause: 'billing.gateway-retry',
        actions: [
          { actionId: 'a1', ...postMortem.actions[0], dueDate: '2026-03-27' },
          {
            kind: 'documentation',
            description: 'Write the refund runbook',
            owner: 'ana',
            dueDate: '2026-03-13',
          },
        ],
      });
      expect(amended.status).toBe(200);
      const view = await read(ticketId);
      expect(view.rootCause).toBe('billing.gateway-retry');
      expect(view.actions.map((one: any) => [one.actionId, one.dueDate])).toEqual([
        ['a1', '2026-03-27'],
        ['a2', '2026-04-30'],
        ['a3', '2026-03-13'],
      ]);
    });

    it('close actions: done, dropped with a reason, and neither once closed', async () => {
      const { ticketId } = await escalated(1);
      await record(ticketId);
      clock.set('2026-03-05T12:00:00.000Z');
      const done = await action(ticketId, 'a1', 'done');
      expect(done.status).toBe(200);
      expect((await action(ticketId, 'a1', 'done')).body.version).toBe(done.body.version);
      expect((await action(ticketId, 'a2', 'drop', { reason: 'Payments own it now' })).status).toBe(
        200,
      );
      expect(errorOf(await action(ticketId, 'a2', 'done'))).toEqual({
        status: 409,
        code: 'ACTION_CLOSED',
      });
      expect(errorOf(await action(ticketId, 'a1', 'drop', { reason: 'x' }))).toEqual({
        status: 409,
        code: 'ACTION_CLOSED',
      });
      expect(errorOf(await action(ticketId, 'a9', 'done'))).toEqual({
        status: 404,
        code: 'ACTION_NOT_FOUND',
      });

      const view = await read(ticketId);
      expect(view.status).toBe('complete');
      expect(view.actions).toMatchObject([
        { state: 'done', closedAt: '2026-03-05T12:00:00.000Z', dropReason: null },
        { state: 'dropped', dropReason: 'Payments own it now' },
      ]);
    });

    it('refuse a ticket never escalated, one still worked on, and one that does not exist', async () => {
      const { ticketId: plain } = await openTicket(api);
      await accepted(api, plain, 'resolve', { resolution: 'Fixed' });
      expect(errorOf(await record(plain))).toEqual({ status: 409, code: 'TICKET_NOT_ESCALATED' });
      const { ticketId: working } = await escalated(1, { resolve: false });
      expect(errorOf(await record(working))).toEqual({ status: 409, code: 'TICKET_NOT_RESOLVED' });
      expect(errorOf(await record('00000000-0000-4000-8000-000000000000'))).toEqual({
        status: 404,
        code: 'TICKET_NOT_FOUND',
      });
      expect(errorOf(await api.request('GET', `/v1/tickets/${working}/post-mortem`))).toEqual({
        status: 404,
        code: 'POST_MORTEM_NOT_FOUND',
      });
    });

    it('answer bad input with a 400 naming the fields', async () => {
      const { ticketId } = await escalated(1);
      const bad = await record(ticketId, {
        ...postMortem,
        rootCause: 'Billing Issue',
        participants: [],
        actions: [{ kind: 'party', description: ' ', owner: 'ben', dueDate: '2026-02-30' }],
      });
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad)).toEqual(
        expect.arrayContaining([
          'rootCause',
          'participants',
          'actions.0.kind',
          'actions.0.dueDate',
        ]),
      );
      expect(errorOf(await action(ticketId, 'first', 'done'))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect((await action(ticketId, 'a1', 'drop', {})).status).toBe(400);
    });

    it('are for supervisors: an agent may read, not record', async () => {
      const { ticketId } = await escalated(1);
      const { ana } = await agentCredentials(api, ['ana']);
      expect(errorOf(await record(ticketId, postMortem, ana))).toEqual({
        status: 403,
        code: 'FORBIDDEN',
      });
      const issued = await api.request('POST', '/v1/keys', { name: 'sue', roles: ['supervisor'] });
      expect((await record(ticketId, postMortem, bearer(issued.body.key))).status).toBe(200);
      expect(
        (await api.request('GET', `/v1/tickets/${ticketId}/post-mortem`, undefined, ana)).status,
      ).toBe(200);
    });
  });

  describe('the required list', () => {
    it('lists the escalations POST_MORTEM_REQUIRED asks about, by state', async () => {
      const management = await escalated(1, { toTier: 'MANAGEMENT' });
      const twice = await escalated(2);
      const once = await escalated(1);
      const stillOpen = await escalated(1, { toTier: 'MANAGEMENT', resolve: false });
      const list = async (state: string, after: string) => {
        const answer = await api.request('GET', `/v1/post-mortems?state=${state}&after=${after}`);
        expect(answer.status).toBe(200);
        return answer.body;
      };

      const missing = await list('missing', stillOpen.position);
      expect(missing.requiredBy).toEqual(['management', 're-escalated', 'urgent-breach']);
      expect(missing.items.map((item: any) => item.ticketId).sort()).toEqual(
        [management.ticketId, twice.ticketId].sort(),
      );
      expect(missing.items.find((item: any) => item.ticketId === twice.ticketId)).toMatchObject({
        state: 'missing',
        required: true,
        triggers: ['re-escalated'],
        // Resolved on Monday 09:00: due the next Monday 09:00.
        dueBy: '2026-03-09T09:00:00.000Z',
      });

      await record(management.ticketId);
      const answered = await record(once.ticketId, { ...postMortem, actions: [] });
      expect(
        (await list('missing', answered.body.position)).items.map((item: any) => item.ticketId),
      ).toEqual([twice.ticketId]);
      expect((await list('open', answered.body.position)).items).toMatchObject([
        {
          ticketId: management.ticketId,
          required: true,
          actions: { total: 2, open: 2, overdue: 0 },
        },
      ]);
      expect((await list('complete', answered.body.position)).items).toMatchObject([
        { ticketId: once.ticketId, required: false, completedAt: '2026-03-02T09:00:00.000Z' },
      ]);
      expect(errorOf(await api.request('GET', '/v1/post-mortems?state=late'))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    });

    it('follows the configuration', async () => {
      await api.close();
      api = await startApi({ clock, config: { postMortemRequired: ['management'] } });
      await escalated(2);
      const management = await escalated(1, { toTier: 'MANAGEMENT' });
      const answer = await api.request(
        'GET',
        `/v1/post-mortems?state=missing&after=${management.position}`,
      );
      expect(answer.body.items.map((item: any) => item.ticketId)).toEqual([management.ticketId]);
    });
  });

  describe('alerts', () => {
    const alertsAt = async (instant: string, after: string) => {
      clock.set(instant);
      const answer = await api.request('GET', `/v1/alerts?after=${after}`);
      expect(answer.status).toBe(200);
      return answer.body.alerts.filter((alert: any) => alert.kind !== 'idle');
    };

    it('raise a missing post-mortem 5 business days after the resolution, on the clock', async () => {
      clock.set('2026-03-06T10:00:00.000Z'); // a Friday
      const { ticketId, position } = await escalated(2);
      expect(await alertsAt('2026-03-13T09:59:59.999Z', position)).toEqual([]);
      expect(await alertsAt('2026-03-13T10:00:00.000Z', position)).toEqual([
        {
          kind: 'post_mortem_missing',
          since: '2026-03-13T10:00:00.000Z',
          ticketId,
          priority: 'high',
          tier: 'L3',
          endedAt: '2026-03-06T10:00:00.000Z',
        },
      ]);
      const recorded = await record(ticketId, { ...postMortem, actions: [] });
      expect(await alertsAt('2026-03-13T10:00:00.000Z', recorded.body.position)).toEqual([]);
    });

    it('raise an overdue action from the day after its due date, until it is closed', async () => {
      const { ticketId } = await escalated(1);
      const recorded = await record(ticketId);
      expect(await alertsAt('2026-03-20T23:59:59.999Z', recorded.body.position)).toEqual([]);
      expect(await alertsAt('2026-03-21T00:00:00.000Z', recorded.body.position)).toEqual([
        {
          kind: 'action_overdue',
          since: '2026-03-21T00:00:00.000Z',
          ticketId,
          priority: 'high',
          tier: 'L2',
          actionId: 'a1',
          owner: 'ben',
          dueDate: '2026-03-20',
        },
      ]);
      const done = await action(ticketId, 'a1', 'done');
      expect(await alertsAt('2026-03-21T00:00:00.000Z', done.body.position)).toEqual([]);
    });
  });
});

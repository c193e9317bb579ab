import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/test-app';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import {
  accepted,
  command,
  historyOf,
  openBody,
  openBodyWithoutId,
  openedPriority,
  openTicket,
  TICKET_ACTIONS,
  viewOf,
  type TicketAction,
} from './support/tickets';

describe('ticket commands', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  /** Opens a ticket and brings it through the given commands. */
  async function ticketAfter(...steps: [TicketAction, unknown?][]) {
    const { ticketId } = await openTicket(api);
    let position = '0';
    for (const [action, body] of steps) {
      ({ position } = await accepted(api, ticketId, action, body));
    }
    return { ticketId, position };
  }

  describe('opening a ticket', () => {
    it('answers 201 with the ticket id, version 1 and a position', async () => {
      const ticketId = randomUUID();

      const answer = await api.request('POST', '/v1/tickets', openBody({ ticketId }));

      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({ ticketId, version: 1, position: expect.any(String) });
    });

    it('gives the ticket a uuid when the client sends none', async () => {
      const body = openBodyWithoutId();

      const answer = await api.request('POST', '/v1/tickets', body);

      expect(answer.status).toBe(201);
      expect(answer.body.ticketId).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    });

    it('keeps a client-chosen id in lower case, so any spelling finds the ticket', async () => {
      const ticketId = randomUUID();

      const opened = await openTicket(api, { ticketId: ticketId.toUpperCase() });
      const read = await api.request(
        'GET',
        `/v1/tickets/${ticketId.toUpperCase()}?after=${opened.position}`,
      );

      expect(opened.ticketId).toBe(ticketId);
      expect(read.body.ticketId).toBe(ticketId);
    });

    it('refuses to open the same ticket twice: 409 TICKET_ALREADY_EXISTS', async () => {
      const { ticketId } = await openTicket(api);

      const again = await api.request('POST', '/v1/tickets', openBody({ ticketId }));

      expect(errorOf(again)).toEqual({ status: 409, code: 'TICKET_ALREADY_EXISTS' });
    });

    it('starts open, at L1, unassigned, with a standard customer unless told otherwise', async () => {
      const opened = await openTicket(api, {
        subject: 'Invoice missing',
        channel: 'chat',
        customer: { id: 'cust-42', name: 'Ada' },
        category: 'billing',
      });

      expect(await viewOf(api, opened.ticketId, opened.position)).toMatchObject({
        ticketId: opened.ticketId,
        subject: 'Invoice missing',
        channel: 'chat',
        customer: { id: 'cust-42', name: 'Ada', tier: 'standard' },
        category: 'billing',
        status: 'open',
        tier: 'L1',
        assigneeId: null,
        escalationCount: 0,
        resolvedAt: null,
        csat: null,
        version: 1,
      });
    });

    it.each([
      ['subject', { subject: undefined }],
      ['subject', { subject: 'x'.repeat(201) }],
      ['subject', { subject: '   ' }],
      ['description', { description: 'x'.repeat(10_001) }],
      ['channel', { channel: 'pigeon' }],
      ['customer', { customer: undefined }],
      ['customer', { customer: [] as never }],
      ['customer', { customer: [{ id: 'cust-1' }] as never }],
      ['customer.id', { customer: { id: '' } }],
      ['customer.tier', { customer: { id: 'c', tier: 'gold' as never } }],
      ['category', { category: '' }],
      ['priority', { priority: 'critical' as never }],
      ['ticketId', { ticketId: 'not-a-uuid' }],
    ])('refuses a bad %s with 400 naming it', async (field, overrides) => {
      const answer = await api.request('POST', '/v1/tickets', openBody(overrides));

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toContain(field);
    });

    it('accepts a description of exactly 10,000 characters', async () => {
      const answer = await api.request(
        'POST',
        '/v1/tickets',
        openBody({ description: 'x'.repeat(10_000) }),
      );

      expect(answer.status).toBe(201);
    });
  });

  describe('priority when the opener gives none', () => {
    it('is medium by default', async () => {
      expect(await openedPriority(api, { subject: 'Question about my plan' })).toEqual({
        priority: 'medium',
        reason: 'default',
      });
    });

    it('follows a keyword in the subject', async () => {
      expect(await openedPriority(api, { subject: 'Total outage in EU' })).toEqual({
        priority: 'urgent',
        reason: 'keyword:outage',
      });
    });

    it('follows a keyword in the description', async () => {
      expect(
        await openedPriority(api, { subject: 'Order 1234', description: 'I would like a refund' }),
      ).toEqual({ priority: 'high', reason: 'keyword:refund' });
    });

    it('matches keywords in any case', async () => {
      expect(await openedPriority(api, { subject: 'OUTAGE!!' })).toEqual({
        priority: 'urgent',
        reason: 'keyword:outage',
      });
    });

    it('matches whole words only', async () => {
      expect(await openedPriority(api, { subject: 'Download link broken' })).toEqual({
        priority: 'medium',
        reason: 'default',
      });
    });

    it('takes the highest of several keywords', async () => {
      expect(await openedPriority(api, { subject: 'Legal threat after the outage' })).toEqual({
        priority: 'urgent',
        reason: 'keyword:outage',
      });
    });

    it('raises a VIP customer’s ticket one level', async () => {
      expect(await openedPriority(api, { customer: { id: 'vip-1', tier: 'vip' } })).toEqual({
        priority: 'high',
        reason: 'vip',
      });
    });

    it('raises a VIP customer’s keyword priority one level', async () => {
      expect(
        await openedPriority(api, {
          subject: 'Refund please',
          customer: { id: 'vip-2', tier: 'vip' },
        }),
      ).toEqual({ priority: 'urgent', reason: 'keyword:refund' });
    });

    it('never raises above urgent', async () => {
      expect(
        await openedPriority(api, { subject: 'Site down', customer: { id: 'vip-3', tier: 'vip' } }),
      ).toEqual({ priority: 'urgent', reason: 'keyword:down' });
    });

    it('is the explicit priority when the opener gives one, whatever the keywords or VIP', async () => {
      expect(
        await openedPriority(api, {
          subject: 'Outage and a lawsuit',
          customer: { id: 'vip-4', tier: 'vip' },
          priority: 'low',
        }),
      ).toEqual({ priority: 'low', reason: 'explicit' });
    });
  });

  describe('command answers', () => {
    it('give the stream version after the command and the position of its event', async () => {
      const opened = await openTicket(api);
      const positions = [Number(opened.position)];
      const versions = [opened.version];

      for (const [action, body] of [
        ['assign', { agentId: 'agent-1' }],
        ['status', { status: 'pending' }],
        ['notes', { body: 'Waiting on the customer' }],
        ['escalate', { reason: 'complexity', note: 'Restarted the service' }],
        ['resolve', { resolution: 'Patched' }],
        ['feedback', { score: 5 }],
        ['close', {}],
        ['reopen', { reason: 'It broke again' }],
      ] as const) {
        const answer = await command(api, opened.ticketId, action, body);
        expect(answer.status).toBe(200);
        expect(answer.body.ticketId).toBe(opened.ticketId);
        versions.push(answer.body.version);
        positions.push(Number(answer.body.position));
      }

      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(positions).size).toBe(positions.length);
    });

    it('repeat the current version when the command changes nothing', async () => {
      const { ticketId } = await ticketAfter(['assign', { agentId: 'agent-7' }]);

      const again = await accepted(api, ticketId, 'assign', { agentId: 'agent-7' });

      expect(again.version).toBe(2);
      expect(await historyOf(api, ticketId)).toHaveLength(2);
    });
  });

  describe('assign', () => {
    it('makes the agent the assignee', async () => {
      const { ticketId, position } = await ticketAfter(['assign', { agentId: 'agent-3' }]);

      expect((await viewOf(api, ticketId, position)).assigneeId).toBe('agent-3');
    });

    it('is refused on a resolved ticket: 409 REOPEN_REQUIRED', async () => {
      const { ticketId } = await ticketAfter(['resolve']);

      expect(errorOf(await command(api, ticketId, 'assign'))).toEqual({
        status: 409,
        code: 'REOPEN_REQUIRED',
      });
    });

    it('refuses a blank agent id with 400', async () => {
      const { ticketId } = await openTicket(api);

      const answer = await command(api, ticketId, 'assign', { agentId: ' ' });

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toContain('agentId');
    });
  });

  describe('escalate', () => {
    it('goes to the next tier by default and arrives unassigned', async () => {
      const { ticketId } = await ticketAfter(['assign', { agentId: 'agent-1' }]);

      const escalated = await accepted(api, ticketId, 'escalate', {
        reason: 'complexity',
        note: 'Cleared the cache',
      });

      expect(await viewOf(api, ticketId, escalated.position)).toMatchObject({
        tier: 'L2',
        assigneeId: null,
        escalationCount: 1,
      });
    });

    it('records where from, where to, why and what was tried', async () => {
      const { ticketId } = await ticketAfter([
        'escalate',
        { reason: 'sla_breach', note: 'Tried twice' },
      ]);

      const events = await historyOf(api, ticketId);

      expect(events[1]).toMatchObject({
        type: 'TicketEscalated',
        data: { fromTier: 'L1', toTier: 'L2', reason: 'sla_breach', note: 'Tried twice' },
      });
    });

    it('climbs one tier at a time up to MANAGEMENT', async () => {
      const { ticketId, position } = await ticketAfter(['escalate'], ['escalate'], ['escalate']);

      expect(await viewOf(api, ticketId, position)).toMatchObject({
        tier: 'MANAGEMENT',
        escalationCount: 3,
      });
    });

    it('may skip tiers with toTier', async () => {
      const { ticketId, position } = await ticketAfter([
        'escalate',
        { toTier: 'L3', reason: 'crisis', note: 'Data loss' },
      ]);

      expect((await viewOf(api, ticketId, position)).tier).toBe('L3');
    });

    it('is refused at the top tier: 409 ALREADY_AT_TOP_TIER', async () => {
      const { ticketId } = await ticketAfter([
        'escalate',
        { toTier: 'MANAGEMENT', reason: 'crisis', note: 'Press' },
      ]);

      expect(errorOf(await command(api, ticketId, 'escalate'))).toEqual({
        status: 409,
        code: 'ALREADY_AT_TOP_TIER',
      });
    });

    it.each(['L1', 'L2'])(
      'is refused towards %s from L2: 409 ESCALATION_NOT_UPWARD',
      async (toTier) => {
        const { ticketId } = await ticketAfter(['escalate']);

        const answer = await command(api, ticketId, 'escalate', {
          toTier,
          reason: 'other',
          note: 'Sideways',
        });

        expect(errorOf(answer)).toEqual({ status: 409, code: 'ESCALATION_NOT_UPWARD' });
      },
    );

    it('is refused on a resolved ticket: 409 REOPEN_REQUIRED', async () => {
      const { ticketId } = await ticketAfter(['resolve']);

      expect(errorOf(await command(api, ticketId, 'escalate'))).toEqual({
        status: 409,
        code: 'REOPEN_REQUIRED',
      });
    });

    it('is refused on a closed ticket: 409 TICKET_CLOSED', async () => {
      const { ticketId } = await ticketAfter(['close']);

      expect(errorOf(await command(api, ticketId, 'escalate'))).toEqual({
        status: 409,
        code: 'TICKET_CLOSED',
      });
    });

    it.each([
      ['note', { reason: 'complexity' }],
      ['note', { reason: 'complexity', note: '  ' }],
      ['reason', { note: 'Tried' }],
      ['reason', { reason: 'boredom', note: 'Tried' }],
      ['toTier', { toTier: 'L9', reason: 'complexity', note: 'Tried' }],
    ])('refuses a missing or bad %s with 400', async (field, body) => {
      const { ticketId } = await openTicket(api);

      const answer = await command(api, ticketId, 'escalate', body);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toContain(field);
    });
  });

  describe('resolve', () => {
    it('marks the ticket resolved at its tier, with the instant', async () => {
      const { ticketId, position } = await ticketAfter(['escalate'], ['resolve']);

      const view = await viewOf(api, ticketId, position);
      const events = await historyOf(api, ticketId);

      expect(view).toMatchObject({ status: 'resolved', resolvedAt: events[2].occurredAt });
      expect(events[2].data).toMatchObject({ resolvedTier: 'L2' });
    });

    it('keeps the root cause and the resolver’s judgement of the escalation', async () => {
      const { ticketId } = await ticketAfter(
        ['escalate'],
        ['resolve', { resolution: 'Config', rootCause: 'typo', escalationNecessary: false }],
      );

      expect((await historyOf(api, ticketId))[2].data).toEqual({
        resolution: 'Config',
        rootCause: 'typo',
        resolvedTier: 'L2',
        escalationNecessary: false,
      });
    });

    it('is refused on a resolved ticket: 409 TICKET_ALREADY_RESOLVED', async () => {
      const { ticketId } = await ticketAfter(['resolve']);

      expect(errorOf(await command(api, ticketId, 'resolve'))).toEqual({
        status: 409,
        code: 'TICKET_ALREADY_RESOLVED',
      });
    });

    it('is refused on a closed ticket: 409 TICKET_CLOSED', async () => {
      const { ticketId } = await ticketAfter(['close']);

      expect(errorOf(await command(api, ticketId, 'resolve'))).toEqual({
        status: 409,
        code: 'TICKET_CLOSED',
      });
    });

    it('refuses a non-boolean escalationNecessary with 400', async () => {
      const { ticketId } = await openTicket(api);

      const answer = await command(api, ticketId, 'resolve', {
        resolution: 'Fixed',
        escalationNecessary: 'no',
      });

      expect(fieldsOf(answer)).toEqual(['escalationNecessary']);
    });

    it.each([
      ['free text', 'Ada had typed her password wrong'],
      ['capitals', 'Typo'],
      ['a leading dash', '-typo'],
      ['65 characters', 'a'.repeat(65)],
      ['an empty code', ''],
    ])(
      'takes the root cause as a code, stored in the clear: refuses %s with 400',
      async (_what, rootCause) => {
        const { ticketId } = await openTicket(api);

        const answer = await command(api, ticketId, 'resolve', { resolution: 'Fixed', rootCause });

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(fieldsOf(answer)).toEqual(['rootCause']);
      },
    );

    it('takes root-cause codes of 1 to 64 letters, digits, dots, dashes and underscores', async () => {
      for (const rootCause of ['x', 'expired-credentials', 'tls.v1_2', 'a'.repeat(64)]) {
        const { ticketId } = await openTicket(api);
        await accepted(api, ticketId, 'resolve', { resolution: 'Fixed', rootCause });
      }
    });
  });

  describe('feedback', () => {
    it('records the score as the ticket’s csat', async () => {
      const { ticketId, position } = await ticketAfter(['resolve'], ['feedback', { score: 2 }]);

      expect((await viewOf(api, ticketId, position)).csat).toBe(2);
    });

    it('is taken on a closed ticket that was never resolved', async () => {
      const { ticketId, position } = await ticketAfter(['close'], ['feedback', { score: 1 }]);

      expect((await viewOf(api, ticketId, position)).csat).toBe(1);
    });

    it('is refused on a ticket not yet resolved: 409 TICKET_NOT_RESOLVED', async () => {
      const { ticketId } = await openTicket(api);

      expect(errorOf(await command(api, ticketId, 'feedback'))).toEqual({
        status: 409,
        code: 'TICKET_NOT_RESOLVED',
      });
    });

    it('is refused a second time: 409 FEEDBACK_ALREADY_RECEIVED', async () => {
      const { ticketId } = await ticketAfter(['resolve'], ['feedback']);

      expect(errorOf(await command(api, ticketId, 'feedback'))).toEqual({
        status: 409,
        code: 'FEEDBACK_ALREADY_RECEIVED',
      });
    });

    it('is taken once in the ticket’s life, even across a reopen', async () => {
      const { ticketId } = await ticketAfter(['resolve'], ['feedback'], ['reopen'], ['resolve']);

      expect(errorOf(await command(api, ticketId, 'feedback'))).toEqual({
        status: 409,
        code: 'FEEDBACK_ALREADY_RECEIVED',
      });
    });

    it.each([0, 6, 4.5, '5'])('refuses the score %p with 400', async (score) => {
      const { ticketId } = await ticketAfter(['resolve']);

      const answer = await command(api, ticketId, 'feedback', { score });

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toContain('score');
    });
  });

  describe('status', () => {
    it.each(['in_progress', 'pending'])('moves the ticket to %s', async (status) => {
      const { ticketId, position } = await ticketAfter(['status', { status }]);

      expect((await viewOf(api, ticketId, position)).status).toBe(status);
    });

    it.each(['open', 'resolved', 'closed'])('refuses %s as a target with 400', async (status) => {
      const { ticketId } = await openTicket(api);

      const answer = await command(api, ticketId, 'status', { status });

      expect(fieldsOf(answer)).toEqual(['status']);
    });

    it('is refused on a resolved ticket: 409 REOPEN_REQUIRED', async () => {
      const { ticketId } = await ticketAfter(['resolve']);

      expect(errorOf(await command(api, ticketId, 'status'))).toEqual({
        status: 409,
        code: 'REOPEN_REQUIRED',
      });
    });

    it('is refused on a closed ticket: 409 TICKET_CLOSED', async () => {
      const { ticketId } = await ticketAfter(['close']);

      expect(errorOf(await command(api, ticketId, 'status'))).toEqual({
        status: 409,
        code: 'TICKET_CLOSED',
      });
    });
  });

  describe('notes', () => {
    it('adds an internal note to the history', async () => {
      const { ticketId } = await ticketAfter(['notes', { body: 'Customer on holiday' }]);

      expect((await historyOf(api, ticketId))[1]).toMatchObject({
        type: 'TicketNoteAdded',
        data: { body: 'Customer on holiday' },
      });
    });

    it('are taken on a resolved ticket', async () => {
      const { ticketId } = await ticketAfter(['resolve']);

      expect((await command(api, ticketId, 'notes')).status).toBe(200);
    });

    it('are refused on a closed ticket: 409 TICKET_CLOSED', async () => {
      const { ticketId } = await ticketAfter(['close']);

      expect(errorOf(await command(api, ticketId, 'notes'))).toEqual({
        status: 409,
        code: 'TICKET_CLOSED',
      });
    });

    /** `count` notes sent together, on connections opened beforehand so that they arrive together. */
    async function notesAtOnce(ticketId: string, count: number, from = 0) {
      await Promise.all(Array.from({ length: count }, () => api.request('GET', '/health')));
      return Promise.all(
        Array.from({ length: count }, (_, index) =>
          command(api, ticketId, 'notes', { body: `Note ${from + index + 1}` }),
        ),
      );
    }

    it('are taken 60 in a minute, 30 of them sent at once', async () => {
      const { ticketId } = await openTicket(api);
      const started = Date.now();

      const together = await notesAtOnce(ticketId, 30);
      const oneByOne = [];
      for (let note = 31; note <= 60; note++) {
        oneByOne.push(await command(api, ticketId, 'notes', { body: `Note ${note}` }));
      }

      expect(Date.now() - started).toBeLessThan(60_000);
      expect([...together, ...oneByOne].map((answer) => answer.status)).toEqual(
        Array(60).fill(200),
      );
      expect(await historyOf(api, ticketId)).toHaveLength(61);
    });

    it('are refused past 1,000 on a ticket: 409 NOTE_LIMIT_REACHED', async () => {
      const { ticketId } = await openTicket(api);
      for (let sent = 0; sent < 1000; sent += 50) {
        const answers = await notesAtOnce(ticketId, 50, sent);
        expect(answers.map((answer) => answer.status)).toEqual(Array(50).fill(200));
      }

      const refused = await command(api, ticketId, 'notes', { body: 'One too many' });

      expect(errorOf(refused)).toEqual({ status: 409, code: 'NOTE_LIMIT_REACHED' });
      expect(await historyOf(api, ticketId)).toHaveLength(1001);
    }, 60_000);
  });

  describe('reopen', () => {
    it('sets a resolved ticket open again in the tier it was resolved at', async () => {
      const { ticketId, position } = await ticketAfter(['escalate'], ['resolve'], ['reopen']);

      expect(await viewOf(api, ticketId, position)).toMatchObject({
        status: 'open',
        tier: 'L2',
        resolvedAt: null,
      });
    });

    it('sets a closed ticket open again', async () => {
      const { ticketId, position } = await ticketAfter(['close'], ['reopen']);

      expect((await viewOf(api, ticketId, position)).status).toBe('open');
    });

    it('is refused on a ticket neither resolved nor closed: 409 TICKET_NOT_REOPENABLE', async () => {
      const { ticketId } = await ticketAfter(['status', { status: 'pending' }]);

      expect(errorOf(await command(api, ticketId, 'reopen'))).toEqual({
        status: 409,
        code: 'TICKET_NOT_REOPENABLE',
      });
    });

    it('needs a reason: 400', async () => {
      const { ticketId } = await ticketAfter(['resolve']);

      expect(fieldsOf(await command(api, ticketId, 'reopen', {}))).toContain('reason');
    });
  });

  describe('close', () => {
    it('closes an open ticket, with or without a reason', async () => {
      const withReason = await ticketAfter(['close', { reason: 'Duplicate' }]);
      const without = await ticketAfter(['close', {}]);

      expect((await viewOf(api, withReason.ticketId, withReason.position)).status).toBe('closed');
      expect((await viewOf(api, without.ticketId, without.position)).status).toBe('closed');
    });

    it('takes an empty request with no body at all', async () => {
      const { ticketId } = await openTicket(api);

      const answer = await api.request('POST', `/v1/tickets/${ticketId}/close`);

      expect(answer.status).toBe(200);
    });

    it('closes a resolved ticket', async () => {
      const { ticketId, position } = await ticketAfter(['resolve'], ['close']);

      expect((await viewOf(api, ticketId, position)).status).toBe('closed');
    });

    it('is refused on a closed ticket: 409 TICKET_CLOSED', async () => {
      const { ticketId } = await ticketAfter(['close']);

      expect(errorOf(await command(api, ticketId, 'close'))).toEqual({
        status: 409,
        code: 'TICKET_CLOSED',
      });
    });

    it('leaves the ticket unchanged by any other command but feedback and reopen', async () => {
      const { ticketId } = await ticketAfter(['close']);

      for (const action of ['assign', 'escalate', 'resolve', 'status', 'notes'] as const) {
        expect(errorOf(await command(api, ticketId, action))).toEqual({
          status: 409,
          code: 'TICKET_CLOSED',
        });
      }
      expect(await historyOf(api, ticketId)).toHaveLength(2);
    });
  });

  describe('the ticket in the path', () => {
    it.each(TICKET_ACTIONS)('%s on an unknown ticket is 404 TICKET_NOT_FOUND', async (action) => {
      expect(errorOf(await command(api, randomUUID(), action))).toEqual({
        status: 404,
        code: 'TICKET_NOT_FOUND',
      });
    });

    it.each(TICKET_ACTIONS)('%s with an id that is not a uuid is 400', async (action) => {
      const answer = await command(api, 'ticket-1', action);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['id']);
    });
  });
});

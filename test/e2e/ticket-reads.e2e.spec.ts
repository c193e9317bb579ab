import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { accepted, historyOf, openTicket, viewOf } from './support/tickets';
import { nth } from '../support/elements';

describe('reading a ticket', () => {
  const clock = new TestClock('2026-03-02T08:00:00.000Z');
  let api: TestApp;
  beforeAll(async () => {
    api = await startApi({ clock });
  });
  afterAll(() => api.close());

  describe('GET /v1/tickets/:id', () => {
    it('answers the ticket view', async () => {
      clock.set('2026-03-02T08:00:00.000Z');
      const opened = await openTicket(api, {
        subject: 'VPN drops',
        channel: 'phone',
        customer: { id: 'cust-7', name: 'Grace', tier: 'vip' },
        category: 'network',
        priority: 'low',
      });
      clock.set('2026-03-02T08:30:00.000Z');
      const assigned = await accepted(api, opened.ticketId, 'assign', { agentId: 'agent-9' });

      expect(await viewOf(api, opened.ticketId, assigned.position)).toEqual({
        ticketId: opened.ticketId,
        subject: 'VPN drops',
        channel: 'phone',
        customer: { id: 'cust-7', name: 'Grace', tier: 'vip' },
        category: 'network',
        priority: 'low',
        priorityReason: 'explicit',
        status: 'open',
        tier: 'L1',
        assigneeId: 'agent-9',
        escalationCount: 0,
        openedAt: '2026-03-02T08:00:00.000Z',
        updatedAt: '2026-03-02T08:30:00.000Z',
        resolvedAt: null,
        csat: null,
        // Low priority under the default policy: answered in 8 h, resolved in 72 h.
        firstResponseDueAt: '2026-03-02T16:00:00.000Z',
        resolutionDueAt: '2026-03-05T08:00:00.000Z',
        sla: {
          policyVersion: 0,
          firstResponse: {
            warnAt: '2026-03-02T14:24:00.000Z',
            dueAt: '2026-03-02T16:00:00.000Z',
            running: false,
            metAt: '2026-03-02T08:30:00.000Z',
            warnedAt: null,
            breachedAt: null,
          },
          resolution: {
            warnAt: '2026-03-04T17:36:00.000Z',
            dueAt: '2026-03-05T08:00:00.000Z',
            running: true,
            metAt: null,
            warnedAt: null,
            breachedAt: null,
          },
        },
        version: 2,
      });
    });

    it('carries the version as a quoted ETag', async () => {
      const { ticketId } = await openTicket(api);
      await accepted(api, ticketId, 'notes');
      const last = await accepted(api, ticketId, 'notes');

      const read = await api.request('GET', `/v1/tickets/${ticketId}?after=${last.position}`);

      expect(read.headers.get('etag')).toBe('"3"');
      expect(read.body.version).toBe(3);
    });

    it('shows the last write when read after its position', async () => {
      const { ticketId } = await openTicket(api);
      await accepted(api, ticketId, 'assign', { agentId: 'agent-1' });
      await accepted(api, ticketId, 'escalate');
      const resolved = await accepted(api, ticketId, 'resolve');

      expect(await viewOf(api, ticketId, resolved.position)).toMatchObject({
        status: 'resolved',
        tier: 'L2',
        version: 4,
      });
    });

    it('is 404 TICKET_NOT_FOUND for an unknown ticket', async () => {
      const answer = await api.request('GET', `/v1/tickets/${randomUUID()}`);

      expect(errorOf(answer)).toEqual({ status: 404, code: 'TICKET_NOT_FOUND' });
    });

    it('is 400 for an id that is not a uuid', async () => {
      const answer = await api.request('GET', '/v1/tickets/12345');

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });

  describe('asOf', () => {
    /** A ticket opened at 10:00, assigned at 10:10, escalated at 10:20 on 2026-03-03. */
    async function ticketWithKnownTimes(): Promise<string> {
      clock.set('2026-03-03T10:00:00.000Z');
      const { ticketId } = await openTicket(api);
      clock.set('2026-03-03T10:10:00.000Z');
      await accepted(api, ticketId, 'assign', { agentId: 'agent-2' });
      clock.set('2026-03-03T10:20:00.000Z');
      await accepted(api, ticketId, 'escalate');
      return ticketId;
    }

    const asOf = (ticketId: string, instant: string) =>
      api.request('GET', `/v1/tickets/${ticketId}?asOf=${encodeURIComponent(instant)}`);

    it('is 404 before the ticket was opened', async () => {
      const ticketId = await ticketWithKnownTimes();

      const answer = await asOf(ticketId, '2026-03-03T09:59:59.999Z');

      expect(errorOf(answer)).toEqual({ status: 404, code: 'TICKET_NOT_FOUND' });
    });

    it('answers the state between two events as the earlier one left it', async () => {
      const ticketId = await ticketWithKnownTimes();

      const answer = await asOf(ticketId, '2026-03-03T10:15:00.000Z');

      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        tier: 'L1',
        assigneeId: 'agent-2',
        version: 2,
        updatedAt: '2026-03-03T10:10:00.000Z',
      });
      expect(answer.headers.get('etag')).toBe('"2"');
    });

    it('includes the event that happened exactly at the instant', async () => {
      const ticketId = await ticketWithKnownTimes();

      const answer = await asOf(ticketId, '2026-03-03T10:20:00.000Z');

      expect(answer.body).toMatchObject({ tier: 'L2', assigneeId: null, version: 3 });
    });

    it('includes the opening at the very instant it happened', async () => {
      const ticketId = await ticketWithKnownTimes();

      const answer = await asOf(ticketId, '2026-03-03T10:00:00.000Z');

      expect(answer.body).toMatchObject({ status: 'open', assigneeId: null, version: 1 });
    });

    it('reads an instant written with another UTC offset as the same instant', async () => {
      const ticketId = await ticketWithKnownTimes();

      const answer = await asOf(ticketId, '2026-03-03T11:10:00+01:00');

      expect(answer.body).toMatchObject({ assigneeId: 'agent-2', version: 2 });
    });

    it('answers the current state for an instant after the last event', async () => {
      const ticketId = await ticketWithKnownTimes();

      const answer = await asOf(ticketId, '2027-01-01T00:00:00.000Z');

      expect(answer.body).toMatchObject({ tier: 'L2', version: 3 });
    });

    it('is 404 for an unknown ticket', async () => {
      expect(errorOf(await asOf(randomUUID(), '2026-03-03T10:00:00.000Z'))).toEqual({
        status: 404,
        code: 'TICKET_NOT_FOUND',
      });
    });

    it.each(['yesterday', '2026-13-01T00:00:00Z', '2026-03-03 10:00:00', '1710000000'])(
      'refuses asOf=%s with 400',
      async (instant) => {
        const ticketId = await ticketWithKnownTimes();

        const answer = await asOf(ticketId, instant);

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(fieldsOf(answer)).toEqual(['asOf']);
      },
    );
  });

  describe('after', () => {
    it.each(['abc', '-1', '1.5', ''])('refuses after=%p with 400', async (after) => {
      const { ticketId } = await openTicket(api);

      const answer = await api.request('GET', `/v1/tickets/${ticketId}?after=${after}`);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['after']);
    });

    it('gives up with 504 POSITION_NOT_REACHED after about 5 s when the log is not there yet', async () => {
      const { ticketId, position } = await openTicket(api);
      const beyond = String(Number(position) + 1_000_000);
      const started = Date.now();

      const answer = await api.request('GET', `/v1/tickets/${ticketId}?after=${beyond}`);

      expect(errorOf(answer)).toEqual({ status: 504, code: 'POSITION_NOT_REACHED' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
      expect(Date.now() - started).toBeLessThan(10_000);
    }, 15_000);
  });

  describe('GET /v1/tickets/:id/history', () => {
    it('lists every event in order with versions 1..n and increasing positions', async () => {
      clock.set('2026-03-04T09:00:00.000Z');
      const { ticketId } = await openTicket(api);
      clock.advanceMinutes(5);
      await accepted(api, ticketId, 'assign', { agentId: 'agent-4' });
      clock.advanceMinutes(5);
      await accepted(api, ticketId, 'resolve', { resolution: 'Reset the password' });

      const events = await historyOf(api, ticketId);

      expect(events.map((event) => [event.type, event.version, event.occurredAt])).toEqual([
        ['TicketOpened', 1, '2026-03-04T09:00:00.000Z'],
        ['TicketAssigned', 2, '2026-03-04T09:05:00.000Z'],
        ['TicketResolved', 3, '2026-03-04T09:10:00.000Z'],
      ]);
      const positions = events.map((event) => Number(event.position));
      expect(nth(positions, 0)).toBeLessThan(nth(positions, 1));
      expect(nth(positions, 1)).toBeLessThan(nth(positions, 2));
    });

    it('gives each event’s data', async () => {
      const { ticketId } = await openTicket(api);
      await accepted(api, ticketId, 'assign', { agentId: 'agent-5' });

      const events = await historyOf(api, ticketId);

      expect(events[1].data).toEqual({ agentId: 'agent-5', tier: 'L1', auto: false });
    });

    it('records the credential’s principal as actor, never X-Actor-Id, and the correlation id sent', async () => {
      const { ticketId } = await openTicket(api, undefined, {
        'x-actor-id': 'alice',
        'x-correlation-id': 'corr-123',
      });
      await accepted(api, ticketId, 'notes', undefined, {
        'x-actor-id': 'bob',
        'x-correlation-id': 'corr-456',
      });

      const events = await historyOf(api, ticketId);
      const admin = (await api.request('GET', '/v1/keys')).body.keys[0];

      expect(events.map((event) => [event.actor, event.actorRoles, event.correlationId])).toEqual([
        [`key:${admin.keyId}`, ['admin'], 'corr-123'],
        [`key:${admin.keyId}`, ['admin'], 'corr-456'],
      ]);
    });

    it('gives every event a correlation id even when the client sent none', async () => {
      const { ticketId } = await openTicket(api);

      const [opened] = await historyOf(api, ticketId);

      expect(opened.correlationId).toEqual(expect.any(String));
      expect(opened.correlationId).not.toBe('');
    });

    it('gives every event its own event id, the causing command and the schema version', async () => {
      const { ticketId } = await openTicket(api);
      await accepted(api, ticketId, 'notes');
      await accepted(api, ticketId, 'notes');

      const events = await historyOf(api, ticketId);

      for (const event of events) {
        expect(event).toMatchObject({
          eventId: expect.any(String),
          causationId: expect.any(String),
          // An opening and notes: events with personal data, written sealed since version 2.
          schemaVersion: 2,
        });
      }
      expect(new Set(events.map((event) => event.eventId)).size).toBe(3);
      expect(new Set(events.map((event) => event.causationId)).size).toBe(3);
    });

    it('is 404 TICKET_NOT_FOUND for an unknown ticket', async () => {
      const answer = await api.request('GET', `/v1/tickets/${randomUUID()}/history`);

      expect(errorOf(answer)).toEqual({ status: 404, code: 'TICKET_NOT_FOUND' });
    });

    describe('a page at a time', () => {
      /** A ticket of `1 + notes` events. */
      async function ticketWithNotes(notes: number): Promise<string> {
        const { ticketId } = await openTicket(api);
        for (let note = 1; note <= notes; note++) {
          await accepted(api, ticketId, 'notes', { body: `Note ${note}` });
        }
        return ticketId;
      }

      async function page(ticketId: string, query: string): Promise<any> {
        const answer = await api.request('GET', `/v1/tickets/${ticketId}/history?${query}`);
        expect(answer.status).toBe(200);
        return answer.body;
      }

      const versionsOf = (body: any) => body.events.map((event: any) => event.version);

      it('gives limit events after the version passed as after, and next while more follow', async () => {
        const ticketId = await ticketWithNotes(6);

        const first = await page(ticketId, 'limit=3');
        const second = await page(ticketId, `after=${first.next}&limit=3`);
        const last = await page(ticketId, `after=${second.next}&limit=3`);

        expect([versionsOf(first), first.next]).toEqual([[1, 2, 3], 3]);
        expect([versionsOf(second), second.next]).toEqual([[4, 5, 6], 6]);
        expect(last).toEqual({ ticketId, events: [expect.objectContaining({ version: 7 })] });
        expect(last.events[0].data).toEqual({ body: 'Note 6' });
      });

      it('gives 100 events a page unless told otherwise', async () => {
        const ticketId = await ticketWithNotes(100);

        const first = await page(ticketId, '');
        const rest = await page(ticketId, `after=${first.next}`);

        expect(first.events).toHaveLength(100);
        expect(first.next).toBe(100);
        expect(versionsOf(rest)).toEqual([101]);
        expect(rest).not.toHaveProperty('next');
      });

      it('gives up to 1000 events a page when asked', async () => {
        const ticketId = await ticketWithNotes(2);

        expect(versionsOf(await page(ticketId, 'limit=1000'))).toEqual([1, 2, 3]);
      });

      it('answers an empty page after the last version', async () => {
        const ticketId = await ticketWithNotes(2);

        expect(await page(ticketId, 'after=3')).toEqual({ ticketId, events: [] });
        expect(await page(ticketId, 'after=500&limit=5')).toEqual({ ticketId, events: [] });
      });

      it('is 404 TICKET_NOT_FOUND for an unknown ticket, whatever the page', async () => {
        const answer = await api.request('GET', `/v1/tickets/${randomUUID()}/history?after=2`);

        expect(errorOf(answer)).toEqual({ status: 404, code: 'TICKET_NOT_FOUND' });
      });

      it.each([
        ['after', '-1'],
        ['after', '1.5'],
        ['after', '1e2'],
        ['after', '0x10'],
        ['after', '+3'],
        ['after', ''],
        ['after', 'first'],
        ['after', '99999999999999999'],
        ['limit', '0'],
        ['limit', '1001'],
        ['limit', '1e2'],
        ['limit', ' 5'],
        ['limit', ''],
      ])('is 400 VALIDATION_FAILED for %s=%j', async (field, value) => {
        const { ticketId } = await openTicket(api);

        const answer = await api.request(
          'GET',
          `/v1/tickets/${ticketId}/history?${field}=${encodeURIComponent(value)}`,
        );

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(fieldsOf(answer)).toEqual([field]);
      });
    });

    it('is 400 for an id that is not a uuid', async () => {
      const answer = await api.request('GET', '/v1/tickets/not-a-ticket/history');

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });
  });
});

import { Automation } from '../../apps/api/src/automation/automation';
import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { accepted, historyOf, openTicket } from './support/tickets';

const IDLE_ALERT_HOURS = { urgent: 1, high: 2, medium: 3, low: 4 };

/** An alert of a ticket still in L1, open and unassigned: all but what the test is about. */
function alert(fields: Record<string, unknown>) {
  return { tier: 'L1', status: 'open', assigneeId: null, ...fields };
}

describe('GET /v1/alerts', () => {
  let clock: TestClock;
  let api: TestApp;
  let last: string;

  async function open(priority: string, at: string): Promise<string> {
    clock.set(at);
    const opened = await openTicket(api, { priority: priority as never });
    last = opened.position;
    return opened.ticketId;
  }

  async function alerts(query = ''): Promise<any> {
    const answer = await api.request('GET', `/v1/alerts?after=${last}${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  }

  afterEach(() => api.close());

  describe('idle tickets', () => {
    beforeEach(async () => {
      clock = new TestClock('2026-03-02T09:00:00.000Z');
      api = await startApi({ clock, config: { idleAlertHours: IDLE_ALERT_HOURS } });
    });

    it('lists the tickets idle past their priority’s threshold, newest alert first', async () => {
      const urgent = await open('urgent', '2026-03-02T09:00:00.000Z');
      await open('low', '2026-03-02T09:00:00.000Z');
      const medium = await open('medium', '2026-03-02T09:30:00.000Z');
      clock.set('2026-03-02T12:45:00.000Z');

      expect(await alerts()).toEqual({
        at: '2026-03-02T12:45:00.000Z',
        idleAlertHours: IDLE_ALERT_HOURS,
        alerts: [
          alert({
            kind: 'idle',
            since: '2026-03-02T12:30:00.000Z',
            ticketId: medium,
            priority: 'medium',
            lastActivityAt: '2026-03-02T09:30:00.000Z',
          }),
          alert({
            kind: 'idle',
            since: '2026-03-02T10:00:00.000Z',
            ticketId: urgent,
            priority: 'urgent',
            lastActivityAt: '2026-03-02T09:00:00.000Z',
          }),
        ],
      });
    });

    it('counts a ticket idle once its threshold has passed, not at it', async () => {
      const ticketId = await open('urgent', '2026-03-02T09:00:00.000Z');

      clock.set('2026-03-02T10:00:00.000Z');
      expect((await alerts()).alerts).toEqual([]);

      clock.set('2026-03-02T10:00:00.001Z');
      expect((await alerts()).alerts).toMatchObject([{ kind: 'idle', ticketId }]);
    });

    it('measures idleness from the latest activity, and drops a resolved ticket', async () => {
      const urgent = await open('urgent', '2026-03-02T09:00:00.000Z');
      const low = await open('low', '2026-03-02T09:00:00.000Z');
      const medium = await open('medium', '2026-03-02T09:30:00.000Z');
      clock.set('2026-03-02T12:45:00.000Z');
      await accepted(api, urgent, 'notes');
      clock.set('2026-03-02T13:30:00.000Z');
      last = (await accepted(api, medium, 'assign', { agentId: 'agent-7' })).position;

      expect((await alerts()).alerts).toEqual([
        alert({
          kind: 'idle',
          since: '2026-03-02T13:00:00.000Z',
          ticketId: low,
          priority: 'low',
          lastActivityAt: '2026-03-02T09:00:00.000Z',
        }),
      ]);

      clock.set('2026-03-02T18:00:00.000Z');
      last = (await accepted(api, low, 'resolve')).position;
      clock.set('2026-03-02T23:00:00.000Z');

      expect((await alerts()).alerts).toEqual([
        alert({
          kind: 'idle',
          since: '2026-03-02T16:30:00.000Z',
          ticketId: medium,
          priority: 'medium',
          assigneeId: 'agent-7',
          lastActivityAt: '2026-03-02T13:30:00.000Z',
        }),
        alert({
          kind: 'idle',
          since: '2026-03-02T13:45:00.000Z',
          ticketId: urgent,
          priority: 'urgent',
          lastActivityAt: '2026-03-02T12:45:00.000Z',
        }),
      ]);
    });

    it('answers at most ?limit= alerts, the newest', async () => {
      await open('urgent', '2026-03-02T09:00:00.000Z');
      const newest = await open('urgent', '2026-03-02T09:10:00.000Z');
      clock.set('2026-03-02T11:00:00.000Z');

      expect((await alerts('&limit=1')).alerts).toMatchObject([{ ticketId: newest }]);
      expect((await alerts('&limit=500')).alerts).toHaveLength(2);
    });

    it.each([['0'], ['501'], ['abc'], ['1.5'], ['-1']])(
      'refuses ?limit=%s with 400',
      async (limit) => {
        const answer = await api.request('GET', `/v1/alerts?limit=${limit}`);

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect([...new Set(fieldsOf(answer))]).toEqual(['limit']);
      },
    );

    it('refuses an unknown query parameter with 400', async () => {
      const answer = await api.request('GET', '/v1/alerts?kind=idle');

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['kind']);
    });
  });

  describe('SLA warnings and breaches', () => {
    /** Urgent tickets: answered in 10 minutes, resolved in 60, warned at 80 %. */
    const URGENT = { firstResponseMinutes: 10, resolutionMinutes: 60 };
    const SLOW = { firstResponseMinutes: 600, resolutionMinutes: 6000 };

    beforeEach(async () => {
      clock = new TestClock('2026-03-02T09:00:00.000Z');
      api = await startApi({ clock, config: { automation: 'on' } });
      const policy = await api.request('PUT', '/v1/sla-policy', {
        targets: { urgent: URGENT, high: SLOW, medium: SLOW, low: SLOW },
        warnAt: 0.8,
      });
      expect(policy.status).toBe(200);
    });

    /** Lets the SLA clock look at the test clock's time, and remembers the ticket's last position. */
    async function settle(ticketId: string): Promise<void> {
      await api.app.get(Automation).settle();
      last = (await historyOf(api, ticketId)).at(-1).position;
    }

    it('lists a warned ticket, then the breach in its place', async () => {
      const ticketId = await open('urgent', '2026-03-02T09:00:00.000Z');
      const sla = (kind: string, since: string) =>
        alert({
          kind,
          since,
          ticketId,
          priority: 'urgent',
          lastActivityAt: '2026-03-02T09:00:00.000Z',
          target: 'first_response',
        });

      clock.set('2026-03-02T09:08:00.000Z');
      await settle(ticketId);
      expect((await alerts()).alerts).toEqual([sla('sla_warning', '2026-03-02T09:08:00.000Z')]);

      clock.set('2026-03-02T09:10:00.000Z');
      await settle(ticketId);
      expect((await alerts()).alerts).toEqual([sla('sla_breach', '2026-03-02T09:10:00.000Z')]);
    });

    it('keeps a breach over a later warning, and drops the ticket once resolved', async () => {
      const ticketId = await open('urgent', '2026-03-02T09:00:00.000Z');
      clock.set('2026-03-02T09:10:00.000Z');
      await settle(ticketId);

      // The resolution warning escalates the ticket: activity, unlike the marks themselves.
      clock.set('2026-03-02T09:48:00.000Z');
      await settle(ticketId);
      expect((await alerts()).alerts).toEqual([
        alert({
          kind: 'sla_breach',
          since: '2026-03-02T09:10:00.000Z',
          ticketId,
          priority: 'urgent',
          tier: 'L2',
          lastActivityAt: '2026-03-02T09:48:00.000Z',
          target: 'first_response',
        }),
      ]);

      clock.set('2026-03-02T09:50:00.000Z');
      last = (await accepted(api, ticketId, 'resolve')).position;
      expect((await alerts()).alerts).toEqual([]);
    });

    it('lists a ticket both marked and idle once for each', async () => {
      const urgent = { ...URGENT, resolutionMinutes: 6000 };
      await api.request('PUT', '/v1/sla-policy', {
        targets: { urgent, high: SLOW, medium: SLOW, low: SLOW },
        warnAt: 0.8,
      });
      const ticketId = await open('urgent', '2026-03-02T09:00:00.000Z');

      // Nobody looked for 90 minutes: the warning and the breach are recorded together.
      clock.set('2026-03-02T10:30:00.000Z');
      await settle(ticketId);

      expect((await alerts()).alerts).toMatchObject([
        { kind: 'sla_breach', since: '2026-03-02T10:30:00.000Z', ticketId },
        { kind: 'idle', since: '2026-03-02T10:00:00.000Z', ticketId },
      ]);
    });
  });
});

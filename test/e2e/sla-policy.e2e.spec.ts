import { hoursOn } from '../support/calendars';
import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { accepted, openTicket, viewOf } from './support/tickets';

const DEFAULT_POLICY = {
  version: 0,
  targets: {
    urgent: { firstResponseMinutes: 15, resolutionMinutes: 240 },
    high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
    medium: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
    low: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
  },
  warnAt: 0.8,
};

/** Half an hour to answer and two to resolve, whatever the priority. */
const FAST = { firstResponseMinutes: 30, resolutionMinutes: 120 };
const FAST_POLICY = {
  targets: { urgent: FAST, high: FAST, medium: FAST, low: FAST },
  warnAt: 0.5,
};

/** Monday to Friday, nine to five in Paris (UTC+1 in January). */
const PARIS_OFFICE = {
  timeZone: 'Europe/Paris',
  hours: hoursOn('09:00', '17:00'),
};

const unique = (fields: string[]) => [...new Set(fields)];

describe('the SLA policy over HTTP', () => {
  let clock: TestClock;
  let api: TestApp;

  beforeEach(async () => {
    // A Monday.
    clock = new TestClock('2026-01-05T09:00:00.000Z');
    api = await startApi({ clock });
  });
  afterEach(() => api.close());

  async function put(body: unknown) {
    return api.request('PUT', '/v1/sla-policy', body);
  }

  async function versions(): Promise<any[]> {
    const answer = await api.request('GET', '/v1/sla-policy/versions');
    expect(answer.status).toBe(200);
    return answer.body.versions;
  }

  describe('GET /v1/sla-policy', () => {
    it('is the built-in default, version 0, until a policy is set', async () => {
      const answer = await api.request('GET', '/v1/sla-policy');

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(DEFAULT_POLICY);
    });

    it('is the latest policy set, at the next version', async () => {
      const changed = await put(FAST_POLICY);

      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ version: 1, ...FAST_POLICY, position: '2' });
      expect((await api.request('GET', '/v1/sla-policy')).body).toEqual({
        version: 1,
        ...FAST_POLICY,
      });
    });

    it('takes warnAt as 0.8 when it is left out', async () => {
      const changed = await put({ targets: FAST_POLICY.targets });

      expect(changed.body).toMatchObject({ version: 1, warnAt: 0.8 });
    });

    it('shows a calendar in the shape it was given, holidays defaulting to none', async () => {
      const changed = await put({ ...FAST_POLICY, calendar: PARIS_OFFICE });

      expect(changed.body).toEqual({
        version: 1,
        ...FAST_POLICY,
        calendar: { ...PARIS_OFFICE, holidays: [] },
        position: '2',
      });
    });
  });

  describe('GET /v1/sla-policy/versions', () => {
    it('lists every version, the default first', async () => {
      await put(FAST_POLICY);
      await put({ ...FAST_POLICY, warnAt: 0.9 });

      expect(await versions()).toEqual([
        DEFAULT_POLICY,
        { version: 1, ...FAST_POLICY },
        { version: 2, ...FAST_POLICY, warnAt: 0.9 },
      ]);
    });
  });

  describe('the terms a ticket is opened under', () => {
    it('stay with the ticket when the policy changes', async () => {
      const before = await openTicket(api);
      clock.set('2026-01-05T10:00:00.000Z');
      await put(FAST_POLICY);
      const after = await openTicket(api);

      const first = await viewOf(api, before.ticketId, after.position);
      const second = await viewOf(api, after.ticketId, after.position);

      expect(first).toMatchObject({
        priority: 'medium',
        firstResponseDueAt: '2026-01-05T13:00:00.000Z',
        resolutionDueAt: '2026-01-06T09:00:00.000Z',
        sla: { policyVersion: 0 },
      });
      expect(second).toMatchObject({
        priority: 'medium',
        firstResponseDueAt: '2026-01-05T10:30:00.000Z',
        resolutionDueAt: '2026-01-05T12:00:00.000Z',
        sla: { policyVersion: 1 },
      });
    });

    it('are copied into TicketOpened, so the log alone says when the ticket is due', async () => {
      await put(FAST_POLICY);
      const opened = await openTicket(api, { priority: 'high' });

      const history = await api.request('GET', `/v1/tickets/${opened.ticketId}/history`);

      expect(history.body.events[0].data.sla).toEqual({
        policyVersion: 1,
        firstResponseMinutes: 30,
        resolutionMinutes: 120,
        warnAt: 0.5,
      });
    });

    it('show every deadline: when each target warns and falls due', async () => {
      await put(FAST_POLICY);
      const opened = await openTicket(api);

      const view = await viewOf(api, opened.ticketId, opened.position);

      expect(view.sla).toEqual({
        policyVersion: 1,
        firstResponse: {
          warnAt: '2026-01-05T09:15:00.000Z',
          dueAt: '2026-01-05T09:30:00.000Z',
          running: true,
          metAt: null,
          warnedAt: null,
          breachedAt: null,
        },
        resolution: {
          warnAt: '2026-01-05T10:00:00.000Z',
          dueAt: '2026-01-05T11:00:00.000Z',
          running: true,
          metAt: null,
          warnedAt: null,
          breachedAt: null,
        },
      });
    });

    it('count business time only, when the policy has a calendar', async () => {
      await put({
        targets: {
          ...FAST_POLICY.targets,
          high: { firstResponseMinutes: 60, resolutionMinutes: 600 },
        },
        warnAt: 0.8,
        calendar: { ...PARIS_OFFICE, holidays: ['2026-01-12'] },
      });
      // Friday 16:30 in Paris: half an hour left that day, and Monday is a holiday.
      clock.set('2026-01-09T15:30:00.000Z');
      const opened = await openTicket(api, { priority: 'high' });

      const view = await viewOf(api, opened.ticketId, opened.position);

      expect(view).toMatchObject({
        firstResponseDueAt: '2026-01-13T08:30:00.000Z',
        resolutionDueAt: '2026-01-14T09:30:00.000Z',
        sla: {
          policyVersion: 1,
          firstResponse: { warnAt: '2026-01-13T08:18:00.000Z' },
          resolution: { warnAt: '2026-01-13T15:30:00.000Z' },
        },
      });
    });

    it.each([
      [
        'given out of order',
        [
          { day: 1, opens: '13:00', closes: '17:00' },
          { day: 1, opens: '09:00', closes: '12:00' },
        ],
        '2026-01-05T15:00:00.000Z',
      ],
      [
        'that overlap',
        [
          { day: 1, opens: '09:00', closes: '12:00' },
          { day: 1, opens: '10:00', closes: '13:00' },
          { day: 2, opens: '09:00', closes: '17:00' },
        ],
        '2026-01-06T10:00:00.000Z',
      ],
    ])('count each open minute once, with hours %s', async (_how, hours, dueAt) => {
      await put({
        targets: {
          ...FAST_POLICY.targets,
          high: { firstResponseMinutes: 300, resolutionMinutes: 600 },
        },
        calendar: { timeZone: 'UTC', hours },
      });
      clock.set('2026-01-05T08:00:00.000Z');
      const opened = await openTicket(api, { priority: 'high' });

      const view = await viewOf(api, opened.ticketId, opened.position);

      expect(view.firstResponseDueAt).toBe(dueAt);
    });
  });

  describe('the resolution clock', () => {
    it('stops while the ticket is pending and moves its deadlines by the pause', async () => {
      const opened = await openTicket(api);
      clock.set('2026-01-05T10:00:00.000Z');
      const paused = await accepted(api, opened.ticketId, 'status', { status: 'pending' });

      const whilePending = await viewOf(api, opened.ticketId, paused.position);
      expect(whilePending).toMatchObject({
        status: 'pending',
        firstResponseDueAt: '2026-01-05T13:00:00.000Z',
        resolutionDueAt: null,
        sla: {
          firstResponse: { running: true },
          resolution: { running: false, dueAt: '2026-01-06T09:00:00.000Z' },
        },
      });

      clock.set('2026-01-05T12:00:00.000Z');
      const resumed = await accepted(api, opened.ticketId, 'status', { status: 'in_progress' });

      const afterPause = await viewOf(api, opened.ticketId, resumed.position);
      expect(afterPause).toMatchObject({
        status: 'in_progress',
        firstResponseDueAt: '2026-01-05T13:00:00.000Z',
        resolutionDueAt: '2026-01-06T11:00:00.000Z',
        sla: {
          resolution: {
            running: true,
            warnAt: '2026-01-06T06:12:00.000Z',
            dueAt: '2026-01-06T11:00:00.000Z',
          },
        },
      });
    });

    it('stops at the resolution', async () => {
      const opened = await openTicket(api);
      clock.set('2026-01-05T10:00:00.000Z');
      const resolved = await accepted(api, opened.ticketId, 'resolve');

      const view = await viewOf(api, opened.ticketId, resolved.position);

      expect(view).toMatchObject({
        resolutionDueAt: null,
        sla: { resolution: { running: false, metAt: '2026-01-05T10:00:00.000Z' } },
      });
    });
  });

  describe('PUT /v1/sla-policy refuses', () => {
    const withLow = (low: unknown) => ({
      targets: { ...FAST_POLICY.targets, low },
    });

    it.each([
      [
        'a priority left out',
        { targets: { urgent: FAST, high: FAST, medium: FAST } },
        'targets.low',
      ],
      ['targets that are not an object', { targets: [] }, 'targets'],
      [
        'a negative target',
        withLow({ firstResponseMinutes: -5, resolutionMinutes: 60 }),
        'targets.low.firstResponseMinutes',
      ],
      [
        'a zero target',
        withLow({ firstResponseMinutes: 5, resolutionMinutes: 0 }),
        'targets.low.resolutionMinutes',
      ],
      [
        'a target over a year',
        withLow({ firstResponseMinutes: 5, resolutionMinutes: 366 * 24 * 60 + 1 }),
        'targets.low.resolutionMinutes',
      ],
      [
        'a target that is not a number',
        withLow({ firstResponseMinutes: '5', resolutionMinutes: 60 }),
        'targets.low.firstResponseMinutes',
      ],
      ['warnAt 0', { ...FAST_POLICY, warnAt: 0 }, 'warnAt'],
      ['warnAt 1', { ...FAST_POLICY, warnAt: 1 }, 'warnAt'],
      ['warnAt above 1', { ...FAST_POLICY, warnAt: 1.5 }, 'warnAt'],
      [
        'an unknown time zone',
        { ...FAST_POLICY, calendar: { ...PARIS_OFFICE, timeZone: 'Mars/Olympus' } },
        'calendar.timeZone',
      ],
      [
        'hours that close before they open',
        {
          ...FAST_POLICY,
          calendar: { ...PARIS_OFFICE, hours: [{ day: 1, opens: '17:00', closes: '09:00' }] },
        },
        'calendar.hours.0',
      ],
      [
        'hours that close as they open',
        {
          ...FAST_POLICY,
          calendar: { ...PARIS_OFFICE, hours: [{ day: 1, opens: '09:00', closes: '09:00' }] },
        },
        'calendar.hours.0',
      ],
      [
        'a time that is not HH:MM',
        {
          ...FAST_POLICY,
          calendar: { ...PARIS_OFFICE, hours: [{ day: 1, opens: '9:00', closes: '17:00' }] },
        },
        'calendar.hours.0.opens',
      ],
      [
        'a day past Saturday',
        {
          ...FAST_POLICY,
          calendar: { ...PARIS_OFFICE, hours: [{ day: 7, opens: '09:00', closes: '17:00' }] },
        },
        'calendar.hours.0.day',
      ],
      [
        'a holiday not written YYYY-MM-DD',
        { ...FAST_POLICY, calendar: { ...PARIS_OFFICE, holidays: ['25/12/2026'] } },
        'calendar.holidays',
      ],
      [
        'a holiday in month 13',
        { ...FAST_POLICY, calendar: { ...PARIS_OFFICE, holidays: ['2026-01-01', '2026-13-01'] } },
        'calendar.holidays.1',
      ],
      [
        'a holiday on February 30th',
        { ...FAST_POLICY, calendar: { ...PARIS_OFFICE, holidays: ['2026-02-30'] } },
        'calendar.holidays.0',
      ],
      [
        'a holiday on April 31st',
        { ...FAST_POLICY, calendar: { ...PARIS_OFFICE, holidays: ['2026-04-31'] } },
        'calendar.holidays.0',
      ],
      [
        'a calendar that never opens',
        { ...FAST_POLICY, calendar: { timeZone: 'UTC', hours: [] } },
        'calendar.hours',
      ],
      ['an unknown field', { ...FAST_POLICY, escalateTo: 'L3' }, 'escalateTo'],
    ])('%s with 400 naming the field, and records nothing', async (_what, body, field) => {
      const answer = await put(body);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(unique(fieldsOf(answer))).toEqual([field]);
      expect(await versions()).toEqual([DEFAULT_POLICY]);
    });
  });

  describe('a retried change', () => {
    it('with the same Idempotency-Key, answers the first answer and records one version', async () => {
      const key = { 'Idempotency-Key': 'policy-fast' };
      const first = await api.request('PUT', '/v1/sla-policy', FAST_POLICY, key);
      const retried = await api.request('PUT', '/v1/sla-policy', FAST_POLICY, key);

      expect(retried.body).toEqual(first.body);
      expect((await versions()).map((policy) => policy.version)).toEqual([0, 1]);
    });

    it('without a key, setting the policy in force again records nothing', async () => {
      const first = await put(FAST_POLICY);
      const again = await put({ warnAt: 0.5, targets: FAST_POLICY.targets });

      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(await versions()).toHaveLength(2);
    });
  });
});

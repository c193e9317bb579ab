import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import {
  accepted,
  openTicket,
  viewOf,
  type OpenTicketBody,
  type TicketAction,
} from './support/tickets';

/** Each test gets a store of its own, so a queue holds exactly the tickets the test opened. */
describe('GET /v1/queues/:tier', () => {
  let clock: TestClock;
  let api: TestApp;
  /** The position of the test's last write, to read after. */
  let last: string;

  beforeEach(async () => {
    clock = new TestClock('2026-04-01T09:00:00.000Z');
    api = await startApi({ clock });
    last = '0';
  });
  afterEach(() => api.close());

  async function open(overrides: OpenTicketBody = {}, at?: string): Promise<string> {
    if (at) clock.set(at);
    const opened = await openTicket(api, overrides);
    last = opened.position;
    return opened.ticketId;
  }

  async function act(ticketId: string, action: TicketAction, body?: unknown): Promise<void> {
    last = (await accepted(api, ticketId, action, body)).position;
  }

  async function queue(path: string) {
    const separator = path.includes('?') ? '&' : '?';
    return api.request('GET', `/v1/queues/${path}${separator}after=${last}`);
  }

  async function idsIn(path: string): Promise<string[]> {
    const answer = await queue(path);
    expect(answer.status).toBe(200);
    return answer.body.items.map((item: { ticketId: string }) => item.ticketId);
  }

  describe('what it lists', () => {
    it('holds the tier’s tickets that are neither resolved nor closed, whatever their status', async () => {
      const open1 = await open();
      const inProgress = await open();
      await act(inProgress, 'status', { status: 'in_progress' });
      const pending = await open();
      await act(pending, 'status', { status: 'pending' });
      const resolved = await open();
      await act(resolved, 'resolve');
      const closed = await open();
      await act(closed, 'close');

      expect((await idsIn('L1')).sort()).toEqual([open1, inProgress, pending].sort());
    });

    it('holds an escalated ticket in its new tier only', async () => {
      const escalated = await open();
      await act(escalated, 'escalate', { toTier: 'L3', reason: 'complexity', note: 'Tried' });

      expect(await idsIn('L1')).toEqual([]);
      expect(await idsIn('L2')).toEqual([]);
      expect(await idsIn('L3')).toEqual([escalated]);
    });

    it('takes a reopened ticket back', async () => {
      const ticketId = await open();
      await act(ticketId, 'resolve');
      await act(ticketId, 'reopen');

      expect(await idsIn('L1')).toEqual([ticketId]);
    });

    it('answers the tier, the ticket views and no next cursor when all fit', async () => {
      const ticketId = await open({ subject: 'Printer jam' });
      await act(ticketId, 'assign', { agentId: 'agent-1' });

      const answer = await queue('L1');

      expect(answer.body).toEqual({
        tier: 'L1',
        items: [await viewOf(api, ticketId, last)],
        nextCursor: null,
      });
    });

    it('answers an empty queue for a tier with no tickets', async () => {
      await open();

      expect((await queue('MANAGEMENT')).body).toEqual({
        tier: 'MANAGEMENT',
        items: [],
        nextCursor: null,
      });
    });
  });

  describe('order', () => {
    it('is urgent to low, VIP first within a priority, then oldest first', async () => {
      const vip = { id: 'vip', tier: 'vip' as const };
      const low = await open({ priority: 'low' }, '2026-04-01T08:00:00.000Z');
      const highNew = await open({ priority: 'high' }, '2026-04-01T09:01:00.000Z');
      const urgentNew = await open({ priority: 'urgent' }, '2026-04-01T09:04:00.000Z');
      const highVip = await open({ priority: 'high', customer: vip }, '2026-04-01T09:03:00.000Z');
      const urgentOld = await open({ priority: 'urgent' }, '2026-04-01T09:02:00.000Z');
      const highOld = await open({ priority: 'high' }, '2026-04-01T08:59:00.000Z');
      const mediumVip = await open(
        { priority: 'medium', customer: vip },
        '2026-04-01T09:10:00.000Z',
      );
      const mediumOld = await open({ priority: 'medium' }, '2026-04-01T07:00:00.000Z');

      expect(await idsIn('L1')).toEqual([
        urgentOld,
        urgentNew,
        highVip,
        highOld,
        highNew,
        mediumVip,
        mediumOld,
        low,
      ]);
    });

    it('follows a ticket’s priority as derived when it was opened', async () => {
      const plain = await open({ subject: 'Question' }, '2026-04-01T08:00:00.000Z');
      const outage = await open({ subject: 'Outage in Paris' }, '2026-04-01T09:00:00.000Z');

      expect(await idsIn('L1')).toEqual([outage, plain]);
    });
  });

  describe('filters', () => {
    async function mixedQueue() {
      const openOne = await open({ priority: 'high' });
      const pending = await open({ priority: 'low' });
      await act(pending, 'status', { status: 'pending' });
      const assigned = await open({ priority: 'high' });
      await act(assigned, 'assign', { agentId: 'agent-1' });
      await act(assigned, 'status', { status: 'in_progress' });
      return { openOne, pending, assigned };
    }

    it.each([
      ['status=open', ['openOne']],
      ['status=pending', ['pending']],
      ['status=in_progress', ['assigned']],
      ['priority=high', ['openOne', 'assigned']],
      ['priority=urgent', []],
      ['assigned=true', ['assigned']],
      ['assigned=false', ['openOne', 'pending']],
      ['priority=high&assigned=false', ['openOne']],
    ])('%s keeps only the matching tickets', async (filter, expected) => {
      const tickets: Record<string, string> = await mixedQueue();

      const ids = await idsIn(`L1?${filter}`);

      expect(ids.sort()).toEqual(expected.map((name) => tickets[name]).sort());
    });

    it.each([
      ['status', 'status=resolved'],
      ['status', 'status=closed'],
      ['priority', 'priority=critical'],
      ['assigned', 'assigned=yes'],
    ])('refuses a bad %s with 400', async (field, filter) => {
      const answer = await queue(`L1?${filter}`);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual([field]);
    });
  });

  describe('tier', () => {
    it.each(['L4', 'l1', 'management', 'TOP'])('refuses the tier %s with 400', async (tier) => {
      const answer = await api.request('GET', `/v1/queues/${tier}`);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['tier']);
    });
  });

  describe('limit', () => {
    it('is 50 by default', async () => {
      for (let i = 0; i < 51; i += 1) await open();

      const answer = await queue('L1');

      expect(answer.body.items).toHaveLength(50);
      expect(answer.body.nextCursor).toEqual(expect.any(String));
    });

    it.each([1, 500])('accepts %d', async (limit) => {
      await open();
      await open();

      const answer = await queue(`L1?limit=${limit}`);

      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(Math.min(limit, 2));
    });

    it.each(['0', '501', 'abc', '-1', '2.5', ''])('refuses limit=%p with 400', async (limit) => {
      const answer = await queue(`L1?limit=${limit}`);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toContain('limit');
    });
  });

  describe('cursor', () => {
    async function walk(path: string, limit: number): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: string = cursor
          ? `${path}&limit=${limit}&cursor=${cursor}`
          : `${path}&limit=${limit}`;
        const answer = await queue(page);
        expect(answer.status).toBe(200);
        expect(answer.body.items.length).toBeLessThanOrEqual(limit);
        ids.push(...answer.body.items.map((item: { ticketId: string }) => item.ticketId));
        cursor = answer.body.nextCursor;
        pages += 1;
      } while (cursor !== null && pages < 100);
      return { ids, pages };
    }

    /** 13 tickets, several opened at the same instant so ties are broken by the later keys. */
    async function crowdedQueue(): Promise<void> {
      const priorities = ['urgent', 'high', 'medium', 'low'] as const;
      for (let i = 0; i < 13; i += 1) {
        await open(
          {
            priority: priorities[i % 4],
            customer: { id: `c${i}`, tier: i % 3 === 0 ? 'vip' : 'standard' },
          },
          `2026-04-01T09:0${i % 2}:00.000Z`,
        );
      }
    }

    it('walks the whole queue page by page, without gaps or repeats', async () => {
      await crowdedQueue();
      const whole = await idsIn('L1?limit=500');

      const walked = await walk('L1?', 5);

      expect(walked).toEqual({ ids: whole, pages: 3 });
    });

    it('walks a filtered queue with the same filters on every page', async () => {
      await crowdedQueue();
      const whole = await idsIn('L1?assigned=false&status=open&limit=500');

      const walked = await walk('L1?assigned=false&status=open', 2);

      expect(walked.ids).toEqual(whole);
    });

    it('stops once the last ticket has been served', async () => {
      for (let i = 0; i < 4; i += 1) await open();

      const walked = await walk('L1?', 2);

      expect(walked.ids).toHaveLength(4);
      expect(walked.pages).toBeLessThanOrEqual(3);
    });

    it('goes on after the cursor’s ticket has left the queue', async () => {
      const first = await open({}, '2026-04-01T08:00:00.000Z');
      const second = await open({}, '2026-04-01T08:01:00.000Z');
      const third = await open({}, '2026-04-01T08:02:00.000Z');
      const page = (await queue('L1?limit=1')).body;
      expect(page.items[0].ticketId).toBe(first);

      await act(first, 'resolve');
      const next = await queue(`L1?limit=1&cursor=${page.nextCursor}`);

      const after = await queue(`L1?limit=1&cursor=${next.body.nextCursor}`);

      expect(next.body.items.map((item: { ticketId: string }) => item.ticketId)).toEqual([second]);
      expect(after.body.items.map((item: { ticketId: string }) => item.ticketId)).toEqual([third]);
    });

    it.each([
      ['not base64url', 'not a cursor!'],
      ['garbled', 'abc'],
      [
        'well-formed JSON that this API did not issue',
        Buffer.from('{"a":1}').toString('base64url'),
      ],
      [
        'forged key',
        Buffer.from(
          JSON.stringify({ f: ['L1', null, null, null], k: ['urgent', false, 'yesterday', 'x'] }),
        ).toString('base64url'),
      ],
      [
        'well-formed but unsigned',
        Buffer.from(
          JSON.stringify({
            f: ['L1', null, null, null],
            k: ['urgent', false, '2026-01-05T09:00:00.000Z', 'x'],
          }),
        ).toString('base64url'),
      ],
      ['signed with a guessed key', `${Buffer.from('{}').toString('base64url')}.${'A'.repeat(22)}`],
    ])('refuses a %s cursor with 400', async (_kind, cursor) => {
      const answer = await queue(`L1?cursor=${encodeURIComponent(cursor)}`);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['cursor']);
    });

    it.each([
      ['other filters', 'L1?status=open'],
      ['another tier', 'L2?'],
      ['a filter dropped', 'L1?'],
    ])('refuses a cursor reused with %s with 400', async (_change, reuse) => {
      await open();
      await open();
      const { nextCursor } = (await queue('L1?priority=medium&limit=1')).body;
      expect(nextCursor).toEqual(expect.any(String));

      const answer = await queue(`${reuse}&cursor=${nextCursor}`);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['cursor']);
    });
  });

  describe('after', () => {
    it('refuses a position that is not one with 400', async () => {
      const answer = await api.request('GET', '/v1/queues/L1?after=soon');

      expect(fieldsOf(answer)).toEqual(['after']);
    });
  });
});

import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { accepted, openTicket, type OpenTicketBody } from './support/tickets';

const day = (n: number) => `2026-03-0${n}T09:00:00.000Z`;

describe('GET /v1/tickets', () => {
  const clock = new TestClock(day(1));
  let api: TestApp;
  let last = '0';
  const opened: Record<string, string> = {};

  async function open(name: string, at: string, body: OpenTicketBody): Promise<string> {
    clock.set(at);
    const answer = await openTicket(api, body);
    last = answer.position;
    opened[name] = answer.ticketId;
    return answer.ticketId;
  }

  async function search(query: string) {
    return api.request('GET', `/v1/tickets?${query}&after=${last}`);
  }

  async function found(query: string): Promise<string[]> {
    const answer = await search(query);
    expect(answer.status).toBe(200);
    return answer.body.items.map((item: { ticketId: string }) => item.ticketId);
  }

  const names = (...which: string[]) => which.map((name) => opened[name]);

  /** Five tickets over five days; every filter below singles out a known few. */
  beforeAll(async () => {
    api = await startApi({ clock });
    await open('a', day(1), { category: 'billing', channel: 'email', priority: 'low' });
    const b = await open('b', day(2), {
      category: 'billing',
      channel: 'chat',
      customer: { id: 'acme' },
    });
    last = (await accepted(api, b, 'assign', { agentId: 'ana' })).position;
    const c = await open('c', day(3), { category: 'access', channel: 'email', priority: 'urgent' });
    last = (await accepted(api, c, 'escalate', { reason: 'complexity', note: 'Tried' })).position;
    const d = await open('d', day(4), { category: 'access', channel: 'phone' });
    last = (await accepted(api, d, 'resolve')).position;
    await open('e', day(5), { category: 'billing', channel: 'web', customer: { id: 'acme' } });
  });
  afterAll(() => api.close());

  it('lists every ticket, newest opened first, as ticket views', async () => {
    const answer = await search('');

    expect(answer.status).toBe(200);
    expect(answer.body.items.map((item: { ticketId: string }) => item.ticketId)).toEqual(
      names('e', 'd', 'c', 'b', 'a'),
    );
    expect(answer.body.items[3]).toMatchObject({ assigneeId: 'ana', customer: { id: 'acme' } });
    expect(answer.body.nextCursor).toBeNull();
  });

  it.each([
    ['tier=L2', ['c']],
    ['status=resolved', ['d']],
    ['priority=urgent', ['c']],
    ['category=billing', ['e', 'b', 'a']],
    ['channel=email', ['c', 'a']],
    ['assigneeId=ana', ['b']],
    ['customerId=acme', ['e', 'b']],
    ['escalated=true', ['c']],
    ['escalated=false', ['e', 'd', 'b', 'a']],
    [`openedFrom=${day(4)}`, ['e', 'd']],
    [`openedTo=${day(2)}`, ['a']],
    [`category=billing&openedFrom=2026-03-02&openedTo=2026-03-06`, ['e', 'b']],
  ])('filters: %s', async (query, expected) => {
    expect(await found(query)).toEqual(names(...expected));
  });

  it('pages with a signed cursor, bound to the filters it was issued for', async () => {
    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const answer: any = await search(
        `category=billing&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(answer.status).toBe(200);
      walked.push(...answer.body.items.map((item: { ticketId: string }) => item.ticketId));
      cursor = answer.body.nextCursor;
    } while (cursor !== null && walked.length < 10);

    expect(walked).toEqual(names('e', 'b', 'a'));

    const first = (await search('category=billing&limit=1')).body.nextCursor;
    const reused = await search(`category=access&limit=1&cursor=${first}`);
    expect(errorOf(reused)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(reused)).toEqual(['cursor']);
  });

  it('refuses a cursor of another list, such as a queue’s', async () => {
    const queue = await api.request('GET', `/v1/queues/L1?limit=1&after=${last}`);
    expect(queue.body.nextCursor).toEqual(expect.any(String));

    const answer = await search(`cursor=${queue.body.nextCursor}`);

    expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(answer)).toEqual(['cursor']);
  });

  it.each([
    ['tier', 'tier=L9'],
    ['status', 'status=lost'],
    ['channel', 'channel=fax'],
    ['escalated', 'escalated=yes'],
    ['limit', 'limit=0'],
    ['category', 'category='],
    ['openedFrom', 'openedFrom=yesterday'],
    ['openedTo', `openedFrom=${day(3)}&openedTo=${day(2)}`],
    ['cursor', 'cursor=not-a-cursor'],
    ['colour', 'colour=red'],
  ])('refuses a bad %s with 400 naming it', async (field, query) => {
    const answer = await search(query);

    expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(answer)).toEqual([field]);
  });

  it('is described in the OpenAPI document: its filters, its page and its 400', async () => {
    const document = (await api.request('GET', '/docs/openapi.json')).body;
    const operation = document.paths['/v1/tickets'].get;

    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      expect.arrayContaining(['tier', 'assigneeId', 'openedFrom', 'escalated', 'cursor']),
    );
    expect(operation.responses['200'].content['application/json'].schema.$ref).toMatch(
      /TicketPageDto$/,
    );
    expect(operation.responses['400']).toBeDefined();
  });
});

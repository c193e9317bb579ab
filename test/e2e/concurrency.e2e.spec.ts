import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/test-app';
import { startApi } from './support/e2e-api';
import { command, historyOf, openBody, openTicket } from './support/tickets';

const times = <T>(n: number, make: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => make(i)));

describe('concurrent commands', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it('with the same If-Match: exactly one wins, the others get 412, one event is appended', async () => {
    const { ticketId } = await openTicket(api);

    const answers = await times(10, (i) =>
      command(api, ticketId, 'notes', { body: `Racer ${i}` }, { 'if-match': '"1"' }),
    );

    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, ...Array(9).fill(412)]);
    expect(await historyOf(api, ticketId)).toHaveLength(2);
  });

  it('without If-Match: 100 notes at once are all kept, at versions 2..101 with no gaps', async () => {
    const { ticketId } = await openTicket(api);
    // Opens 100 keep-alive connections first, so that the notes really arrive together.
    await times(100, () => api.request('GET', '/health'));

    const answers = await times(100, (i) => command(api, ticketId, 'notes', { body: `Note ${i}` }));

    expect(answers.map((answer) => answer.status)).toEqual(Array(100).fill(200));
    expect(answers.map((answer) => answer.body.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 100 }, (_, i) => i + 2),
    );
    const events = await historyOf(api, ticketId);
    expect(events.map((event) => event.version)).toEqual(
      Array.from({ length: 101 }, (_, i) => i + 1),
    );
    expect(
      events
        .slice(1)
        .map((event) => event.data.body)
        .sort(),
    ).toEqual(Array.from({ length: 100 }, (_, i) => `Note ${i}`).sort());
  });

  it('retried at once with one Idempotency-Key: one append, the same answer for all', async () => {
    const { ticketId } = await openTicket(api);
    const key = randomUUID();

    const answers = await times(10, () =>
      command(api, ticketId, 'notes', { body: 'Once' }, { 'idempotency-key': key }),
    );

    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((answer) => JSON.stringify(answer.body))).size).toBe(1);
    expect(await historyOf(api, ticketId)).toHaveLength(2);
  });

  it('opening one ticket id at once: one 201, the others 409 TICKET_ALREADY_EXISTS', async () => {
    const body = openBody();

    const answers = await times(8, () => api.request('POST', '/v1/tickets', body));

    const outcomes = answers.map((answer) => answer.body.error?.code ?? answer.status).sort();
    expect(outcomes).toEqual([201, ...Array(7).fill('TICKET_ALREADY_EXISTS')]);
    expect(await historyOf(api, body.ticketId!)).toHaveLength(1);
  });

  it('on many tickets at once: every one is opened, each at its own position', async () => {
    const answers = await times(30, () => api.request('POST', '/v1/tickets', openBody()));

    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(201));
    expect(new Set(answers.map((answer) => answer.body.position)).size).toBe(30);
  });
});

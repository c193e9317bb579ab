import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { agentCredentials } from './support/principals';
import {
  accepted,
  command,
  historyOf,
  openBody,
  openBodyWithoutId,
  openTicket,
} from './support/tickets';

describe('Idempotency-Key', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  const keyed = (key: string) => ({ 'idempotency-key': key });

  it('answers a retried command with the first answer and appends nothing', async () => {
    const { ticketId } = await openTicket(api);
    const key = randomUUID();
    const first = await command(api, ticketId, 'notes', { body: 'Called back' }, keyed(key));

    const retry = await command(api, ticketId, 'notes', { body: 'Called back' }, keyed(key));

    expect(retry.status).toBe(first.status);
    expect(retry.body).toEqual(first.body);
    expect(await historyOf(api, ticketId)).toHaveLength(2);
  });

  it('answers a retried open with the first 201 and opens one ticket', async () => {
    const key = randomUUID();
    const body = openBody();
    const first = await api.request('POST', '/v1/tickets', body, keyed(key));

    const retry = await api.request('POST', '/v1/tickets', body, keyed(key));

    expect(retry).toMatchObject({ status: 201, body: first.body });
    expect(await historyOf(api, body.ticketId!)).toHaveLength(1);
  });

  it('lands a retried open without a ticketId on the same ticket', async () => {
    const key = randomUUID();
    const body = openBodyWithoutId();
    const first = await api.request('POST', '/v1/tickets', body, keyed(key));

    const retry = await api.request('POST', '/v1/tickets', body, keyed(key));

    expect(first.status).toBe(201);
    expect(retry.body.ticketId).toBe(first.body.ticketId);
    expect(await historyOf(api, first.body.ticketId)).toHaveLength(1);
  });

  it('opens different tickets for different keys', async () => {
    const body = openBodyWithoutId();

    const one = await api.request('POST', '/v1/tickets', body, keyed(randomUUID()));
    const other = await api.request('POST', '/v1/tickets', body, keyed(randomUUID()));

    expect(one.body.ticketId).not.toBe(other.body.ticketId);
  });

  it('still answers the first answer after the ticket has moved on', async () => {
    const { ticketId } = await openTicket(api);
    const key = randomUUID();
    const first = await command(api, ticketId, 'assign', { agentId: 'agent-1' }, keyed(key));
    await accepted(api, ticketId, 'assign', { agentId: 'agent-2' });

    const retry = await command(api, ticketId, 'assign', { agentId: 'agent-1' }, keyed(key));

    expect(retry.body).toEqual(first.body);
    expect(await historyOf(api, ticketId)).toHaveLength(3);
  });

  it('treats the same body with its fields in another order as the same request', async () => {
    const { ticketId } = await openTicket(api);
    const key = randomUUID();
    const first = await command(
      api,
      ticketId,
      'escalate',
      { reason: 'complexity', note: 'Tried' },
      keyed(key),
    );

    const retry = await command(
      api,
      ticketId,
      'escalate',
      { note: 'Tried', reason: 'complexity' },
      keyed(key),
    );

    expect(retry.body).toEqual(first.body);
  });

  it('refuses the key with 422 IDEMPOTENCY_KEY_REUSED for another body', async () => {
    const { ticketId } = await openTicket(api);
    const key = randomUUID();
    await command(api, ticketId, 'notes', { body: 'First' }, keyed(key));

    const reused = await command(api, ticketId, 'notes', { body: 'Second' }, keyed(key));

    expect(errorOf(reused)).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await historyOf(api, ticketId)).toHaveLength(2);
  });

  it('takes the same key sent to another route as another key', async () => {
    const { ticketId } = await openTicket(api);
    const key = randomUUID();
    await accepted(api, ticketId, 'notes', { body: 'Same' }, keyed(key));

    const assigned = await command(api, ticketId, 'assign', { agentId: 'agent-1' }, keyed(key));

    expect(assigned.status).toBe(200);
    expect((await historyOf(api, ticketId)).map((event) => event.type)).toEqual([
      'TicketOpened',
      'TicketNoteAdded',
      'TicketAssigned',
    ]);
  });

  it('refuses the key with 422 for the same command on another ticket', async () => {
    const one = await openTicket(api);
    const other = await openTicket(api);
    const key = randomUUID();
    await command(api, one.ticketId, 'notes', { body: 'Same' }, keyed(key));

    const reused = await command(api, other.ticketId, 'notes', { body: 'Same' }, keyed(key));

    expect(errorOf(reused)).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await historyOf(api, other.ticketId)).toHaveLength(1);
  });

  describe('keys of different principals', () => {
    let credentials: Record<string, Record<string, string>>;
    beforeAll(async () => {
      credentials = await agentCredentials(api, ['ana', 'bo']);
    });
    const from = (principal: string, key: string) => ({ ...credentials[principal], ...keyed(key) });

    it('do not collide when they are the same for different requests', async () => {
      const one = await openTicket(api);
      const other = await openTicket(api);
      const key = randomUUID();
      const ana = await command(api, one.ticketId, 'notes', { body: 'Ana' }, from('ana', key));

      const bo = await command(api, other.ticketId, 'notes', { body: 'Bo' }, from('bo', key));

      expect(bo.status).toBe(200);
      expect(await historyOf(api, other.ticketId)).toHaveLength(2);
      const anaAgain = await command(api, one.ticketId, 'notes', { body: 'Ana' }, from('ana', key));
      expect(anaAgain.body).toEqual(ana.body);
    });

    it('do not answer each other, even for the same request', async () => {
      const { ticketId } = await openTicket(api);
      const key = randomUUID();
      const ana = await command(api, ticketId, 'notes', { body: 'Same' }, from('ana', key));

      const bo = await command(api, ticketId, 'notes', { body: 'Same' }, from('bo', key));

      expect(bo.body.version).toBe(ana.body.version + 1);
      expect(await historyOf(api, ticketId)).toHaveLength(3);
    });

    it('do not collide for two keys acting as the same agent', async () => {
      const [second] = Object.values(await agentCredentials(api, ['ana']));
      const one = await openTicket(api);
      const other = await openTicket(api);
      const key = randomUUID();
      await command(api, one.ticketId, 'notes', { body: 'First key' }, from('ana', key));

      const answer = await command(
        api,
        other.ticketId,
        'notes',
        { body: 'Second key' },
        {
          ...second,
          ...keyed(key),
        },
      );

      expect(answer.status).toBe(200);
      expect(await historyOf(api, other.ticketId)).toHaveLength(2);
    });

    it('open different tickets when no ticketId is sent', async () => {
      const key = randomUUID();
      const body = openBodyWithoutId();

      const ana = await api.request('POST', '/v1/tickets', body, from('ana', key));
      const bo = await api.request('POST', '/v1/tickets', body, from('bo', key));

      expect([ana.status, bo.status]).toEqual([201, 201]);
      expect(bo.body.ticketId).not.toBe(ana.body.ticketId);
    });
  });

  it.each([
    ['longer than 200 characters', 'k'.repeat(201)],
    ['with a space', 'two words'],
  ])('refuses a key %s with 400', async (_why, key) => {
    const { ticketId } = await openTicket(api);

    const answer = await command(api, ticketId, 'notes', undefined, keyed(key));

    expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(answer)).toEqual(['idempotency-key']);
  });

  describe('expiry', () => {
    const clock = new TestClock();
    const DAY_MINUTES = 24 * 60;
    let timed: TestApp;
    beforeAll(async () => {
      timed = await startApi({ clock });
    });
    afterAll(() => timed.close());

    /** How many answers the store holds, read from its SQLite table. */
    function storedAnswers(): number {
      const db = new Database(join(timed.dataDir, 'ledger.sqlite'), { readonly: true });
      try {
        const row = db.prepare('SELECT count(*) AS n FROM idempotent_answers').get();
        return (row as { n: number }).n;
      } finally {
        db.close();
      }
    }

    it('remembers a key for 24 hours by default', async () => {
      const { ticketId } = await openTicket(timed);
      const key = randomUUID();
      await accepted(timed, ticketId, 'notes', { body: 'First' }, keyed(key));
      clock.advanceMinutes(DAY_MINUTES - 1);

      const reused = await command(timed, ticketId, 'notes', { body: 'Second' }, keyed(key));

      expect(errorOf(reused)).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('forgets a key once its answer has expired: the request is a new one', async () => {
      const { ticketId } = await openTicket(timed);
      const key = randomUUID();
      const first = await accepted(timed, ticketId, 'notes', { body: 'Same' }, keyed(key));
      clock.advanceMinutes(DAY_MINUTES);

      const again = await command(timed, ticketId, 'notes', { body: 'Same' }, keyed(key));
      const other = await command(timed, ticketId, 'notes', { body: 'Other' }, keyed(key));

      expect(again.body.version).toBe(first.version + 1);
      expect(errorOf(other)).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      expect(await historyOf(timed, ticketId)).toHaveLength(3);
    });

    it('keeps the table bounded: answers are deleted once expired', async () => {
      const { ticketId } = await openTicket(timed);
      const twentyKeyedNotes = () =>
        Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            accepted(timed, ticketId, 'notes', { body: `Note ${i}` }, keyed(randomUUID())),
          ),
        );

      for (let day = 1; day <= 3; day++) {
        clock.advanceMinutes(DAY_MINUTES);
        await twentyKeyedNotes();
        expect(storedAnswers()).toBe(20);
      }
    });
  });
});

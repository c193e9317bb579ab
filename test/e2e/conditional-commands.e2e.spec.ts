import type { TestApp } from '../support/test-app';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import {
  accepted,
  command,
  historyOf,
  openBody,
  openTicket,
  SAMPLE_BODIES,
  TICKET_ACTIONS,
} from './support/tickets';

describe('If-Match', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(() => api.close());

  it.each([
    ['quoted', '"1"'],
    ['bare', '1'],
  ])('applies the command when the %s version matches', async (_form, ifMatch) => {
    const { ticketId } = await openTicket(api);

    const answer = await command(api, ticketId, 'notes', undefined, { 'if-match': ifMatch });

    expect(answer.status).toBe(200);
    expect(answer.body.version).toBe(2);
  });

  it('accepts the ETag of a read as it is', async () => {
    const { ticketId } = await openTicket(api);
    const { position } = await accepted(api, ticketId, 'notes');
    const read = await api.request('GET', `/v1/tickets/${ticketId}?after=${position}`);

    const answer = await command(api, ticketId, 'assign', undefined, {
      'if-match': read.headers.get('etag')!,
    });

    expect(answer.status).toBe(200);
  });

  it('refuses the command with 412 VERSION_MISMATCH when the ticket has moved on, appending nothing', async () => {
    const { ticketId } = await openTicket(api);
    await accepted(api, ticketId, 'notes');

    const answer = await command(api, ticketId, 'notes', undefined, { 'if-match': '"1"' });

    expect(errorOf(answer)).toEqual({ status: 412, code: 'VERSION_MISMATCH' });
    expect(await historyOf(api, ticketId)).toHaveLength(2);
  });

  it('refuses a version ahead of the ticket with 412', async () => {
    const { ticketId } = await openTicket(api);

    const answer = await command(api, ticketId, 'notes', undefined, { 'if-match': '5' });

    expect(errorOf(answer)).toEqual({ status: 412, code: 'VERSION_MISMATCH' });
  });

  it.each(TICKET_ACTIONS)('makes %s conditional', async (action) => {
    const { ticketId } = await openTicket(api);
    await accepted(api, ticketId, 'notes');

    const answer = await command(api, ticketId, action, SAMPLE_BODIES[action], {
      'if-match': '"1"',
    });

    expect(errorOf(answer)).toEqual({ status: 412, code: 'VERSION_MISMATCH' });
  });

  it('makes an open conditional: version 0 opens only a ticket that does not exist yet', async () => {
    const body = openBody();

    const first = await api.request('POST', '/v1/tickets', body, { 'if-match': '0' });
    const second = await api.request('POST', '/v1/tickets', body, { 'if-match': '0' });

    expect(first.status).toBe(201);
    expect(errorOf(second)).toEqual({ status: 412, code: 'VERSION_MISMATCH' });
  });

  it.each(['abc', '"one"', '*', '1.5', '-1', '"1", "2"', ''])(
    'refuses If-Match: %p with 400',
    async (ifMatch) => {
      const { ticketId } = await openTicket(api);

      const answer = await command(api, ticketId, 'notes', undefined, { 'if-match': ifMatch });

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['If-Match']);
    },
  );
});

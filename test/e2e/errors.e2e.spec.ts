import { randomUUID } from 'node:crypto';
import type { TestApp } from '../support/test-app';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { command, openBody, openTicket } from './support/tickets';

const ONE_MIB = 1024 * 1024;

describe('bad requests', () => {
  let api: TestApp;
  let ticketId: string;
  beforeAll(async () => {
    api = await startApi();
    ({ ticketId } = await openTicket(api));
  });
  afterAll(() => api.close());

  describe('bodies', () => {
    it.each([
      ['cut short', '{"subject": "Printer'],
      ['with a trailing comma', '{"subject": "Printer",}'],
      ['in single quotes', "{'subject': 'Printer'}"],
    ])('refuses JSON %s with 400 MALFORMED_JSON', async (_how, text) => {
      const answer = await api.request('POST', '/v1/tickets', text);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'MALFORMED_JSON' });
    });

    it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
      'refuses a %s body with 415',
      async (contentType) => {
        const answer = await api.request('POST', '/v1/tickets', JSON.stringify(openBody()), {
          'content-type': contentType,
        });

        expect(answer.status).toBe(415);
      },
    );

    it('takes application/json with a charset', async () => {
      const answer = await api.request('POST', '/v1/tickets', openBody(), {
        'content-type': 'application/json; charset=utf-8',
      });

      expect(answer.status).toBe(201);
    });

    it('refuses a body over 1 MiB with 413', async () => {
      const body = openBody({ description: 'x'.repeat(ONE_MIB) });

      const answer = await api.request('POST', '/v1/tickets', body);

      expect(answer.status).toBe(413);
    });

    it('reads a body just under 1 MiB, and judges it by its fields', async () => {
      const body = JSON.stringify(openBody({ description: '' }));
      const padded = body.replace(
        '"description":""',
        `"description":"${'x'.repeat(ONE_MIB - body.length)}"`,
      );
      expect(Buffer.byteLength(padded)).toBe(ONE_MIB);

      const answer = await api.request('POST', '/v1/tickets', padded);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['description']);
    });

    it.each([
      ['an array', '[]'],
      ['a string', '"open a ticket"'],
      ['null', 'null'],
      ['a number', '42'],
    ])('refuses %s as a body with 400', async (_what, text) => {
      const answer = await api.request('POST', '/v1/tickets', text);

      expect(answer.status).toBe(400);
    });

    it.each([
      ['arrays', (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`],
      ['objects', (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`],
    ])('refuses a body of deeply nested %s with 400', async (_what, nested) => {
      const body = `{"subject": ${nested(10_000)}, "channel": "email", "category": "c", "customer": {"id": "c"}}`;

      const answer = await api.request('POST', '/v1/tickets', body);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['body']);
    });

    it('refuses a body with __proto__ with 400', async () => {
      const answer = await api.request(
        'POST',
        '/v1/tickets',
        `{"__proto__": {"admin": true}, ${JSON.stringify(openBody()).slice(1)}`,
      );

      expect(answer.status).toBe(400);
    });
  });

  describe('fields', () => {
    it('names an unknown field in the details', async () => {
      const answer = await api.request('POST', '/v1/tickets', { ...openBody(), urgency: 'now' });

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(answer.body.error.details).toEqual([
        { field: 'urgency', message: expect.any(String) },
      ]);
    });

    it('names a nested field by its path', async () => {
      const answer = await api.request('POST', '/v1/tickets', openBody({ customer: {} as never }));

      expect(fieldsOf(answer)).toContain('customer.id');
      expect(fieldsOf(answer).every((field) => field === 'customer.id')).toBe(true);
    });

    it('names an unknown nested field by its path', async () => {
      const answer = await api.request(
        'POST',
        '/v1/tickets',
        openBody({ customer: { id: 'c1', vip: true } as never }),
      );

      expect(fieldsOf(answer)).toEqual(['customer.vip']);
    });

    it('lists every bad field at once', async () => {
      const answer = await api.request('POST', '/v1/tickets', {
        subject: '',
        channel: 'fax',
        customer: { id: 'c1' },
      });

      expect(new Set(fieldsOf(answer))).toEqual(new Set(['subject', 'channel', 'category']));
    });

    it('refuses an unknown field on every command', async () => {
      const answer = await command(api, ticketId, 'notes', { body: 'Hi', pinned: true });

      expect(fieldsOf(answer)).toEqual(['pinned']);
    });

    it('refuses an unknown query parameter', async () => {
      const answer = await api.request('GET', '/v1/queues/L1?sort=newest');

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['sort']);
    });

    it.each([
      ['/v1/queues/L1?limit=1&limit=2', 'limit'],
      ['/v1/queues/L1?status=open&status=pending', 'status'],
      ['/v1/workloads?after=1&after=2', 'after'],
      ['/v1/kpis/escalations?groupBy=day&groupBy=agent', 'groupBy'],
    ])('refuses a repeated query parameter: %s', async (path, field) => {
      const answer = await api.request('GET', path);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toContain(field);
    });
  });

  describe('paths', () => {
    it.each([
      ['a read of', 'GET', `/v1/tickets/${'a'.repeat(101)}`],
      ['the history of', 'GET', `/v1/tickets/${'a'.repeat(5000)}/history`],
      ['a command on', 'POST', `/v1/tickets/${'a'.repeat(101)}/notes`],
    ])(
      '%s an over-long id is a 400 like any id that is not a uuid',
      async (_what, method, path) => {
        const answer = await api.request(
          method,
          path,
          method === 'POST' ? { body: 'Hi' } : undefined,
        );

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(fieldsOf(answer)).toEqual(['id']);
      },
    );

    it('refuses an over-long tier with 400', async () => {
      const answer = await api.request('GET', `/v1/queues/${'L'.repeat(300)}`);

      expect(fieldsOf(answer)).toEqual(['tier']);
    });

    it.each(['/v1/tickets/%E0%A4%A', '/v1/queues/%ZZ'])(
      'refuses %s, which does not decode, with 400',
      async (path) => {
        const answer = await api.request('GET', path);

        expect(answer.status).toBe(400);
      },
    );
  });

  describe('routes', () => {
    it.each([
      ['GET', '/v2/tickets'],
      ['GET', '/v1/ticket'],
      ['DELETE', `/v1/tickets/${randomUUID()}`],
      ['POST', `/v1/tickets/${randomUUID()}/archive`],
      ['GET', '/v1/projections/queues/rebuild'],
    ])('%s %s is 404', async (method, path) => {
      const answer = await api.request(method, path);

      expect(answer.status).toBe(404);
    });
  });

  describe('the error body', () => {
    it.each<[string, () => Promise<any>]>([
      ['a 400', () => api.request('POST', '/v1/tickets', {})],
      ['a 404', () => api.request('GET', `/v1/tickets/${randomUUID()}`)],
      ['a 404 route', () => api.request('GET', '/nowhere')],
      ['a 409', () => api.request('POST', '/v1/tickets', openBody({ ticketId }))],
      ['a 412', () => command(api, ticketId, 'notes', undefined, { 'if-match': '99' })],
      ['a 413', () => api.request('POST', '/v1/tickets', 'x'.repeat(ONE_MIB + 1))],
      ['a 415', () => api.request('POST', '/v1/tickets', '{}', { 'content-type': 'text/csv' })],
    ])('of %s is { error: { code, message, details? } }', async (_which, send) => {
      const answer = await send();

      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.body).toEqual({
        error: {
          code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/),
          message: expect.any(String),
          ...(answer.body.error.details !== undefined && { details: expect.any(Array) }),
        },
      });
    });
  });

  describe('GET /health', () => {
    it('is 200 once the app is ready', async () => {
      const answer = await api.request('GET', '/health');

      expect(answer.status).toBe(200);
    });
  });
});

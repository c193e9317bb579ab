import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { TestApp } from '../support/test-app';
import { bearer } from '../support/credentials';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { openBody, openTicket, SAMPLE_BODIES, TICKET_ACTIONS } from './support/tickets';

/** What a raw connection received until the server closed it, and when it closed. */
interface RawExchange {
  received: string;
  closedAfterMs: number;
}

function portOf(api: TestApp): number {
  return Number(new URL(api.baseUrl).port);
}

function openSocket(api: TestApp): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(api), '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Waits for the server to close the socket, failing after `withinMs`. */
function closedByServer(socket: Socket, withinMs: number): Promise<RawExchange> {
  const started = Date.now();
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString('latin1')));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${withinMs} ms, received: ${received.slice(0, 200)}`));
    }, withinMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ received, closedAfterMs: Date.now() - started });
    });
    // A reset by the server is a close too.
    socket.on('error', () => undefined);
  });
}

/** A request head promising a body of `contentLength` bytes. */
function headOfPost(path: string, contentLength: number): string {
  const headers = {
    host: 'localhost',
    'content-type': 'application/json',
    'content-length': String(contentLength),
    ...bearer(),
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('')}\r\n`;
}

/** `'PATCH /v1/tickets/t-1'` as its method and its path. */
function methodAndPath(route: string): [string, string] {
  const [method, path] = route.split(' ');
  if (method === undefined || path === undefined) throw new Error(`Not a route: ${route}`);
  return [method, path];
}

const SLA_TARGETS = { firstResponseMinutes: 60, resolutionMinutes: 600 };

/** Every route that takes a body, as `METHOD path`, with a body it accepts. */
const BODY_ROUTES: Record<string, Record<string, unknown>> = {
  'POST /v1/tickets': { ...openBody() },
  ...Object.fromEntries(
    TICKET_ACTIONS.map((action) => [
      `POST /v1/tickets/${randomUUID()}/${action}`,
      SAMPLE_BODIES[action],
    ]),
  ),
  'POST /v1/agents': { agentId: 'ana', name: 'Ana', tier: 'L1', capacity: 3 },
  'POST /v1/agents/ana/availability': { availability: 'online' },
  'PUT /v1/sla-policy': {
    targets: { urgent: SLA_TARGETS, high: SLA_TARGETS, medium: SLA_TARGETS, low: SLA_TARGETS },
  },
};

/** Every route that reads a query, through a DTO. */
const QUERY_ROUTES = [
  `/v1/tickets/${randomUUID()}`,
  '/v1/queues/L1',
  '/v1/kpis/escalations',
  '/v1/alerts',
  '/v1/workloads',
  '/v1/agents',
];

/** Names every plain object answers to through its prototype. */
const MEMBER_NAMES = [
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '__defineGetter__',
  'prototype',
];

/** Strings of spaces and characters that show nothing: zero-width ones, joiners, a byte-order mark. */
const INVISIBLE = [
  '\u200b',
  '\u200b\u200c\u200d',
  ' \u2060 ',
  '\ufeff',
  '\u00ad\u200b',
  '\t\u3000',
];

/** Characters that reorder the text around them. */
const BIDI_CONTROLS = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200e',
  '\u200f',
  '\u061c',
];

/** A request whose one field, by its path, holds `value`. */
interface FieldCase {
  route: string;
  field: string;
  body: (value: string) => Record<string, unknown>;
}

function ticketField(field: 'subject' | 'category' | 'description'): FieldCase {
  return { route: 'POST /v1/tickets', field, body: (value) => ({ ...openBody(), [field]: value }) };
}

function customerField(field: 'id' | 'name'): FieldCase {
  return {
    route: 'POST /v1/tickets',
    field: `customer.${field}`,
    body: (value) => ({ ...openBody(), customer: { id: 'cust-1', [field]: value } }),
  };
}

function commandField(action: keyof typeof SAMPLE_BODIES, field: string): FieldCase {
  return {
    route: `POST /v1/tickets/:id/${action}`,
    field,
    body: (value) => ({ ...SAMPLE_BODIES[action], [field]: value }),
  };
}

const AGENT_NAME: FieldCase = {
  route: 'POST /v1/agents',
  field: 'name',
  body: (value) => ({ agentId: 'ana', name: value, tier: 'L1', capacity: 3 }),
};

/** Every field that must not be blank. */
const NOT_BLANK_FIELDS = [
  ticketField('subject'),
  ticketField('category'),
  customerField('id'),
  commandField('assign', 'agentId'),
  commandField('escalate', 'note'),
  commandField('resolve', 'resolution'),
  commandField('notes', 'body'),
  commandField('reopen', 'reason'),
  AGENT_NAME,
];

/** Every field that names or identifies something, where text must read as it is stored. */
const IDENTIFIER_FIELDS = [
  customerField('id'),
  customerField('name'),
  ticketField('category'),
  commandField('assign', 'agentId'),
  commandField('resolve', 'rootCause'),
  AGENT_NAME,
];

/** Free text, where right-to-left writing needs the controls. */
const FREE_TEXT_FIELDS = [
  ticketField('subject'),
  ticketField('description'),
  commandField('notes', 'body'),
  commandField('escalate', 'note'),
  commandField('resolve', 'resolution'),
  commandField('feedback', 'comment'),
];

/** `U+200B U+200C`: characters a test title could not show. */
function codePoints(text: string): string {
  return [...text]
    .map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
    .join(' ');
}

/** Each field with each value, titled by the route, the field and the value's code points. */
function fieldCases(fields: FieldCase[], values: string[]): [string, string, FieldCase, string][] {
  return eachPair(fields, values).map(([fieldCase, value]) => [
    `${fieldCase.route} ${fieldCase.field}`,
    codePoints(value),
    fieldCase,
    value,
  ]);
}

function eachPair<A, B>(as: readonly A[], bs: readonly B[]): [A, B][] {
  return as.flatMap((a) => bs.map((b): [A, B] => [a, b]));
}

describe('the HTTP edge', () => {
  describe('with a request timeout of 500 ms', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startApi({ config: { requestTimeoutMs: 500 } });
    });
    afterAll(() => api.close());

    it('answers 408 to bodies that never finish and closes their sockets within the bound', async () => {
      const sockets = await Promise.all(Array.from({ length: 20 }, () => openSocket(api)));
      const exchanges = sockets.map((socket) => closedByServer(socket, 3000));
      for (const socket of sockets)
        socket.write(`${headOfPost('/v1/tickets', 1024 * 1024)}{"subject"`);

      for (const { received, closedAfterMs } of await Promise.all(exchanges)) {
        expect(received).toMatch(/^HTTP\/1\.1 408 /);
        expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toEqual({
          error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) },
        });
        expect(closedAfterMs).toBeLessThan(2000);
      }
    });

    it('closes a connection whose head never finishes within the bound', async () => {
      const socket = await openSocket(api);
      const exchange = closedByServer(socket, 3000);
      socket.write('POST /v1/tickets HTTP/1.1\r\nhost: localhost\r\n');

      expect((await exchange).received).toMatch(/^HTTP\/1\.1 408 /);
    });

    it('answers 408 to a connection that sends nothing, and closes it within the bound', async () => {
      const socket = await openSocket(api);

      const { received, closedAfterMs } = await closedByServer(socket, 3000);

      expect(received).toMatch(/^HTTP\/1\.1 408 /);
      expect(closedAfterMs).toBeLessThan(2000);
    });

    it('still serves a request sent in time', async () => {
      const answer = await api.request('GET', '/health');

      expect(answer.status).toBe(200);
    });
  });

  describe('with at most 5 connections', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startApi({ config: { maxConnections: 5 } });
    });
    afterAll(() => api.close());

    it('closes connections past the maximum, and takes new ones once some have gone', async () => {
      const held = await Promise.all(Array.from({ length: 5 }, () => openSocket(api)));
      try {
        for (const socket of held) socket.write(headOfPost('/v1/tickets', 100));
        // The server counts a connection once it has accepted it.
        await new Promise((resolve) => setTimeout(resolve, 100));

        const refused = connect(portOf(api), '127.0.0.1');
        const exchange = closedByServer(refused, 2000);
        refused.write('GET /health HTTP/1.1\r\nhost: localhost\r\n\r\n');
        expect((await exchange).received).toBe('');
      } finally {
        for (const socket of held) socket.destroy();
      }

      await new Promise((resolve) => setTimeout(resolve, 100));
      const answer = await api.request('GET', '/health');
      expect(answer.status).toBe(200);
    });
  });

  describe('with the default configuration', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startApi();
    });
    afterAll(() => api.close());

    it.each([
      ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n', 400, 'BAD_REQUEST'],
      [
        'a head over 16 KiB',
        `GET /health HTTP/1.1\r\nhost: localhost\r\nx-padding: ${'p'.repeat(17_000)}\r\n\r\n`,
        431,
        'HEADERS_TOO_LARGE',
      ],
    ])('answers %s in the contract’s error shape', async (_what, bytes, status, code) => {
      const socket = await openSocket(api);
      const exchange = closedByServer(socket, 3000);
      socket.write(bytes);

      const { received } = await exchange;
      expect(received.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
      expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toEqual({
        error: { code, message: expect.any(String) },
      });
    });

    describe('error messages', () => {
      const LONG = 'q'.repeat(15_000);
      /** How much of LONG an error may repeat: 64 characters and an ellipsis. */
      const SHOWN = `${'q'.repeat(64)}…`;

      function expectShortEcho(body: unknown): void {
        const text = JSON.stringify(body);
        expect(text).toContain(SHOWN);
        expect(text).not.toContain('q'.repeat(65));
      }

      it('repeat at most 64 characters of a projection name', async () => {
        const answer = await api.request('POST', `/v1/projections/${LONG}/rebuild`);

        expect(errorOf(answer)).toEqual({ status: 404, code: 'PROJECTION_NOT_FOUND' });
        expectShortEcho(answer.body);
      });

      it('repeat at most 64 characters of an unknown field name', async () => {
        const answer = await api.request('POST', '/v1/tickets', { ...openBody(), [LONG]: 1 });

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expectShortEcho(answer.body);
      });

      it('repeat at most 64 characters of an unknown query parameter', async () => {
        const answer = await api.request('GET', `/v1/queues/L1?${LONG}=1`);

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expectShortEcho(answer.body);
      });

      it('repeat at most 64 characters of a path no route answers', async () => {
        const answer = await api.request('GET', `/v1/${LONG}`);

        expect(answer.status).toBe(404);
        expect(JSON.stringify(answer.body)).not.toContain('q'.repeat(65));
      });

      it('repeat at most 64 characters of a time zone', async () => {
        const timeZone = 'q'.repeat(100);
        const targets = { firstResponseMinutes: 60, resolutionMinutes: 600 };
        const answer = await api.request('PUT', '/v1/sla-policy', {
          targets: { urgent: targets, high: targets, medium: targets, low: targets },
          calendar: { timeZone, hours: [{ day: 1, opens: '09:00', closes: '17:00' }] },
        });

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expectShortEcho(answer.body);
      });

      it('repeat at most 64 characters of an agent id registered twice', async () => {
        const agent = { agentId: 'q'.repeat(100), name: 'Q', tier: 'L1', capacity: 3 };
        expect((await api.request('POST', '/v1/agents', agent)).status).toBe(201);

        const answer = await api.request('POST', '/v1/agents', agent);

        expect(errorOf(answer)).toEqual({ status: 409, code: 'AGENT_ALREADY_EXISTS' });
        expectShortEcho(answer.body);
      });
    });

    describe('fields named like members of every object', () => {
      it.each(eachPair(Object.keys(BODY_ROUTES), MEMBER_NAMES))(
        'refuses %s with a field %s, like any unknown field',
        async (route, name) => {
          const [method, path] = methodAndPath(route);
          const body = `{${JSON.stringify(name)}: 1, ${JSON.stringify(BODY_ROUTES[route]).slice(1)}`;

          const answer = await api.request(method, path, body);

          expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
          expect(fieldsOf(answer)).toEqual([name]);
        },
      );

      it.each(MEMBER_NAMES)('refuses a customer with a field %s', async (name) => {
        const answer = await api.request('POST', '/v1/tickets', {
          ...openBody(),
          customer: { id: 'cust-1', [name]: 'x' },
        });

        expect(fieldsOf(answer)).toEqual([`customer.${name}`]);
      });

      it.each(MEMBER_NAMES)('refuses opening hours with a field %s', async (name) => {
        const targets = SLA_TARGETS;
        const answer = await api.request('PUT', '/v1/sla-policy', {
          targets: { urgent: targets, high: targets, medium: targets, low: targets },
          calendar: {
            timeZone: 'Europe/Paris',
            hours: [{ day: 1, opens: '09:00', closes: '17:00', [name]: 'x' }],
          },
        });

        expect(fieldsOf(answer)).toEqual([`calendar.hours.0.${name}`]);
      });

      it('judges a field holding a member-named key by its own rules', async () => {
        const body = JSON.stringify(openBody()).replace('"Cannot sign in"', '{"constructor": 1}');

        const answer = await api.request('POST', '/v1/tickets', body);

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(new Set(fieldsOf(answer))).toEqual(new Set(['subject']));
      });

      it('names a member-named field beside the other bad fields', async () => {
        const answer = await api.request('POST', '/v1/tickets', {
          ...openBody(),
          subject: '',
          valueOf: 1,
        });

        expect(new Set(fieldsOf(answer))).toEqual(new Set(['subject', 'valueOf']));
      });

      it.each(eachPair(QUERY_ROUTES, MEMBER_NAMES))(
        'refuses GET %s with a query parameter %s',
        async (path, name) => {
          const answer = await api.request('GET', `${path}?${name}=1`);

          expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
          expect(fieldsOf(answer)).toEqual([name]);
        },
      );
    });

    describe('text that shows nothing or reorders itself', () => {
      let ticketId: string;
      beforeAll(async () => {
        ({ ticketId } = await openTicket(api));
      });

      function send({ route, body }: FieldCase, value: string) {
        const [method, path] = methodAndPath(route.replace(':id', ticketId));
        return api.request(method, path, body(value));
      }

      it.each(fieldCases(NOT_BLANK_FIELDS, INVISIBLE))(
        'is blank: %s refuses %s',
        async (_field, _codePoints, fieldCase, value) => {
          const answer = await send(fieldCase, value);

          expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
          expect(new Set(fieldsOf(answer))).toEqual(new Set([fieldCase.field]));
        },
      );

      it.each(fieldCases(IDENTIFIER_FIELDS, BIDI_CONTROLS))(
        'is refused in identifiers: %s refuses %s',
        async (_field, _codePoints, fieldCase, control) => {
          const answer = await send(fieldCase, `ab${control}cd`);

          expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
          expect(fieldsOf(answer)).toEqual([fieldCase.field]);
        },
      );

      describe('in free text, in the order a ticket takes them', () => {
        // A ticket of its own: the refusals above must not have changed it.
        beforeAll(async () => {
          ({ ticketId } = await openTicket(api));
        });

        it.each(
          FREE_TEXT_FIELDS.map(
            (fieldCase) => [`${fieldCase.route} ${fieldCase.field}`, fieldCase] as const,
          ),
        )('is kept: %s', async (_field, fieldCase) => {
          const answer = await send(fieldCase, 'طلب \u202bرقم 42\u202c \u200fok');

          expect(answer.status).toBeLessThan(300);
        });
      });
    });

    describe('integer query parameters', () => {
      it.each([
        ['/v1/queues/L1', '0x10'],
        ['/v1/queues/L1', '1e2'],
        ['/v1/queues/L1', '%20%2010'],
        ['/v1/queues/L1', '10%20'],
        ['/v1/queues/L1', '%2B10'],
        ['/v1/queues/L1', '10.0'],
        ['/v1/queues/L1', '0b11'],
        ['/v1/queues/L1', ''],
        ['/v1/alerts', '0x10'],
        ['/v1/alerts', '1e1'],
        ['/v1/alerts', '%0A5'],
      ])('refuse %s?limit=%s, which is not a plain decimal', async (path, limit) => {
        const answer = await api.request('GET', `${path}?limit=${limit}`);

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(new Set(fieldsOf(answer))).toEqual(new Set(['limit']));
      });

      it.each(['/v1/queues/L1', '/v1/alerts'])('take %s?limit=16', async (path) => {
        const answer = await api.request('GET', `${path}?limit=16`);

        expect(answer.status).toBe(200);
      });
    });

    describe('encoded bodies', () => {
      it('refuse a gzip body with 415 before reading it as JSON', async () => {
        const response = await api.fetch('/v1/tickets', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', ...bearer() },
          body: gzipSync(JSON.stringify(openBody())),
        });

        expect(response.status).toBe(415);
        expect(await response.json()).toEqual({
          error: {
            code: 'UNSUPPORTED_MEDIA_TYPE',
            message: expect.stringMatching(/Content-Encoding/),
          },
        });
      });

      it.each(['gzip', 'deflate', 'br', 'zstd', 'identity, gzip', 'x-anything'])(
        'refuse Content-Encoding: %s with 415',
        async (encoding) => {
          const answer = await api.request('POST', '/v1/tickets', openBody(), {
            'content-encoding': encoding,
          });

          expect(errorOf(answer)).toEqual({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        },
      );

      it.each(['identity', 'Identity'])('take Content-Encoding: %s', async (encoding) => {
        const answer = await api.request('POST', '/v1/tickets', openBody(), {
          'content-encoding': encoding,
        });

        expect(answer.status).toBe(201);
      });
    });
  });
});

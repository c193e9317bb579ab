import { LOGGED_EVENT_TYPES, type Role } from '@ledger/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { loadConfig, type FeedConfig } from '@ledger/runtime';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Feeds } from '../../apps/api/src/feed/feeds';
import { FeedClient } from '../support/feed-client';
import { bearer, type TestApp } from '../support/test-app';
import { testMetadata } from '../support/test-events';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { accepted, historyOf, openTicket } from './support/tickets';
import { nth } from '../support/elements';

const ENVELOPE_KEYS = ['occurredAt', 'position', 'streamId', 'type', 'version'];
const WHOLE_KEYS = [...ENVELOPE_KEYS, 'data', 'metadata'].sort();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function issueKey(api: TestApp, roles: Role[]): Promise<Record<string, string>> {
  const answer = await api.request('POST', '/v1/keys', {
    name: `feed ${roles.join('+')}`,
    roles,
    ...(roles.includes('agent') && { agentId: 'ana' }),
  });
  expect(answer.status).toBe(201);
  return bearer(answer.body.key);
}

/** Appends `count` events of `bytes` of text each, in streams of their own, straight to the log. */
async function appendPadding(events: EventStore, count: number, bytes = 100): Promise<void> {
  for (let done = 0; done < count; done += 50) {
    const batch = Array.from({ length: Math.min(50, count - done) }, () => ({
      type: 'PaddingAppended',
      data: { text: 'x'.repeat(bytes) },
      metadata: testMetadata(),
    }));
    await events.append(`padding-${randomUUID()}`, batch, 'no_stream');
  }
}

/** The log's events after `after`, read page by page. */
async function logAfter(events: EventStore, after: string): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const page = await events.readAll({ after: all.at(-1)?.position ?? after, limit: 500 });
    if (page.length === 0) return all;
    all.push(...page);
  }
}

async function head(events: EventStore): Promise<string> {
  return (await events.headPosition()) ?? events.origin;
}

/** `GET /v1/feed` with the test admin's credential, by fetch: for the answers that are not a stream. */
async function refusal(api: TestApp, path: string, headers: Record<string, string> = {}) {
  const response = await api.fetch(path, { headers: { ...bearer(), ...headers } });
  return {
    status: response.status,
    headers: response.headers,
    body: await response.json(),
  };
}

describe('the live change feed', () => {
  let api: TestApp;
  let events: EventStore;

  beforeAll(async () => {
    api = await startApi();
    events = api.app.get(EVENT_STORE);
  });
  afterAll(() => api.close());

  it('delivers each event appended after connecting within 100 ms, and none from before', async () => {
    await openTicket(api);
    const feed = await FeedClient.open(api.baseUrl);
    const latencies: number[] = [];
    for (let index = 0; index < 20; index++) {
      const { position } = await events.append(
        `padding-${randomUUID()}`,
        [{ type: 'PaddingAppended', data: { index }, metadata: testMetadata() }],
        'no_stream',
      );
      // From the moment the append is durable.
      const started = performance.now();
      await feed.until((client) => client.events.some((message) => message.id === position));
      latencies.push(Math.max(0, feed.events.at(-1)!.receivedAt - started));
    }
    await feed.close();
    expect(feed.events.map((message) => message.data.data.index)).toEqual(
      Array.from({ length: 20 }, (_, index) => index),
    );
    expect(Math.max(...latencies)).toBeLessThan(100);
  });

  it('sends each event whole, as the history shows it, with its position as the message id', async () => {
    const feed = await FeedClient.open(api.baseUrl);
    const { ticketId } = await openTicket(api);
    await accepted(api, ticketId, 'escalate');
    await feed.untilEvents(2);
    await feed.close();
    const history = await historyOf(api, ticketId);
    expect(feed.events.map((message) => message.event)).toEqual([
      'TicketOpened',
      'TicketEscalated',
    ]);
    feed.events.forEach((message, index) => {
      const { type, version, position, occurredAt, data } = history[index];
      expect(message.id).toBe(position);
      expect(Object.keys(message.data).sort()).toEqual(WHOLE_KEYS);
      expect(message.data).toMatchObject({
        type,
        streamId: `ticket-${ticketId}`,
        version,
        position,
        occurredAt,
        data,
      });
      expect(message.data.metadata).toMatchObject({
        eventId: history[index].eventId,
        actor: history[index].actor,
        correlationId: history[index].correlationId,
      });
    });
    expect(feed.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(feed.headers['cache-control']).toBe('no-cache');
    expect(feed.headers['x-accel-buffering']).toBe('no');
  });

  it('resumes after Last-Event-ID under concurrent appends: every event once, in order', async () => {
    const start = await head(events);
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await Promise.all([
          appendPadding(events, 1 + Math.floor(Math.random() * 3)),
          appendPadding(events, 1),
          openTicket(api),
        ]);
      }
    })();
    const received: string[] = [];
    let lastEventId: string | undefined;
    try {
      for (let round = 0; round < 6; round++) {
        // As EventSource reconnects: the same URL, with the last id it saw.
        const feed = await FeedClient.open(
          api.baseUrl,
          `/v1/feed?after=${start}`,
          lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
        );
        await feed.untilEvents(5 + Math.floor(Math.random() * 40));
        await feed.close();
        received.push(...feed.events.map((message) => message.id!));
        lastEventId = feed.lastEventId ?? lastEventId;
      }
    } finally {
      writing = false;
      await writer;
    }
    // One more event, so the last subscriber has something to wait for even if it is at the head.
    const last = await FeedClient.open(api.baseUrl, '/v1/feed', { 'last-event-id': lastEventId! });
    const { position: end } = await openTicket(api);
    await last.until((client) => client.lastEventId === end);
    await last.close();
    received.push(...last.events.map((message) => message.id!));

    const logged = (await logAfter(events, start)).map((event) => event.position);
    expect(logged.length).toBeGreaterThan(50);
    expect(received).toEqual(logged);
  });

  it('starts after ?after= when no Last-Event-ID is sent', async () => {
    const { position } = await openTicket(api);
    const { ticketId } = await openTicket(api);
    const feed = await FeedClient.open(api.baseUrl, `/v1/feed?after=${position}`);
    await feed.untilEvents(1);
    await feed.close();
    expect(nth(feed.events, 0).data).toMatchObject({ streamId: `ticket-${ticketId}`, version: 1 });
  });

  it('delivers what was appended while no feed was open to the next one', async () => {
    const start = await head(events);
    const idle = await FeedClient.open(api.baseUrl);
    await sleep(50);
    await idle.close();
    await sleep(50);
    const { ticketId } = await openTicket(api);
    const next = await FeedClient.open(api.baseUrl, `/v1/feed?after=${start}`);
    await next.untilEvents(1, 1000);
    await next.close();
    expect(nth(next.events, 0).data.streamId).toBe(`ticket-${ticketId}`);
  });

  it('sends only the types asked for', async () => {
    const feed = await FeedClient.open(
      api.baseUrl,
      '/v1/feed?types=TicketEscalated,TicketResolved',
    );
    const first = await openTicket(api);
    await accepted(api, first.ticketId, 'notes');
    await accepted(api, first.ticketId, 'escalate');
    await accepted(api, first.ticketId, 'resolve');
    const second = await openTicket(api);
    await accepted(api, second.ticketId, 'notes');
    await accepted(api, second.ticketId, 'escalate');
    await feed.untilEvents(3);
    await feed.close();
    expect(feed.events.map((message) => [message.event, message.data.streamId])).toEqual([
      ['TicketEscalated', `ticket-${first.ticketId}`],
      ['TicketResolved', `ticket-${first.ticketId}`],
      ['TicketEscalated', `ticket-${second.ticketId}`],
    ]);
  });

  it('refuses unknown types before the stream starts, listing the types the log holds', async () => {
    const unknown = await api.request('GET', '/v1/feed?types=TicketOpened,TicketExploded');
    expect(errorOf(unknown)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(unknown)).toEqual(['types']);
    const message: string = unknown.body.error.details[0].message;
    expect(message).toContain('TicketExploded');
    for (const type of LOGGED_EVENT_TYPES) expect(message).toContain(type);
    expect(message).toContain('CustomerErased');
    const erasures = await api.fetch('/v1/feed?types=CustomerErased', {
      method: 'HEAD',
      headers: bearer(),
    });
    expect(erasures.status).toBe(200);

    expect(errorOf(await api.request('GET', '/v1/feed?types=,'))).toEqual({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it.each([
    ['?after=abc', {}, 'after'],
    ['?after=-1', {}, 'after'],
    ['?after=99999999', {}, 'after'],
    ['', { 'last-event-id': 'not-a-position' }, 'Last-Event-ID'],
    ['?after=1', { 'last-event-id': '99999999' }, 'Last-Event-ID'],
  ])('answers 400 before the stream starts for %s %j', async (query, headers, field) => {
    const answer = await api.request('GET', `/v1/feed${query}`, undefined, headers);
    expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(fieldsOf(answer)).toEqual([field]);
  });

  it('gives an analyst envelopes only, and keys to admins only', async () => {
    const analyst = await issueKey(api, ['analyst']);
    const auditor = await issueKey(api, ['auditor']);
    const feeds = {
      analyst: await FeedClient.open(api.baseUrl, '/v1/feed', analyst),
      auditor: await FeedClient.open(api.baseUrl, '/v1/feed', auditor),
      admin: await FeedClient.open(api.baseUrl, '/v1/feed'),
    };
    await issueKey(api, ['agent']);
    await openTicket(api);
    const shapes: Record<string, string[][]> = {};
    for (const [role, feed] of Object.entries(feeds)) {
      await feed.untilEvents(2);
      await feed.close();
      shapes[role] = feed.events.map((message) => Object.keys(message.data).sort());
      expect(feed.events.map((message) => message.event)).toEqual(['ApiKeyIssued', 'TicketOpened']);
    }
    expect(shapes).toEqual({
      analyst: [ENVELOPE_KEYS, ENVELOPE_KEYS],
      auditor: [ENVELOPE_KEYS, WHOLE_KEYS],
      admin: [WHOLE_KEYS, WHOLE_KEYS],
    });
  });

  it('shows agents whole only to those who read agents, and no key’s hash even to an admin', async () => {
    const auditor = await issueKey(api, ['auditor']);
    const feeds = {
      auditor: await FeedClient.open(api.baseUrl, '/v1/feed', auditor),
      admin: await FeedClient.open(api.baseUrl, '/v1/feed'),
    };
    await api.request('POST', '/v1/agents', {
      agentId: 'feed-agent',
      name: 'Fay',
      tier: 'L1',
      capacity: 2,
    });
    await issueKey(api, ['analyst']);
    await feeds.auditor.untilEvents(2);
    await feeds.admin.untilEvents(2);
    for (const feed of Object.values(feeds)) await feed.close();
    expect(Object.keys(feeds.auditor.events[0]!.data).sort()).toEqual(ENVELOPE_KEYS);
    expect(Object.keys(feeds.admin.events[0]!.data).sort()).toEqual(WHOLE_KEYS);
    expect(JSON.stringify(feeds.admin.events)).not.toContain('secretHash');
    expect(JSON.stringify(feeds.admin.events[1]!.data)).toContain('ApiKeyIssued');
  });

  it('ends for a key revoked while it is open', async () => {
    const issued = await api.request('POST', '/v1/keys', { role: 'auditor', name: 'leaving' });
    const feed = await FeedClient.open(api.baseUrl, '/v1/feed', bearer(issued.body.key));
    await api.request('DELETE', `/v1/keys/${issued.body.keyId}`);
    await openTicket(api);
    await feed.until((client) => client.events.some((message) => message.event === 'unauthorized'));
    await feed.close();
    expect(feed.events.map((message) => message.event)).not.toContain('TicketOpened');
  });

  it('holds at most ten feeds for one credential', async () => {
    const analyst = await issueKey(api, ['analyst']);
    const feeds = [];
    for (let index = 0; index < 10; index++) {
      feeds.push(await FeedClient.open(api.baseUrl, '/v1/feed', analyst));
    }
    const eleventh = await api.request('GET', '/v1/feed', undefined, analyst);
    for (const feed of feeds) await feed.close();
    expect(errorOf(eleventh)).toEqual({ status: 429, code: 'TOO_MANY_FEEDS' });
    expect(eleventh.headers.get('retry-after')).toBe('5');
  });

  it('answers HEAD with its headers only, opening no feed', async () => {
    const response = await api.fetch('/v1/feed', { method: 'HEAD', headers: bearer() });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(api.app.get(Feeds).size).toBe(0);
  });

  it('is described by the OpenAPI document: the stream, its 400, 401, 403, 429 and 503', async () => {
    const document = (await api.request('GET', '/docs/openapi.json')).body;
    const operation = document.paths['/v1/feed'].get;
    expect(Object.keys(operation.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '429',
      '503',
    ]);
    expect(Object.keys(operation.responses['200'].content)).toEqual(['text/event-stream']);
    expect(operation.responses['200'].description).toContain('Last-Event-ID');
    for (const status of ['400', '401', '403', '429', '503']) {
      expect(Object.keys(operation.responses[status].content)).toEqual(['application/json']);
    }
    expect(
      operation.parameters.map((parameter: { name: string }) => parameter.name).sort(),
    ).toEqual(['Last-Event-ID', 'after', 'types']);
  });
});

describe('the live change feed’s bounds', () => {
  const limits: FeedConfig = {
    ...loadConfig({}).feed,
    maxConnections: 3,
    heartbeatMs: 100,
    maxBufferedBytes: 64 * 1024,
    stallTimeoutMs: 500,
  };
  let api: TestApp;
  let events: EventStore;
  let feeds: Feeds;

  beforeAll(async () => {
    api = await startApi({
      config: { projections: 'off', requestTimeoutMs: 300, feed: limits },
    });
    events = api.app.get(EVENT_STORE);
    feeds = api.app.get(Feeds);
  });
  afterAll(() => api.close());

  async function noFeedsOpen(): Promise<void> {
    for (let waited = 0; feeds.size > 0; waited += 10) {
      if (waited > 3000) throw new Error(`${feeds.size} feeds still open`);
      await sleep(10);
    }
  }

  it('sends a keep-alive comment while nothing is appended', async () => {
    const feed = await FeedClient.open(api.baseUrl);
    await feed.until((client) => client.comments.length >= 3, 2000);
    await feed.close();
    expect(feed.comments.slice(0, 3)).toEqual(['keep-alive', 'keep-alive', 'keep-alive']);
    expect(feed.events).toEqual([]);
  });

  it('is not cut by the request timeout, which covers receiving the request only', async () => {
    const feed = await FeedClient.open(api.baseUrl);
    await sleep(1500);
    await appendPadding(events, 1);
    await feed.untilEvents(1);
    await feed.close();
    expect(feed.error).toBeUndefined();
  });

  it('cuts off a client that stops reading, holding no more than the bound for it', async () => {
    await noFeedsOpen();
    const server = api.app.getHttpServer();
    const serverSockets: Socket[] = [];
    const onConnection = (socket: Socket) => serverSockets.push(socket);
    server.on('connection', onConnection);
    const client = await new Promise<Socket>((resolve) => {
      const socket = connect(Number(new URL(api.baseUrl).port), '127.0.0.1', () => resolve(socket));
    });
    let received = '';
    client.on('data', (chunk) => (received += chunk.toString('utf8')));
    const closedByServer = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => undefined);
    client.write(
      `GET /v1/feed HTTP/1.1\r\nhost: localhost\r\nauthorization: ${bearer().authorization}\r\n\r\n`,
    );
    while (!received.includes('\r\n\r\n')) await sleep(5);
    // From here on the client reads nothing.
    client.pause();
    server.off('connection', onConnection);
    const serverSocket = serverSockets.find((socket) => socket.remotePort === client.localPort)!;
    let mostBuffered = 0;
    const sampler = setInterval(() => {
      mostBuffered = Math.max(mostBuffered, serverSocket.writableLength);
    }, 2);
    const eventBytes = 16 * 1024;
    const start = await head(events);
    // More than the socket buffers of both ends can hold.
    await appendPadding(events, 1000, eventBytes);
    const deadline = Date.now() + 5000;
    while (serverSocket.writableLength < limits.maxBufferedBytes && Date.now() < deadline) {
      await sleep(10);
    }
    // The feed waits its stall timeout, then writes the overflow message and ends.
    await sleep(limits.stallTimeoutMs + 300);
    client.resume();
    await closedByServer;
    clearInterval(sampler);

    const messageBytes = eventBytes + 1024;
    expect(mostBuffered).toBeGreaterThanOrEqual(limits.maxBufferedBytes);
    expect(mostBuffered).toBeLessThan(limits.maxBufferedBytes + messageBytes);
    expect(serverSocket.destroyed).toBe(true);
    await noFeedsOpen();

    const body = received.slice(received.indexOf('\r\n\r\n') + 4);
    const overflow = /event: overflow\ndata: (.*)\n\n/.exec(body);
    expect(overflow).not.toBeNull();
    const { after } = JSON.parse(nth(overflow!, 1));
    const ids = [...body.matchAll(/^id: (\d+)$/gm)].map((match) => match[1]);
    expect(ids.at(-1)).toBe(after);
    const logged = (await logAfter(events, start)).map((event) => event.position);
    expect(ids).toEqual(logged.slice(0, ids.length));
    expect(ids.length).toBeLessThan(logged.length);

    // Resuming where the overflow said delivers the rest.
    const resumed = await FeedClient.open(api.baseUrl, `/v1/feed?after=${after}`);
    await resumed.until((feed) => feed.lastEventId === logged.at(-1), 10_000);
    await resumed.close();
    expect([...ids, ...resumed.events.map((message) => message.id)]).toEqual(logged);
  });

  it('serves at most its limit of feeds, answering 503 beyond; a closed feed frees its place', async () => {
    await noFeedsOpen();
    const open = await Promise.all(
      Array.from({ length: limits.maxConnections }, () => FeedClient.open(api.baseUrl)),
    );
    const refused = await refusal(api, '/v1/feed');
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe('FEED_LIMIT_REACHED');
    expect(refused.headers.get('retry-after')).toBe('5');
    // A refused request still gets its 400 first.
    expect((await refusal(api, '/v1/feed?after=x')).status).toBe(400);

    await nth(open, 0).close();
    await sleep(50);
    const another = await FeedClient.open(api.baseUrl);
    await appendPadding(events, 1);
    for (const feed of [another, ...open.slice(1)]) await feed.untilEvents(1);
    await Promise.all([another, ...open.slice(1)].map((feed) => feed.close()));
    await noFeedsOpen();
  });
});

describe('the live change feed when the application closes', () => {
  it('ends every feed, so the close completes', async () => {
    const api = await startApi({ config: { projections: 'off' } });
    const feeds = await Promise.all([FeedClient.open(api.baseUrl), FeedClient.open(api.baseUrl)]);
    const idle = await new Promise<Socket>((resolve) => {
      const socket = connect(Number(new URL(api.baseUrl).port), '127.0.0.1', () => resolve(socket));
    });
    idle.on('error', () => undefined);
    idle.write(
      `GET /v1/feed HTTP/1.1\r\nhost: localhost\r\nauthorization: ${bearer().authorization}\r\n\r\n`,
    );
    idle.pause();
    await sleep(100);
    expect(api.app.get(Feeds).size).toBe(3);

    const started = Date.now();
    await api.close();
    expect(Date.now() - started).toBeLessThan(3000);
    await Promise.all(feeds.map((feed) => feed.ended));
    idle.destroy();
  });
});

describe('the live change feed of a log shared by two processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-e2e-feed-'));
  let writer: TestApp;
  let reader: TestApp;

  beforeAll(async () => {
    writer = await startApi({ dataDir });
    reader = await startApi({ dataDir, config: { projections: 'off' } });
  });
  afterAll(async () => {
    await reader.close({ removeData: false });
    await writer.close({ removeData: false });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers what the other process appends', async () => {
    const feed = await FeedClient.open(reader.baseUrl);
    const started = performance.now();
    const { ticketId } = await openTicket(writer);
    await feed.untilEvents(1);
    await feed.close();
    expect(nth(feed.events, 0).data.streamId).toBe(`ticket-${ticketId}`);
    // The other process's appends are heard by polling the file every 100 ms.
    expect(nth(feed.events, 0).receivedAt - started).toBeLessThan(500);
  });
});

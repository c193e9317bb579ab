import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Api, SignedOut } from '../../apps/dashboard/src/api';
import { watchChanges, type LiveMode } from '../../apps/dashboard/src/live';
import { nth } from '../support/elements';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server speaking the feed's protocol as the brief of GET /v1/feed has it. */
async function serve(feed: Handler) {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(request);
    if (request.url?.startsWith('/v1/feed')) return feed(request, response);
    response.statusCode = 404;
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    requests,
    feedRequests: () => requests.filter((request) => request.url?.startsWith('/v1/feed')),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function watch(origin: string, options: { start?: string; pollMs?: number } = {}) {
  const controller = new AbortController();
  const changes: (string | undefined)[] = [];
  const modes: LiveMode[] = [];
  let signedOut = 0;
  const api = new Api('esl_key', () => signedOut++, origin);
  const done = watchChanges({
    api,
    signal: controller.signal,
    onChanges: (after) => changes.push(after),
    onMode: (mode) => modes.push(mode),
    ...options,
  });
  return { controller, changes, modes, done, signedOut: () => signedOut };
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('The condition did not come true in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('the dashboard’s change feed client', () => {
  it('reads events as they stream, with the credential in a header, and resumes with Last-Event-ID', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      if (server.feedRequests().length === 1) {
        response.write('id: 11\nevent: TicketOpened\ndata: {}\n\n');
        // The second event arrives in pieces, as a network may cut it.
        response.write('id: 12\nevent: Ticket');
        setTimeout(() => response.end('Assigned\ndata: {}\n\n'), 50);
      } else {
        response.write(': still here\n\n');
      }
    });
    const watcher = watch(server.origin, { start: '10' });
    try {
      // The server sees the second request before the client has its answer and says so.
      await until(
        () =>
          watcher.changes.length === 2 &&
          server.feedRequests().length === 2 &&
          watcher.modes.length === 3,
      );

      expect(watcher.changes).toEqual(['11', '12']);
      const requests = server.feedRequests();
      const first = nth(requests, 0);
      const second = nth(requests, 1);
      expect(first.url).toBe('/v1/feed?after=10');
      expect(first.headers.authorization).toBe('Bearer esl_key');
      expect(first.headers.accept).toBe('text/event-stream');
      expect(second.url).toBe('/v1/feed');
      expect(second.headers['last-event-id']).toBe('12');
      expect(server.requests).toHaveLength(2);
      expect(watcher.modes).toEqual(['feed', 'reconnecting', 'feed']);
    } finally {
      watcher.controller.abort();
      await watcher.done;
      await server.close();
    }
  });

  it.each([
    ['absent (404)', 404],
    ['refused to this key (403)', 403],
  ])('polls instead when the feed is %s', async (_, status) => {
    const server = await serve((_request, response) => {
      response.statusCode = status;
      response.end();
    });
    const watcher = watch(server.origin, { pollMs: 30 });
    try {
      await until(() => watcher.changes.length >= 3);

      expect(watcher.modes).toEqual(['polling']);
      expect(watcher.changes.every((after) => after === undefined)).toBe(true);
      // Asked once, straight away: nothing else is read to learn whether the feed exists.
      expect(server.feedRequests()).toHaveLength(1);
      expect(server.requests).toHaveLength(1);
    } finally {
      watcher.controller.abort();
      await watcher.done;
      await server.close();
    }
  });

  it('signs out when the feed refuses the credential', async () => {
    const server = await serve((_request, response) => {
      response.statusCode = 401;
      response.end();
    });
    const watcher = watch(server.origin);
    try {
      await expect(watcher.done).rejects.toBeInstanceOf(SignedOut);
      expect(watcher.signedOut()).toBe(1);
    } finally {
      await server.close();
    }
  });
});

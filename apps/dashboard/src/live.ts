import { SignedOut, withQuery, type Api } from './api';
import { EventStreamParser } from './sse';

/** How the page learns of changes: the change feed, polling, or between connections. */
export type LiveMode = 'feed' | 'polling' | 'reconnecting';

export interface WatchOptions {
  api: Api;
  /** Something changed; `after` is the last log position the feed named, if any. */
  onChanges(after: string | undefined): void;
  onMode(mode: LiveMode): void;
  signal: AbortSignal;
  /** Where the feed starts: changes after this log position. */
  start?: string;
  pollMs?: number;
}

const FEED = '/v1/feed';
const MOST_BACKOFF_MS = 30_000;

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

async function poll(options: WatchOptions): Promise<void> {
  options.onMode('polling');
  while (!options.signal.aborted) {
    await pause(options.pollMs ?? 5_000, options.signal);
    if (!options.signal.aborted) options.onChanges(undefined);
  }
}

/**
 * Follows the change feed (Server-Sent Events) with fetch and a streamed
 * parser: EventSource cannot send an Authorization header. Each event calls
 * `onChanges`; a dropped connection resumes with Last-Event-ID after a pause
 * that grows with each failure. When the feed answers anything but a stream
 * (absent, or refused to this key) it polls instead. Returns once `signal`
 * aborts; a refused credential throws SignedOut from the api.
 */
export async function watchChanges(options: WatchOptions): Promise<void> {
  const { api, signal } = options;
  let lastId: string | undefined;
  let failures = 0;
  while (!signal.aborted) {
    let response: Response;
    try {
      const path = lastId === undefined ? withQuery(FEED, { after: options.start }) : FEED;
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (lastId !== undefined) headers['last-event-id'] = lastId;
      response = await api.fetch(path, headers, signal);
    } catch (error) {
      if (signal.aborted) return;
      if (error instanceof SignedOut) throw error;
      options.onMode('reconnecting');
      await pause(Math.min(MOST_BACKOFF_MS, 1000 * 2 ** failures++), signal);
      continue;
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return poll(options);
    }
    options.onMode('feed');
    failures = 0;
    const parser = new EventStreamParser();
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const newest = parser.push(value).at(-1);
        if (!newest) continue;
        lastId = newest.id ?? lastId;
        options.onChanges(lastId);
      }
    } catch {
      // A dropped connection or an overlong line: connect again below.
      await reader.cancel().catch(() => undefined);
    }
    if (signal.aborted) return;
    options.onMode('reconnecting');
    await pause(Math.min(MOST_BACKOFF_MS, 1000 * 2 ** failures++), signal);
  }
}

import { get, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { withCredential } from './credentials';
import { checkAnswer } from './openapi-conformance';

/** One Server-Sent Events message as the feed sent it: a comment, or fields. */
export interface FeedMessage {
  id?: string;
  event?: string;
  /** The `data:` line, parsed as JSON. */
  data?: any;
  comment?: string;
  /** When the message was parsed, by `performance.now()`. */
  receivedAt: number;
}

function parseMessage(block: string, receivedAt: number): FeedMessage {
  const message: FeedMessage = { receivedAt };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) {
      message.comment = line.slice(1).trim();
      continue;
    }
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') message.data = JSON.parse(value);
    else throw new Error(`Unexpected SSE line: ${line}`);
  }
  return message;
}

function fetchHeaders(headers: IncomingHttpHeaders): Headers {
  const fetched = new Headers();
  for (const [name, value] of Object.entries(headers)) {
    for (const one of [value ?? []].flat()) fetched.append(name, one);
  }
  return fetched;
}

/**
 * A subscriber of `GET /v1/feed` over real HTTP, parsing messages as they
 * arrive. Authenticated as the test admin unless `headers` say otherwise. The
 * answer is checked against the OpenAPI document: the stream's status and
 * headers, a refusal's body too.
 *
 * On node:http with a connection of its own rather than fetch: undici opens a
 * spare connection after an aborted stream, which a closing server then waits for.
 */
export class FeedClient {
  readonly messages: FeedMessage[] = [];
  /** Settles when the server ends the stream or the client closes it. */
  readonly ended: Promise<void>;
  /** Why the stream broke off, when it did not end cleanly (a socket the server dropped). */
  error: unknown;
  private waiters: Array<() => void> = [];
  private finished = false;
  private closing = false;

  private constructor(private readonly response: IncomingMessage) {
    this.ended = this.read().finally(() => {
      this.finished = true;
      this.notify();
    });
  }

  static async open(
    baseUrl: string,
    path = '/v1/feed',
    headers: Record<string, string> = {},
  ): Promise<FeedClient> {
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      get(`${baseUrl}${path}`, { headers: withCredential(headers), agent: false }, resolve).once(
        'error',
        reject,
      );
    });
    const answer = {
      method: 'GET',
      path,
      status: response.statusCode ?? 0,
      headers: fetchHeaders(response.headers),
    };
    if (response.statusCode !== 200) {
      let text = '';
      for await (const chunk of response) text += String(chunk);
      checkAnswer(baseUrl, { ...answer, text });
      throw new Error(`${path} answered ${response.statusCode}: ${text}`);
    }
    try {
      checkAnswer(baseUrl, { ...answer, text: undefined });
    } catch (error) {
      response.destroy();
      throw error;
    }
    return new FeedClient(response);
  }

  get headers(): IncomingHttpHeaders {
    return this.response.headers;
  }

  /** The messages that carry an event, in order. */
  get events(): FeedMessage[] {
    return this.messages.filter((message) => message.event !== undefined);
  }

  get comments(): string[] {
    return this.messages.flatMap((message) => message.comment ?? []);
  }

  /** The id of the last message received with one: what EventSource would send as Last-Event-ID. */
  get lastEventId(): string | undefined {
    const withId = this.messages.filter((message) => message.id !== undefined);
    return withId[withId.length - 1]?.id;
  }

  /** Waits until `done` holds of what was received, failing after `timeoutMs`. */
  async until(done: (client: FeedClient) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this)) {
      if (this.finished) throw new Error(`The feed ended first; received ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`Timed out; received ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until `count` events have arrived. */
  untilEvents(count: number, timeoutMs?: number): Promise<void> {
    return this.until((client) => client.events.length >= count, timeoutMs);
  }

  /** Hangs up, as a browser tab that closes does. */
  async close(): Promise<void> {
    this.closing = true;
    this.response.destroy();
    await this.ended;
  }

  private async read(): Promise<void> {
    let buffered = '';
    this.response.setEncoding('utf8');
    try {
      for await (const chunk of this.response as AsyncIterable<string>) {
        buffered += chunk;
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          this.messages.push(parseMessage(buffered.slice(0, end), performance.now()));
          buffered = buffered.slice(end + 2);
        }
        this.notify();
      }
    } catch (error) {
      if (!this.closing) this.error = error;
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  private describe(): string {
    return `${this.events.length} events, ${this.comments.length} comments`;
  }
}

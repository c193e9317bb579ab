import type { ServerResponse } from 'node:http';
import type { RecordedEvent } from '@ledger/event-store';
import type { BatchReader } from '@ledger/projections';
import type { FeedConfig } from '@ledger/runtime';
import {
  eventMessage,
  KEEP_ALIVE_MESSAGE,
  overflowMessage,
  UNAUTHORIZED_MESSAGE,
  type FeedView,
} from './feed-message';

/** Events read from the log at a time. */
export const FEED_PAGE_SIZE = 200;
/** Node fires a timer longer than this after 1 ms instead; a larger setting waits this long. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
const timerMs = (ms: number) => Math.min(ms, LONGEST_TIMER_MS);

/** How long an ended feed waits for its client to take the last bytes before dropping the socket. */
const END_GRACE_MS = 2000;

export interface LiveFeedOptions {
  /** The position after which the feed starts. */
  after: string;
  /** Only these event types, or all. */
  types?: ReadonlySet<string>;
  viewOf(this: void, event: RecordedEvent): FeedView;
  /** Whether the subscriber's credential still holds: a revoked key or an expired token ends the feed. */
  stillAuthorized(): Promise<boolean>;
  reader: BatchReader;
  limits: Pick<FeedConfig, 'heartbeatMs' | 'maxBufferedBytes' | 'stallTimeoutMs'>;
  onError(error: unknown): void;
}

/**
 * One client's feed: reads the log from its position a page at a time and
 * writes each event as a message, then sleeps until the next append.
 *
 * Nothing is queued for the client but what the socket holds: past
 * `maxBufferedBytes` the feed stops reading and waits for the client to take
 * it, and a client that takes nothing for `stallTimeoutMs` is sent an
 * `overflow` message with the position to resume from and disconnected.
 */
export class LiveFeed {
  private position: string;
  private rung = false;
  /** Ends the wait for the next append. */
  private wake: (() => void) | undefined;
  /** Ends the wait for the client to drain. */
  private abandonDrain: (() => void) | undefined;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | undefined;
  /** Settles once the client's connection is closed. */
  readonly closed: Promise<void>;

  constructor(
    private readonly response: ServerResponse,
    private readonly options: LiveFeedOptions,
  ) {
    this.position = options.after;
    this.closed = new Promise((resolve) => response.once('close', resolve));
    response.once('close', () => this.stop());
    // A write that fails (the client is gone) must not take the process with it.
    response.on('error', () => this.stop());
  }

  start(): void {
    this.heartbeat = setInterval(() => {
      // Bytes still on their way keep the connection busy enough.
      if (this.response.writableLength === 0) this.response.write(KEEP_ALIVE_MESSAGE);
    }, timerMs(this.options.limits.heartbeatMs));
    this.heartbeat.unref();
    void this.follow();
  }

  /** The log has grown. */
  ring(): void {
    this.rung = true;
    this.wake?.();
  }

  /** Ends the feed; the socket goes once the client has the last bytes, or after a grace. */
  end(lastMessage?: string): void {
    this.stop();
    if (this.response.writableEnded || this.response.destroyed) return;
    this.response.end(lastMessage);
    setTimeout(() => this.response.destroy(), END_GRACE_MS).unref();
  }

  private stop(): void {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.wake?.();
    this.abandonDrain?.();
  }

  private async follow(): Promise<void> {
    const { reader, types, viewOf, limits } = this.options;
    try {
      while (!this.stopped) {
        if (!(await this.options.stillAuthorized())) {
          if (!this.stopped) this.end(UNAUTHORIZED_MESSAGE);
          return;
        }
        // Cleared before the read: an append while it runs makes the loop read again.
        this.rung = false;
        const page = await reader.readAll({ after: this.position, limit: FEED_PAGE_SIZE });
        for (const event of page) {
          if (this.stopped) return;
          if (types === undefined || types.has(event.type)) {
            this.response.write(eventMessage(event, viewOf(event)));
          }
          this.position = event.position;
          if (this.response.writableLength >= limits.maxBufferedBytes && !(await this.drained())) {
            if (!this.stopped) this.end(overflowMessage(this.position));
            return;
          }
        }
        // The SQLite log reads synchronously: without a turn between pages, a feed catching up
        // on a long log (or filtering most of it away) would hold the event loop, closes included.
        await new Promise((resolve) => setImmediate(resolve));
        if (page.length < FEED_PAGE_SIZE && !this.rung && !this.stopped) await this.nextAppend();
      }
    } catch (error) {
      if (this.stopped) return;
      this.options.onError(error);
      // The client reconnects with Last-Event-ID and loses nothing.
      this.end();
    }
  }

  private nextAppend(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** Whether the client took what was written within the stall timeout. */
  private drained(): Promise<boolean> {
    if (!this.response.writableNeedDrain) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (drained: boolean) => {
        clearTimeout(timer);
        this.response.off('drain', onDrain);
        this.abandonDrain = undefined;
        resolve(drained);
      };
      const onDrain = () => settle(true);
      const timer = setTimeout(() => settle(false), timerMs(this.options.limits.stallTimeoutMs));
      this.response.on('drain', onDrain);
      this.abandonDrain = () => settle(false);
    });
  }
}

import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { echoed } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { APP_CONFIG, type AppConfig, type FeedConfig } from '@ledger/runtime';
import type { FastifyReply } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { ApiError } from '../http/api-error';
import { Authenticator } from '../identity/authenticator';
import type { Principal } from '../identity/principal';
import { feedViewOf } from './feed-message';
import { LiveFeed } from './live-feed';

export const FEED_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Proxies such as nginx would otherwise hold messages back to fill their buffers.
  'x-accel-buffering': 'no',
  // A feed that ends leaves nothing to reuse: a client reconnects anyway.
  connection: 'close',
};

export interface FeedRequest {
  /** The position to start after. */
  after: string;
  types?: ReadonlySet<string>;
  principal: Principal;
}

/** Feeds one principal may hold open at once, so one key cannot take every slot. */
/** Seconds a client refused a feed is told to wait: a feed closes, or another server takes it, in that time. */
export const FEED_RETRY_AFTER_SECONDS = 5;

export const MAX_FEEDS_PER_PRINCIPAL = 10;

/** Where a feed starts: a position of the log, as `Last-Event-ID` or `?after=` named it. */
export interface StartingPoint {
  position: string | undefined;
  /** Which of the two named it, for the 400. */
  field: string;
}

/** Every open feed of this process: their number, their doorbell, their end. */
@Injectable()
export class Feeds implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Feed');
  private readonly limits: FeedConfig;
  private readonly open = new Set<LiveFeed>();
  private readonly openBy = new Map<string, number>();
  private stopListening: (() => void) | undefined;
  private closing = false;

  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly authenticator: Authenticator,
  ) {
    this.limits = config.feed;
  }

  get size(): number {
    return this.open.size;
  }

  /** The position a feed starts after: the one asked for, or the head of the log. 400 for any other. */
  async startAfter({ position, field }: StartingPoint): Promise<string> {
    const head = (await this.events.headPosition()) ?? this.events.origin;
    if (position === undefined) return head;
    if (!this.events.isValidPosition(position)) {
      throw ApiError.validation([
        { field, message: `${field} must be a position of the log, such as an event's id` },
      ]);
    }
    if (this.events.comparePositions(position, head) > 0) {
      throw ApiError.validation([
        { field, message: `${field} ${echoed(position)} is past the end of the log` },
      ]);
    }
    return position;
  }

  /** Answers the request with a feed, or throws 503 when this process serves as many as it may. */
  follow(reply: FastifyReply, request: FeedRequest): void {
    if (this.closing) {
      throw new ApiError(
        503,
        'SHUTTING_DOWN',
        'The server is shutting down',
        undefined,
        FEED_RETRY_AFTER_SECONDS,
      );
    }
    if (this.open.size >= this.limits.maxConnections) {
      throw new ApiError(
        503,
        'FEED_LIMIT_REACHED',
        `This server serves ${this.limits.maxConnections} feeds at most: retry later`,
        undefined,
        FEED_RETRY_AFTER_SECONDS,
      );
    }
    const principal = request.principal;
    const held = this.openBy.get(principal.id) ?? 0;
    if (held >= MAX_FEEDS_PER_PRINCIPAL) {
      throw new ApiError(
        429,
        'TOO_MANY_FEEDS',
        `One credential holds ${MAX_FEEDS_PER_PRINCIPAL} feeds at most: close one first`,
        undefined,
        FEED_RETRY_AFTER_SECONDS,
      );
    }
    reply.hijack();
    const response = reply.raw;
    // Headers the request's hooks set on the reply go out too: Fastify sends none once hijacked.
    const set = Object.entries(reply.getHeaders()).filter(([, value]) => value !== undefined);
    response.writeHead(200, {
      ...(Object.fromEntries(set) as OutgoingHttpHeaders),
      ...FEED_HEADERS,
    });
    response.flushHeaders();
    const feed = new LiveFeed(response, {
      after: request.after,
      types: request.types,
      viewOf: (event) => feedViewOf(principal.roles, event),
      stillAuthorized: () => this.authenticator.stillValid(principal),
      // Feeds woken by one append read it once between them: the log's
      // newest events are held for its followers (RecentEvents, openStores).
      reader: this.events,
      limits: this.limits,
      onError: (error) =>
        this.logger.warn(
          `A feed stopped: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    this.open.add(feed);
    this.openBy.set(principal.id, held + 1);
    if (this.stopListening === undefined) {
      this.stopListening = this.events.onAppended(() => this.appended());
    }
    void feed.closed.then(() => this.forget(feed, principal.id));
    feed.start();
  }

  /** Ends every feed before the server closes, which would otherwise wait for them. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    const feeds = [...this.open];
    for (const feed of feeds) feed.end();
    await Promise.all(feeds.map((feed) => feed.closed));
  }

  private appended(): void {
    for (const feed of this.open) feed.ring();
  }

  private forget(feed: LiveFeed, principalId: string): void {
    this.open.delete(feed);
    const held = (this.openBy.get(principalId) ?? 1) - 1;
    if (held > 0) this.openBy.set(principalId, held);
    else this.openBy.delete(principalId);
    if (this.open.size === 0) {
      // No doorbell while nobody listens: the SQLite store stops polling its file.
      this.stopListening?.();
      this.stopListening = undefined;
    }
  }
}

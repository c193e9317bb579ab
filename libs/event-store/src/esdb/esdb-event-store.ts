import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  START,
  streamNameFilter,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type JSONType,
  type ReadPosition,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { AppendListeners } from '../append-listeners';
import { SEAL_EVENT_TYPE, SEALS_STREAM, type LedgerSealed } from '../chain/seals';
import {
  chainEvents,
  EMPTY_STREAM,
  linkOf,
  withoutLink,
  type StreamHead,
} from '../chain/stream-chain';
import {
  ConcurrencyConflictError,
  type AppendListener,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../event-store';
import {
  assertExpectedVersion,
  assertReadLimit,
  assertStreamVersion,
  satisfies,
} from '../expected-version';
import { readUntilCaughtUp } from './caught-up-read';
import { EsdbLogChain, StreamHeadCache } from './esdb-chain';
import {
  appendOptions,
  conflictOrRethrow,
  isStreamNotFound,
  revisionAfterVersion,
  serverVersionOf,
  versionOfRevision,
} from './esdb-client-mapping';
import {
  compareEsdbPositions,
  compareLogPositions,
  formatEsdbPosition,
  isValidEsdbPosition,
  parseEsdbPosition,
  type LogPosition,
} from './esdb-position';
import { LogDoorbell } from './log-doorbell';
import { UnsupportedServerError, whyUnsupported } from './server-version';
import type { SubscriptionHandlers, Unsubscribable } from './subscription-handlers';

export interface EsdbEventStoreOptions {
  /**
   * Prepended to every stream name on the server, and the only streams this
   * store reads from `$all`. Empty (the default): every stream but the
   * server's own `$` streams.
   */
  namespace?: string;
  /** First delay before following the log again after the subscription dropped; doubles up to 10 s. */
  resubscribeDelayMs?: number;
}

/** Events read from `$all` per request while looking for the log's own. */
const ALL_PAGE = 500;
/**
 * An append with expected version `any` is chained to the head it read
 * first and sent as expecting that head; when another writer moved the
 * stream in between, it is chained and sent again, up to this many times.
 */
const ANY_APPEND_ATTEMPTS = 5;

/**
 * The event log in EventStoreDB. Stream revisions are mapped to the port's
 * versions (a count of events), `$all` positions to `<commit>/<prepare>`
 * strings, and each event's id is its `metadata.eventId`, so the server
 * recognises a retried append as the same events.
 *
 * The server assigns the log's order, so each stream is chained on its own:
 * every event's metadata carries `chain: { prev, hash }`, and seals in a
 * stream of their own record the streams' heads (`chain`, docs/audit.md).
 * Reads give the metadata without the link, as it was appended.
 */
export class EsdbEventStore implements EventStore {
  private readonly namespace: string;
  private readonly listeners = new AppendListeners();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly doorbell: LogDoorbell;
  private closed = false;
  private readonly heads = new StreamHeadCache();
  readonly origin = formatEsdbPosition({ commit: 0n, prepare: 0n });
  /** The log's hash chain: its seals, and its verification. */
  readonly chain: EsdbLogChain;

  private constructor(
    private readonly client: EventStoreDBClient,
    options: EsdbEventStoreOptions,
  ) {
    this.namespace = options.namespace ?? '';
    this.doorbell = new LogDoorbell({
      newest: async () => (await this.readPage(END, BACKWARDS, 1))[0]?.event?.position,
      subscribe: (from, { event, stopped }) =>
        this.subscribe(from, { event: (resolved) => event(resolved.event?.position), stopped }),
      ring: () => this.listeners.notify(),
      resubscribeDelayMs: options.resubscribeDelayMs ?? 250,
    });
    this.chain = new EsdbLogChain({
      origin: this.origin,
      compare: compareEsdbPositions,
      readLinked: (after, limit) => this.readLinked(after, limit),
      readSeals: () => this.readSeals(),
      newestSeal: () => this.newestSeal(),
      appendSeal: (seal, count) => this.appendSeal(seal, count),
    });
  }

  /** A store over the server at `url` (`esdb://host:2113?tls=false`); throws on a malformed URL. */
  static connect(url: string, options: EsdbEventStoreOptions = {}): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(url), options);
  }

  /**
   * Resolves once the server has said which version it is and answered a
   * read, so a wrong URL fails at start, not at the first command. Throws
   * UnsupportedServerError for a server too old for the log.
   */
  async ping(): Promise<void> {
    const unsupported = whyUnsupported(await serverVersionOf(this.client));
    if (unsupported) throw new UnsupportedServerError(unsupported);
    await this.readPage(END, BACKWARDS, 1);
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    this.assertOpen();
    assertExpectedVersion(expected);
    const write = this.track(this.write(streamId, events, expected));
    const result = await write;
    if (events.length > 0) this.listeners.notify([streamId]);
    return result;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { after = 0, limit } = options;
    assertStreamVersion(after);
    if (limit !== undefined) assertReadLimit(limit);
    // The client sends the count as is, and the server does not document 0 as "none".
    if (limit === 0) return [];
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(this.serverName(streamId), {
        direction: FORWARDS,
        fromRevision: revisionAfterVersion(after),
        ...(limit !== undefined && { maxCount: limit }),
      })) {
        const event = this.toRecorded(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw error;
    }
    const last = events.at(-1);
    const link = last && limit === undefined ? linkOf(last.metadata) : undefined;
    // Read to its end: the next append most likely expects this version.
    if (last && link) this.heads.remember(streamId, { version: last.version, hash: link.hash });
    return events.map(unlinked);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return (await this.readLinked(options.after, options.limit)).map(unlinked);
  }

  /** The log's events with the chain's link in their metadata. */
  private async readLinked(after: string | undefined, limit: number): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertReadLimit(limit);
    const from = after === undefined ? undefined : parseEsdbPosition(after);
    if (limit === 0) return [];
    return this.namespace ? this.readNamespace(from, limit) : this.readAllPages(from, limit);
  }

  async headPosition(): Promise<string | undefined> {
    this.assertOpen();
    return this.namespace ? this.namespaceHead() : this.allHead();
  }

  onAppended(listener: AppendListener): () => void {
    const unsubscribe = this.listeners.add(listener);
    if (!this.closed) this.doorbell.start();
    return unsubscribe;
  }

  comparePositions(a: string, b: string): number {
    return compareEsdbPositions(a, b);
  }

  isValidPosition(position: string): boolean {
    return isValidEsdbPosition(position);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.doorbell.close();
    await Promise.allSettled([...this.inFlight]);
    await this.client.dispose();
  }

  private async write(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    const name = this.serverName(streamId);
    if (events.length === 0) return this.checkHead(streamId, expected);
    for (let attempt = 1; ; attempt++) {
      const after = await this.chainedAfter(streamId, expected);
      const chained = chainEvents(streamId, after, events);
      let result;
      try {
        result = await this.client.appendToStream(
          name,
          chained.events.map((event) =>
            jsonEvent({
              id: event.metadata.eventId,
              type: event.type,
              data: event.data as JSONType,
              metadata: event.metadata as unknown as JSONType,
            }),
          ),
          // Always the version the link was read at, so the link cannot name a stale head.
          appendOptions(after.version),
        );
      } catch (error) {
        const raced = expected === 'any' && error instanceof WrongExpectedVersionError;
        if (raced && attempt < ANY_APPEND_ATTEMPTS) continue;
        conflictOrRethrow(error, streamId, expected);
      }
      if (!result.position) {
        throw new Error('The server did not report the position of the append');
      }
      this.heads.remember(streamId, chained.head);
      return {
        version: versionOfRevision(result.nextExpectedRevision),
        position: formatEsdbPosition(result.position),
      };
    }
  }

  /**
   * The head the append's first event is chained to: the stream's event at
   * the expected version, from the cache when this store knows it, else
   * read; for `any`, the stream's last event.
   */
  private async chainedAfter(streamId: string, expected: ExpectedVersion): Promise<StreamHead> {
    if (expected === 'no_stream' || expected === 0) return EMPTY_STREAM;
    if (expected !== 'any') {
      const known = this.heads.at(streamId, expected);
      if (known) return known;
    }
    const event = await this.readOne(
      streamId,
      expected === 'any'
        ? { direction: BACKWARDS, fromRevision: END }
        : { direction: FORWARDS, fromRevision: revisionAfterVersion(expected - 1) },
    );
    // None: the stream is shorter than expected, and the server will refuse the append.
    if (!event) return expected === 'any' ? EMPTY_STREAM : { ...EMPTY_STREAM, version: expected };
    // An event without a link was written outside the chain; verification names it.
    return { version: event.version, hash: linkOf(event.metadata)?.hash ?? EMPTY_STREAM.hash };
  }

  private async readOne(
    streamId: string,
    from: { direction: typeof FORWARDS | typeof BACKWARDS; fromRevision: bigint | typeof END },
  ): Promise<RecordedEvent | undefined> {
    let found: RecordedEvent | undefined;
    try {
      for await (const resolved of this.client.readStream(this.serverName(streamId), {
        ...from,
        maxCount: 1,
      })) {
        found = this.toRecorded(resolved);
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return found;
  }

  private async *readSeals(): AsyncIterable<LedgerSealed> {
    try {
      for await (const resolved of this.client.readStream(this.serverName(SEALS_STREAM), {
        direction: FORWARDS,
        fromRevision: START,
      })) {
        const seal = sealOf(resolved);
        if (seal) yield seal;
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
  }

  private async newestSeal(): Promise<LedgerSealed | undefined> {
    let newest: LedgerSealed | undefined;
    try {
      for await (const resolved of this.client.readStream(this.serverName(SEALS_STREAM), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        newest = sealOf(resolved);
      }
    } catch (error) {
      if (!isStreamNotFound(error)) throw error;
    }
    return newest;
  }

  private async appendSeal(seal: LedgerSealed, count: number): Promise<boolean> {
    try {
      await this.client.appendToStream(
        this.serverName(SEALS_STREAM),
        jsonEvent({ type: SEAL_EVENT_TYPE, data: seal as unknown as JSONType }),
        { expectedRevision: count === 0 ? NO_STREAM : BigInt(count - 1) },
      );
      return true;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return false;
      throw error;
    }
  }

  /** An empty append writes nothing, but still answers where the stream is and checks the expected version. */
  private async checkHead(streamId: string, expected: ExpectedVersion): Promise<AppendResult> {
    const last = await this.readOne(streamId, { direction: BACKWARDS, fromRevision: END });
    const head = last
      ? { version: last.version, position: last.position }
      : { version: 0, position: this.origin };
    if (!satisfies(expected, head.version)) {
      throw new ConcurrencyConflictError(streamId, expected, head.version);
    }
    return head;
  }

  /**
   * The log's events after `from`, when the log is all of `$all`. A read from
   * `$all` includes the event at its starting position, and the log's own
   * events may be sparse among the server's: read pages, skip what is not
   * after `from`, keep what is ours.
   */
  private async readAllPages(
    after: LogPosition | undefined,
    limit: number,
  ): Promise<RecordedEvent[]> {
    let from = after;
    const events: RecordedEvent[] = [];
    while (events.length < limit) {
      const page = await this.readPage(from ?? START, FORWARDS, ALL_PAGE);
      let moved = false;
      for (const resolved of page) {
        const position = resolved.event?.position;
        if (!position || (from && compareLogPositions(position, from) <= 0)) continue;
        from = position;
        moved = true;
        const event = this.toRecorded(resolved);
        if (event) events.push(event);
        if (events.length === limit) break;
      }
      if (page.length < ALL_PAGE || !moved) break;
    }
    return events;
  }

  /** A namespace's events after `from`, filtered by the server instead of paged through all of `$all`. */
  private async readNamespace(
    from: LogPosition | undefined,
    limit: number,
  ): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    await readUntilCaughtUp<AllStreamResolvedEvent>(
      (handlers) => this.subscribe(from, handlers),
      (resolved) => {
        const event = this.toRecorded(resolved);
        if (event) events.push(event);
        return events.length < limit;
      },
    );
    return events;
  }

  private async allHead(): Promise<string | undefined> {
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readPage(from, BACKWARDS, ALL_PAGE);
      for (const resolved of page) {
        if (this.toRecorded(resolved)) return formatEsdbPosition(resolved.event!.position);
      }
      const oldest = page[page.length - 1]?.event?.position;
      if (page.length < ALL_PAGE || !oldest) return undefined;
      from = oldest;
    }
  }

  /**
   * A namespace's newest event. A subscription only reads forwards, so this
   * goes through the namespace's events from its first; the server skips the
   * rest of `$all`.
   */
  private async namespaceHead(): Promise<string | undefined> {
    let newest: LogPosition | undefined;
    await readUntilCaughtUp<AllStreamResolvedEvent>(
      (handlers) => this.subscribe(undefined, handlers),
      (resolved) => {
        if (this.toRecorded(resolved)) newest = resolved.event!.position;
        return true;
      },
    );
    return newest && formatEsdbPosition(newest);
  }

  private async readPage(
    from: ReadPosition,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount: number,
  ): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition: from, direction, maxCount })) {
      page.push(resolved);
    }
    return page;
  }

  /**
   * The port's event, its metadata with the chain's link, or undefined for an
   * event that is not the log's own (system, other namespace, link, seal).
   */
  private toRecorded(resolved: ResolvedEvent | AllStreamResolvedEvent): RecordedEvent | undefined {
    const event = resolved.event;
    if (!event || !event.isJson) return undefined;
    if (event.streamId.startsWith('$') || event.type.startsWith('$')) return undefined;
    if (!event.streamId.startsWith(this.namespace)) return undefined;
    if (event.streamId === this.serverName(SEALS_STREAM)) return undefined;
    // Always set by the client; ping() refuses the servers whose stream reads leave it a placeholder.
    const position = event.position!;
    return {
      streamId: event.streamId.slice(this.namespace.length),
      version: versionOfRevision(event.revision),
      position: formatEsdbPosition(position),
      type: event.type,
      data: event.data,
      metadata: event.metadata as unknown as EventMetadata,
    };
  }

  private serverName(streamId: string): string {
    return `${this.namespace}${streamId}`;
  }

  /** A catch-up subscription to this store's streams in `$all`. */
  private subscribe(
    from: LogPosition | undefined,
    handlers: SubscriptionHandlers<AllStreamResolvedEvent>,
  ): Unsubscribable {
    const subscription = this.client.subscribeToAll({
      // The origin is before every event: START says so without asking the
      // server to take 0/0 for the position of a record.
      fromPosition: from && (from.commit > 0n || from.prepare > 0n) ? from : START,
      filter: this.namespace
        ? streamNameFilter({ prefixes: [this.namespace] })
        : excludeSystemEvents(),
    });
    subscription.on('data', (resolved: AllStreamResolvedEvent) => handlers.event(resolved));
    subscription.on('caughtUp', () => handlers.caughtUp?.());
    subscription.on('error', (error: Error) => handlers.stopped(error));
    subscription.on('end', () => handlers.stopped());
    return subscription;
  }

  private track<T>(promise: Promise<T>): Promise<T> {
    this.inFlight.add(promise);
    const forget = () => this.inFlight.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The EventStoreDB event store is closed');
  }
}

/** The event as the application appended it: without the chain's link. */
function unlinked(event: RecordedEvent): RecordedEvent {
  return { ...event, metadata: withoutLink(event.metadata) };
}

function sealOf(resolved: ResolvedEvent): LedgerSealed | undefined {
  const event = resolved.event;
  return event?.isJson && event.type === SEAL_EVENT_TYPE
    ? (event.data as unknown as LedgerSealed)
    : undefined;
}

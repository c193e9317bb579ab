import type { LogChain } from './chain/chain-verification';

/** What every stored event carries besides its data. */
export interface EventMetadata {
  eventId: string;
  occurredAt: string;
  /** Who caused the event: the authenticated principal, or `automation`. */
  actor: string;
  /** The roles the actor held when it acted. */
  actorRoles?: string[];
  /** Which part of the automation decided, when `actor` is `automation`. */
  automation?: string;
  correlationId: string;
  causationId: string;
  schemaVersion: number;
  /**
   * The Idempotency-Key of the command that caused the event, if it was sent
   * one, in its scope (who sent it, to which route).
   */
  idempotencyKey?: string;
}

export interface NewEvent<Type extends string = string, Data = unknown> {
  type: Type;
  data: Data;
  metadata: EventMetadata;
}

export interface RecordedEvent<Type extends string = string, Data = unknown> extends NewEvent<
  Type,
  Data
> {
  streamId: string;
  /** The stream's version once this event is in it: 1 for a stream's first event. */
  version: number;
  /** The event's place in the whole log: opaque, compared only by the store that issued it. */
  position: string;
}

/**
 * `no_stream`: the stream must not exist yet; a number: the stream must hold
 * exactly that many events; `any`: no check.
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendResult {
  /** The stream's version after the append. */
  version: number;
  /** The position of the last appended event. */
  position: string;
}

export interface ReadStreamOptions {
  /** Only events after this version (exclusive): 0, the default, reads from the first. */
  after?: number;
  /** At most this many events; all that follow when omitted. */
  limit?: number;
}

export interface ReadAllOptions {
  /** Only events after this position (exclusive); from the start when omitted. */
  after?: string;
  /** At most this many events. */
  limit: number;
}

/** The append log. Streams are named `<category>-<id>`. */
export interface EventStore {
  /** The log's hash chain: the head an auditor keeps, and the check that it holds (docs/audit.md). */
  readonly chain: LogChain;
  /**
   * The position before the first event: what an empty append to a new
   * stream answers, and where a reader that has applied nothing stands.
   */
  readonly origin: string;
  append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult>;
  /**
   * The stream's events in version order, or the part of them `options` asks
   * for; an empty array for a stream that does not exist or past its end.
   */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** The log in position order, from after `options.after`. */
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** The position of the newest event in the log, or undefined for an empty log. */
  headPosition(): Promise<string | undefined>;
  /**
   * Calls `listener` after each durable append, with the streams appended to
   * when this store made the append (undefined when it learned of appends
   * otherwise: another process's, found by polling); returns the unsubscribe
   * function.
   */
  onAppended(listener: AppendListener): () => void;
  /**
   * A mark that differs from the one taken before whenever another process
   * (or connection) may have appended since: what a reader checks before
   * reading again what it read last. Undefined when the store cannot tell
   * cheaply; readers then read.
   */
  foreignWritesMark?(): number | undefined;
  /** Negative, zero or positive, like a sort comparator. Throws InvalidPositionError. */
  comparePositions(a: string, b: string): number;
  /** Whether `position` is a position this store could have issued. */
  isValidPosition(position: string): boolean;
  close(): Promise<void>;
}

export const EVENT_STORE = Symbol('EVENT_STORE');

/** Told of appends: the streams appended to, when known (see `EventStore.onAppended`). */
export type AppendListener = (streams?: readonly string[]) => void;

/** The stream's version was not the expected one. */
export class ConcurrencyConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(`Stream ${streamId} is at version ${actual}, expected ${String(expected)}`);
    this.name = 'ConcurrencyConflictError';
  }
}

export class InvalidPositionError extends Error {
  constructor(readonly position: string) {
    super(`Not a log position: ${position}`);
    this.name = 'InvalidPositionError';
  }
}

import { LRUCache } from 'lru-cache';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';
import type { Decider, Message, StreamPoint } from './stream-kind';

/** What folding a stream takes: its decider without the decisions. */
type Fold<E extends Message, S> = Pick<Decider<never, E, S>, 'initialState' | 'evolve'>;

/** Where a keyed command left the stream, and when. */
export interface KeyedPoint extends StreamPoint {
  occurredAt: string;
}

/** What a command needs of a stream, folded once. */
export interface StreamSnapshot<S> extends StreamPoint {
  state: S;
  /** Per Idempotency-Key in its scope, the last event its command appended. */
  idempotencyKeys: Map<string, KeyedPoint>;
}

/** `origin`: the log's position before its first event, where an empty stream stands. */
export function snapshotOf<E extends Message, S>(
  decider: Fold<E, S>,
  history: readonly RecordedEvent[],
  origin: string,
): StreamSnapshot<S> {
  let state = decider.initialState();
  const idempotencyKeys = new Map<string, KeyedPoint>();
  for (const event of history) {
    state = decider.evolve(state, datedEvent<E>(event));
    const key = event.metadata.idempotencyKey;
    if (key !== undefined) {
      const { version, position } = event;
      idempotencyKeys.set(key, { version, position, occurredAt: event.metadata.occurredAt });
    }
  }
  const last = history[history.length - 1];
  return { state, version: history.length, position: last?.position ?? origin, idempotencyKeys };
}

/** The snapshot once `events`, stamped `occurredAt`, are appended at `appended`. */
export function advance<E extends Message, S>(
  decider: Fold<E, S>,
  snapshot: StreamSnapshot<S>,
  events: readonly E[],
  occurredAt: string,
  appended: StreamPoint,
  key: string | undefined,
): StreamSnapshot<S> {
  const state = events.reduce(
    (current, event) => decider.evolve(current, { ...event, occurredAt }),
    snapshot.state,
  );
  const idempotencyKeys = new Map(snapshot.idempotencyKeys);
  if (key !== undefined) idempotencyKeys.set(key, { ...appended, occurredAt });
  return { state, idempotencyKeys, version: appended.version, position: appended.position };
}

/**
 * The latest snapshot of recently used streams, so a command does not read
 * and fold the whole stream again. It is only ever a guess: every append
 * still checks the stream's version, and a stale snapshot is dropped and
 * reloaded.
 */
export class StreamSnapshots {
  private readonly snapshots: LRUCache<string, StreamSnapshot<unknown>>;

  constructor(capacity = 10_000) {
    this.snapshots = new LRUCache({ max: capacity });
  }

  get<S>(streamId: string): StreamSnapshot<S> | undefined {
    return this.snapshots.get(streamId) as StreamSnapshot<S> | undefined;
  }

  set<S>(streamId: string, snapshot: StreamSnapshot<S>): void {
    this.snapshots.set(streamId, snapshot);
  }

  forget(streamId: string): void {
    this.snapshots.delete(streamId);
  }
}

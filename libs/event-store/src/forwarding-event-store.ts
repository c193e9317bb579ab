import type { LogChain } from './chain/chain-verification';
import type {
  AppendListener,
  AppendResult,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from './event-store';

/**
 * A store that hands every call to the one it wraps: a decorator extends it
 * and overrides only what it changes.
 */
export class ForwardingEventStore implements EventStore {
  constructor(protected readonly inner: EventStore) {}

  get origin(): string {
    return this.inner.origin;
  }

  /** The store at the bottom of every decorator: what the log is kept in. */
  static innermost(store: EventStore): EventStore {
    return store instanceof ForwardingEventStore
      ? ForwardingEventStore.innermost(store.inner)
      : store;
  }

  /** The inner store's chain: computed over the events as that store keeps them. */
  get chain(): LogChain {
    return this.inner.chain;
  }

  append(streamId: string, events: NewEvent[], expected: ExpectedVersion): Promise<AppendResult> {
    return this.inner.append(streamId, events, expected);
  }

  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId, options);
  }

  readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.inner.readAll(options);
  }

  headPosition(): Promise<string | undefined> {
    return this.inner.headPosition();
  }

  onAppended(listener: AppendListener): () => void {
    return this.inner.onAppended(listener);
  }

  foreignWritesMark(): number | undefined {
    return this.inner.foreignWritesMark?.();
  }

  comparePositions(a: string, b: string): number {
    return this.inner.comparePositions(a, b);
  }

  isValidPosition(position: string): boolean {
    return this.inner.isValidPosition(position);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

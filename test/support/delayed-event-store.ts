import {
  ForwardingEventStore,
  type EventStore,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
} from '@ledger/event-store';

/** The reads whose answers a `DelayedEventStore` delays, with what each is called with. */
interface ReadArguments {
  readAll: [options: ReadAllOptions];
  readStream: [streamId: string, options?: ReadStreamOptions];
  headPosition: [];
}

export type DelayedRead = keyof ReadArguments;

/** How many milliseconds the answer to one call of `read` takes to arrive. */
export type ReadDelay = (read: DelayedRead) => number;

/** Answers kept from their callers until the test releases them. */
export interface HeldReads {
  /**
   * Resolves once the store has answered `count` of the held reads: those
   * answers are from before anything appended after.
   */
  answered(count?: number): Promise<void>;
  /** Lets the held answers through, and every later one. */
  release(): void;
}

interface Gate {
  matches(args: unknown[]): boolean;
  answered(): void;
  released: Promise<void>;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A store whose reads are as asynchronous as a networked store's
 * (EventStoreDB's): the store it wraps answers at once, but the answer reaches
 * the caller only after a delay, or once the test releases it, so an append
 * can land in between. Appends and their notifications are not delayed.
 */
export class DelayedEventStore extends ForwardingEventStore {
  private readonly gates = new Map<DelayedRead, Set<Gate>>();

  constructor(
    store: EventStore,
    private readonly delay: ReadDelay = () => 0,
  ) {
    super(store);
  }

  /** Keeps the answers to the calls of `read` that `matches` from their callers until `release()`. */
  hold<R extends DelayedRead>(
    read: R,
    matches: (...args: ReadArguments[R]) => boolean = () => true,
  ): HeldReads {
    let answers = 0;
    let waiters: { count: number; resolve: () => void }[] = [];
    let release!: () => void;
    const gate: Gate = {
      matches: (args) => matches(...(args as ReadArguments[R])),
      answered: () => {
        answers++;
        const ready = waiters.filter((waiter) => waiter.count <= answers);
        waiters = waiters.filter((waiter) => waiter.count > answers);
        for (const waiter of ready) waiter.resolve();
      },
      released: new Promise<void>((resolve) => (release = resolve)),
    };
    const gates = this.gates.get(read) ?? new Set();
    gates.add(gate);
    this.gates.set(read, gates);
    return {
      answered: (count = 1) =>
        count <= answers
          ? Promise.resolve()
          : new Promise((resolve) => waiters.push({ count, resolve })),
      release: () => {
        gates.delete(gate);
        release();
      },
    };
  }

  override readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.arrive('readStream', [streamId, options], this.inner.readStream(streamId, options));
  }

  override readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.arrive('readAll', [options], this.inner.readAll(options));
  }

  override headPosition(): Promise<string | undefined> {
    return this.arrive('headPosition', [], this.inner.headPosition());
  }

  /** The store's answer, failures included, as late as the test asks. */
  private async arrive<R extends DelayedRead, T>(
    read: R,
    args: ReadArguments[R],
    answer: Promise<T>,
  ): Promise<T> {
    try {
      return await answer;
    } finally {
      const holding = [...(this.gates.get(read) ?? [])].filter((gate) => gate.matches(args));
      for (const gate of holding) gate.answered();
      await Promise.all(holding.map((gate) => gate.released));
      await sleep(this.delay(read));
    }
  }
}

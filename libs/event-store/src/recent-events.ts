import type { EventStore, ReadAllOptions, RecordedEvent } from './event-store';
import { ForwardingEventStore } from './forwarding-event-store';

export interface RecentEventsOptions {
  /** Events held at most: the newest are kept. */
  capacity?: number;
  /**
   * Events that end what was held before them: a customer's erasure, after
   * which their earlier events must be read again (as erased), not handed
   * out as they were read before it.
   */
  dropsEarlier?: (event: RecordedEvent) => boolean;
}

const DEFAULT_CAPACITY = 4096;
/** Events an extension asks the log for at least: a stretch far behind the head catches up in few reads. */
const MIN_EXTENSION = 1000;

/**
 * The newest stretch of the log, read once and handed to every reader that
 * follows it: each read model's runner, the automation and the change feed
 * all ask for the events after their own position, a few appends apart, and
 * without this each of them would read, parse and (below) unseal the same
 * events again. A read that starts inside the stretch reads from the log only
 * what it gained since, and gets the events held after its position; one
 * that starts elsewhere goes to the log, and becomes the stretch when it is
 * ahead of it. The answer is always the one the log would give:
 * the stretch is contiguous, from `start` (exclusive) to its last event.
 * Events are shared between readers and must not be mutated.
 */
export class RecentEvents extends ForwardingEventStore {
  private readonly capacity: number;
  private readonly dropsEarlier: (event: RecordedEvent) => boolean;
  /** Whether a stretch is held; it may be empty. */
  private holding = false;
  /** The position the stretch follows; undefined for a stretch from the start of the log. */
  private start: string | undefined;
  private held: RecordedEvent[] = [];
  /** Of each held event's position, its number: its index in `held` plus `dropped`. */
  private numberOf = new Map<string, number>();
  /** Events let go of from the front of `held` since the stretch began. */
  private dropped = 0;
  /** Extensions begun so far, and the one under way, shared by every reader that may join it. */
  private extensions = 0;
  private extending: { number: number; done: Promise<boolean> } | undefined;

  constructor(inner: EventStore, options: RecentEventsOptions = {}) {
    super(inner);
    this.capacity = options.capacity ?? DEFAULT_CAPACITY;
    this.dropsEarlier = options.dropsEarlier ?? (() => false);
  }

  override async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const { after, limit } = options;
    // The log below refuses what it must refuse (a limit that is not a positive integer).
    if (!Number.isInteger(limit) || limit <= 0) return this.inner.readAll(options);
    if (this.offsetAfter(after) === undefined) return this.readElsewhere(options);
    // Whatever is held, the log may have gained since an event that ends it
    // (an erasure, by any process): the stretch is first brought up to the
    // head — for a reader at the head, that is the read it needs anyway. An
    // extension begun before this call may have missed an append made
    // before it, and one that stopped short of the head may have missed the
    // erasure: either way the answer comes from the log itself.
    const reachedHead = await this.extendAfter(this.extensions, limit);
    const from = this.offsetAfter(after);
    if (!reachedHead || from === undefined) return this.readElsewhere(options);
    return this.held.slice(from, from + limit);
  }

  /** Where in `held` the events after `after` begin, or undefined when the stretch does not hold `after`. */
  private offsetAfter(after: string | undefined): number | undefined {
    if (!this.holding) return undefined;
    if (after === this.start) return 0;
    if (after === undefined) return undefined;
    const number = this.numberOf.get(after);
    return number === undefined ? undefined : number - this.dropped + 1;
  }

  /**
   * Waits for an extension begun after the first `begunBefore`, beginning
   * one if none is under way; resolves with whether it reached the head.
   */
  private async extendAfter(begunBefore: number, wanted: number): Promise<boolean> {
    for (;;) {
      const under = this.extending;
      if (under === undefined) return this.beginExtension(wanted);
      if (under.number > begunBefore) return under.done;
      await under.done.catch(() => undefined);
    }
  }

  private beginExtension(wanted: number): Promise<boolean> {
    const number = ++this.extensions;
    const limit = Math.max(wanted, MIN_EXTENSION);
    const done = (async () => {
      try {
        const last = this.held.at(-1)?.position ?? this.start;
        const more = await this.inner.readAll({ after: last, limit });
        this.hold(more);
        return more.length < limit;
      } finally {
        this.extending = undefined;
      }
    })();
    this.extending = { number, done };
    return done;
  }

  private async readElsewhere(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const events = await this.inner.readAll(options);
    const last = this.held.at(-1)?.position ?? this.start;
    const ahead =
      !this.holding ||
      (options.after !== undefined &&
        (last === undefined || this.inner.comparePositions(options.after, last) > 0));
    // Never while an extension is under way: it will hold what follows the stretch it began on.
    if (ahead && this.extending === undefined) {
      this.restartAt(options.after);
      this.hold(events);
    }
    return events;
  }

  private hold(events: RecordedEvent[]): void {
    for (const event of events) {
      if (this.dropsEarlier(event)) this.restartAt(this.held.at(-1)?.position ?? this.start);
      this.numberOf.set(event.position, this.dropped + this.held.length);
      this.held.push(event);
    }
    // Let go of the oldest a quarter at a time, not one batch at a time.
    if (this.held.length > this.capacity * 1.25) {
      const letGo = this.held.length - this.capacity;
      for (const event of this.held.slice(0, letGo)) this.numberOf.delete(event.position);
      this.start = this.held.at(letGo - 1)?.position ?? this.start;
      this.held = this.held.slice(letGo);
      this.dropped += letGo;
    }
  }

  /** Holds nothing from now on but what follows `start`. */
  private restartAt(start: string | undefined): void {
    this.holding = true;
    this.start = start;
    this.held = [];
    this.numberOf = new Map();
    this.dropped = 0;
  }
}

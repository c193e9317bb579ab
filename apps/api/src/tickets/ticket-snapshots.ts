import type { TicketDecider, TicketEvent, TicketState } from '@ledger/domain';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';

/** Where a command left the stream: the version and log position of its last event. */
export interface StreamPoint {
  version: number;
  position: string;
}

/** What a command needs of a ticket's stream, folded once. */
export interface TicketSnapshot extends StreamPoint {
  state: TicketState;
  /** Per Idempotency-Key, the last event its command appended. */
  idempotencyKeys: Map<string, StreamPoint>;
}

/** `origin`: the log's position before its first event, where a ticket with no events stands. */
export function snapshotOf(
  decider: TicketDecider,
  history: readonly RecordedEvent[],
  origin: string,
): TicketSnapshot {
  let state = decider.initialState();
  const idempotencyKeys = new Map<string, StreamPoint>();
  for (const event of history) {
    state = decider.evolve(state, datedEvent<TicketEvent>(event));
    const key = event.metadata.idempotencyKey;
    if (key !== undefined)
      idempotencyKeys.set(key, { version: event.version, position: event.position });
  }
  const last = history[history.length - 1];
  return { state, version: history.length, position: last?.position ?? origin, idempotencyKeys };
}

/**
 * The latest snapshot of recently used tickets, so a command does not read and
 * fold the whole stream again. It is only ever a guess: every append still
 * checks the stream's version, and a stale snapshot is dropped and reloaded.
 */
export class TicketSnapshots {
  private readonly snapshots = new Map<string, TicketSnapshot>();

  constructor(private readonly capacity = 10_000) {}

  get(streamId: string): TicketSnapshot | undefined {
    const snapshot = this.snapshots.get(streamId);
    if (snapshot) {
      // Map order is insertion order: re-inserting marks it most recently used.
      this.snapshots.delete(streamId);
      this.snapshots.set(streamId, snapshot);
    }
    return snapshot;
  }

  set(streamId: string, snapshot: TicketSnapshot): void {
    this.snapshots.delete(streamId);
    this.snapshots.set(streamId, snapshot);
    if (this.snapshots.size > this.capacity) {
      this.snapshots.delete(this.snapshots.keys().next().value!);
    }
  }

  forget(streamId: string): void {
    this.snapshots.delete(streamId);
  }
}

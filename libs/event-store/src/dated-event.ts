import type { RecordedEvent } from './event-store';

/**
 * What a fold needs of a recorded event: its type and data, and the instant
 * it happened; not where the log keeps it. `E` is the event union the
 * caller knows the stream holds.
 */
export function datedEvent<E extends { type: string; data: unknown }>(
  event: RecordedEvent,
): E & { occurredAt: string } {
  return {
    type: event.type,
    data: event.data,
    occurredAt: event.metadata.occurredAt,
  } as E & { occurredAt: string };
}

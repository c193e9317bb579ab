import type { DatedTicketEvent, TicketEvent } from '@ledger/domain';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';

/** One event of a ticket's history as the audit trail shows it: what happened, when, by whom, why. */
export function historyEntry(event: RecordedEvent) {
  return {
    type: event.type,
    version: event.version,
    position: event.position,
    occurredAt: event.metadata.occurredAt,
    actor: event.metadata.actor,
    actorRoles: event.metadata.actorRoles,
    automation: event.metadata.automation,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    eventId: event.metadata.eventId,
    schemaVersion: event.metadata.schemaVersion,
    data: event.data,
  };
}

/** The events of a ticket's history that had happened at `until` (epoch ms), in stream order. */
export function eventsAsOf(history: readonly RecordedEvent[], until: number): RecordedEvent[] {
  const upTo: RecordedEvent[] = [];
  for (const event of history) {
    if (Date.parse(event.metadata.occurredAt) > until) break;
    upTo.push(event);
  }
  return upTo;
}

export function datedTicketEvents(history: readonly RecordedEvent[]): DatedTicketEvent[] {
  return history.map((event) => datedEvent<TicketEvent>(event));
}

import {
  evolve,
  TICKET_EVENT_TYPES,
  TICKET_STREAM_PREFIX,
  type DatedTicketEvent,
  type Ticket,
  type TicketEvent,
} from '@ledger/domain';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';
import type { ProjectionName, ReadModelDocuments } from '@ledger/read-store';

export type RecordedTicketEvent = RecordedEvent & TicketEvent;

/** Which events of the log a read model folds, and which document each one changes. */
export interface EventSource<E extends RecordedEvent> {
  accepts(event: RecordedEvent): event is E;
  /** The id of the document the event changes: one per stream, unless `sharedDocuments`. */
  documentIdOf(event: E): string;
  /**
   * Set when several streams fold into one document (a ticket and its
   * post-mortem): the runner then keys what it holds by document id rather
   * than by stream, and a document begins at `startsDocument` rather than at
   * each stream's first event.
   */
  sharedDocuments?: { startsDocument(event: E): boolean };
}

/**
 * A read model as a fold: one document per stream (a ticket, an agent),
 * changed by each of the stream's events. It knows nothing of where
 * documents are stored.
 */
export interface Projection<
  N extends ProjectionName = ProjectionName,
  E extends RecordedEvent = RecordedTicketEvent,
> {
  name: N;
  /** Raise it when `apply` changes meaning: a stored read model of another version is rebuilt. */
  version: number;
  source: EventSource<E>;
  /** The document after the event; the same object when the event changes nothing; null removes it. */
  apply(this: void, document: ReadModelDocuments[N] | null, event: E): ReadModelDocuments[N] | null;
  /**
   * For read models that hold tickets' personal data: a document of one of
   * an erased customer's tickets, as a fold of its events reads after the
   * erasure. CustomerErased is in a stream of its own, so the runner finds
   * the customer's documents and rewrites each one.
   */
  eraseCustomer?(this: void, document: ReadModelDocuments[N]): ReadModelDocuments[N];
}

const ticketEventTypes = new Set<string>(TICKET_EVENT_TYPES);

/** What an opening says of a ticket that the read models keyed by it start from. */
export function openingFacts(event: RecordedTicketEvent & { type: 'TicketOpened' }) {
  const { ticketId, category, channel, priority, tier } = event.data;
  return { ticketId, openedAt: event.metadata.occurredAt, category, channel, priority, tier };
}

export function isTicketEvent(event: RecordedEvent): event is RecordedTicketEvent {
  return event.streamId.startsWith(TICKET_STREAM_PREFIX) && ticketEventTypes.has(event.type);
}

export function ticketIdOf(event: RecordedEvent): string {
  return event.streamId.slice(TICKET_STREAM_PREFIX.length);
}

export const TICKET_EVENTS: EventSource<RecordedTicketEvent> = {
  accepts: isTicketEvent,
  documentIdOf: ticketIdOf,
};

export function dated(event: RecordedTicketEvent): DatedTicketEvent {
  return datedEvent<TicketEvent>(event);
}

/** The ticket as the domain folds it: the document of both `ticket-view` and `queues`. */
export function evolveTicketDocument(
  ticket: Ticket | null,
  event: RecordedTicketEvent,
): Ticket | null {
  return evolve(ticket, dated(event));
}

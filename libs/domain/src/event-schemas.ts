import type { LoggedEventType } from './logged-events';

/**
 * The schema version every event type is written with today, stored in its
 * metadata. Raised when the stored shape changes; readers upcast the older
 * versions on read (libs/personal-data). Version 2 of the ticket events that
 * hold personal data stores those fields encrypted; so does version 2 of
 * the post-mortem events holding free text.
 */
export const EVENT_SCHEMA_VERSIONS: Readonly<Record<LoggedEventType, number>> = {
  TicketOpened: 2,
  TicketAssigned: 1,
  TicketEscalated: 2,
  TicketResolved: 2,
  FeedbackReceived: 2,
  TicketStatusChanged: 1,
  TicketNoteAdded: 2,
  TicketReopened: 2,
  TicketClosed: 2,
  SlaWarning: 1,
  SlaBreached: 1,
  AgentRegistered: 1,
  AgentAvailabilityChanged: 1,
  ApiKeyIssued: 1,
  ApiKeyRevoked: 1,
  SlaPolicyChanged: 1,
  CustomerErased: 1,
  PostMortemRecorded: 2,
  PostMortemActionPlanned: 2,
  PostMortemActionDone: 1,
  PostMortemActionDropped: 2,
};

/** The version an event of `type` is written with; 1 for a type this table does not know. */
export function schemaVersionOf(type: string): number {
  return (EVENT_SCHEMA_VERSIONS as Record<string, number>)[type] ?? 1;
}

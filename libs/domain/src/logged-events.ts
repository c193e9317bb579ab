import type { AccessEvent } from './access/api-key.events';
import type { AgentEvent } from './agent/agent.events';
import type { CustomerEvent } from './customer/customer.events';
import type { PostMortemEvent } from './post-mortem/post-mortem.events';
import type { SlaPolicyChanged } from './sla/sla-policy.decider';
import type { TicketEvent } from './ticket.events';

/** Every event the log holds, whatever its stream. */
export type LoggedEvent =
  TicketEvent | AgentEvent | SlaPolicyChanged | AccessEvent | PostMortemEvent | CustomerEvent;
export type LoggedEventType = LoggedEvent['type'];

// A record rather than a list: an event added to one of the unions above does
// not compile until it is named here too.
const LOGGED_EVENTS: Record<LoggedEventType, true> = {
  TicketOpened: true,
  TicketAssigned: true,
  TicketEscalated: true,
  TicketResolved: true,
  FeedbackReceived: true,
  TicketStatusChanged: true,
  TicketNoteAdded: true,
  TicketReopened: true,
  TicketClosed: true,
  SlaWarning: true,
  SlaBreached: true,
  AgentRegistered: true,
  AgentAvailabilityChanged: true,
  SlaPolicyChanged: true,
  ApiKeyIssued: true,
  ApiKeyRevoked: true,
  PostMortemRecorded: true,
  PostMortemActionPlanned: true,
  PostMortemActionDone: true,
  PostMortemActionDropped: true,
  CustomerErased: true,
};

export const LOGGED_EVENT_TYPES = Object.keys(LOGGED_EVENTS) as readonly LoggedEventType[];

export function isLoggedEventType(type: string): type is LoggedEventType {
  return Object.hasOwn(LOGGED_EVENTS, type);
}

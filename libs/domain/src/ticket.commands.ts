import type {
  Channel,
  CustomerTier,
  EscalationReason,
  Priority,
  Tier,
  WorkStatus,
} from './ticket.values';

export type OpenTicket = {
  type: 'OpenTicket';
  data: {
    ticketId: string;
    subject: string;
    description?: string;
    channel: Channel;
    customer: { id: string; name?: string; tier?: CustomerTier };
    category: string;
    priority?: Priority;
  };
};

export type AssignTicket = { type: 'AssignTicket'; data: { agentId: string } };

/**
 * The assigner's choice for a ticket it saw waiting, unassigned, in `tier`;
 * it records nothing if the ticket has moved on since.
 */
export type AutoAssignTicket = {
  type: 'AutoAssignTicket';
  data: { agentId: string; tier: Tier };
};

/** The SLA clock's look at a ticket at `now`: records the warnings and breaches due. */
export type CheckSla = { type: 'CheckSla'; data: { now: string } };

export type EscalateTicket = {
  type: 'EscalateTicket';
  data: { toTier?: Tier; reason: EscalationReason; note: string };
};

export type ResolveTicket = {
  type: 'ResolveTicket';
  data: { resolution: string; rootCause?: string; escalationNecessary?: boolean };
};

export type RecordFeedback = { type: 'RecordFeedback'; data: { score: number; comment?: string } };

export type ChangeTicketStatus = { type: 'ChangeTicketStatus'; data: { status: WorkStatus } };

export type AddTicketNote = { type: 'AddTicketNote'; data: { body: string } };

export type ReopenTicket = { type: 'ReopenTicket'; data: { reason: string } };

export type CloseTicket = { type: 'CloseTicket'; data: { reason?: string } };

export type TicketCommand =
  | OpenTicket
  | AssignTicket
  | AutoAssignTicket
  | EscalateTicket
  | ResolveTicket
  | RecordFeedback
  | ChangeTicketStatus
  | AddTicketNote
  | ReopenTicket
  | CloseTicket
  | CheckSla;

export type TicketCommandType = TicketCommand['type'];

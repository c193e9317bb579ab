import type {
  Channel,
  Customer,
  EscalationReason,
  Priority,
  Status,
  Tier,
  WorkStatus,
} from './ticket.values';

/** `explicit`, `keyword:WORD`, `vip` or `default`. */
export type PriorityReason = 'explicit' | 'vip' | 'default' | `keyword:${string}`;

export type TicketOpened = {
  type: 'TicketOpened';
  data: {
    ticketId: string;
    subject: string;
    description: string;
    channel: Channel;
    customer: Customer;
    category: string;
    priority: Priority;
    priorityReason: PriorityReason;
    tier: 'L1';
  };
};

export type TicketAssigned = {
  type: 'TicketAssigned';
  data: { agentId: string; tier: Tier; auto: boolean };
};

export type TicketEscalated = {
  type: 'TicketEscalated';
  data: {
    fromTier: Tier;
    toTier: Tier;
    reason: EscalationReason;
    note: string;
    auto: boolean;
  };
};

export type TicketResolved = {
  type: 'TicketResolved';
  data: {
    resolution: string;
    rootCause?: string;
    resolvedTier: Tier;
    escalationNecessary?: boolean;
  };
};

export type FeedbackReceived = {
  type: 'FeedbackReceived';
  data: { score: number; comment?: string };
};

export type TicketStatusChanged = {
  type: 'TicketStatusChanged';
  data: { from: Status; to: WorkStatus };
};

export type TicketNoteAdded = {
  type: 'TicketNoteAdded';
  data: { body: string };
};

export type TicketReopened = {
  type: 'TicketReopened';
  data: { reason: string };
};

export type TicketClosed = {
  type: 'TicketClosed';
  data: { reason?: string };
};

export type TicketEvent =
  | TicketOpened
  | TicketAssigned
  | TicketEscalated
  | TicketResolved
  | FeedbackReceived
  | TicketStatusChanged
  | TicketNoteAdded
  | TicketReopened
  | TicketClosed;

export type TicketEventType = TicketEvent['type'];

export const TICKET_EVENT_TYPES: readonly TicketEventType[] = [
  'TicketOpened',
  'TicketAssigned',
  'TicketEscalated',
  'TicketResolved',
  'FeedbackReceived',
  'TicketStatusChanged',
  'TicketNoteAdded',
  'TicketReopened',
  'TicketClosed',
];

/** Bumped when an event's data changes shape; stored in every event's metadata. */
export const TICKET_EVENT_SCHEMA_VERSION = 1;

export const TICKET_STREAM_PREFIX = 'ticket-';

export function ticketStreamId(ticketId: string): string {
  return `${TICKET_STREAM_PREFIX}${ticketId}`;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}

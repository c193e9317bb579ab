import type {
  Channel,
  Customer,
  EscalationReason,
  Priority,
  Status,
  Tier,
  WorkStatus,
} from './ticket.values';
import type { SlaTerms } from './sla/sla-policy';
import type { SlaTarget } from './sla/ticket-sla';

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
    /** Absent on tickets opened before SLA policies existed: they are not measured. */
    sla?: SlaTerms;
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

/** A target's warning share has elapsed (by default 80 % of it). */
export type SlaWarning = {
  type: 'SlaWarning';
  data: { target: SlaTarget; warnAt: string; dueAt: string; policyVersion: number };
};

/** A target has passed unmet. */
export type SlaBreached = {
  type: 'SlaBreached';
  data: { target: SlaTarget; dueAt: string; policyVersion: number };
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
  | TicketClosed
  | SlaWarning
  | SlaBreached;

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
  'SlaWarning',
  'SlaBreached',
];

export const TICKET_STREAM_PREFIX = 'ticket-';

export function ticketStreamId(ticketId: string): string {
  return `${TICKET_STREAM_PREFIX}${ticketId}`;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}

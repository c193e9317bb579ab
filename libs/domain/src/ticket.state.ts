import { assertNever, type PriorityReason, type TicketEvent } from './ticket.events';
import type { Channel, Customer, Priority, Status, Tier } from './ticket.values';
import { evolveTicketSla, openSla, type TicketSla } from './sla/ticket-sla';

/** An event with the instant it happened: what folding needs to date the state. */
export type DatedTicketEvent = TicketEvent & { occurredAt: string };

export interface Ticket {
  ticketId: string;
  subject: string;
  description: string;
  channel: Channel;
  customer: Customer;
  category: string;
  priority: Priority;
  priorityReason: PriorityReason;
  status: Status;
  tier: Tier;
  assigneeId: string | null;
  escalationCount: number;
  openedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  csat: number | null;
  /** The SLA it is measured by; null for tickets opened before SLA policies. */
  sla: TicketSla | null;
  /** The latest event other than the SLA clock's own marks: what idleness is measured from. */
  lastActivityAt: string;
  /** When a person last escalated it: the SLA clock does not escalate over them. */
  lastManualEscalationAt: string | null;
  /** Notes added (TicketNoteAdded), reopened or not: what the note limit counts. */
  noteCount: number;
  /** Number of events folded: the stream version. */
  version: number;
}

/** `null` until the ticket is opened. */
export type TicketState = Ticket | null;

export const initialTicketState = (): TicketState => null;

/** Neither resolved nor closed: the ticket is still worked on, and counts in queues and workloads. */
export function isWorkedOn(status: Status): boolean {
  return status !== 'resolved' && status !== 'closed';
}

export function isActive(ticket: Ticket): boolean {
  return isWorkedOn(ticket.status);
}

export function evolve(state: TicketState, event: DatedTicketEvent): TicketState {
  if (event.type === 'TicketOpened') {
    const { ticketId, subject, description, channel, customer, category } = event.data;
    return {
      ticketId,
      subject,
      description,
      channel,
      customer,
      category,
      priority: event.data.priority,
      priorityReason: event.data.priorityReason,
      status: 'open',
      tier: event.data.tier,
      assigneeId: null,
      escalationCount: 0,
      openedAt: event.occurredAt,
      updatedAt: event.occurredAt,
      resolvedAt: null,
      csat: null,
      sla: event.data.sla ? openSla(event.data.sla, event.occurredAt) : null,
      lastActivityAt: event.occurredAt,
      lastManualEscalationAt: null,
      noteCount: 0,
      version: (state?.version ?? 0) + 1,
    };
  }
  if (!state) return state;
  const at = event.occurredAt;
  if (event.type === 'SlaWarning' || event.type === 'SlaBreached') {
    return {
      ...state,
      sla: state.sla && evolveTicketSla(state.sla, event),
      updatedAt: at,
      version: state.version + 1,
    };
  }
  const next = evolveWork(
    { ...state, updatedAt: at, lastActivityAt: at, version: state.version + 1 },
    event,
  );
  return next.sla ? { ...next, sla: evolveTicketSla(next.sla, event) } : next;
}

function evolveWork(
  next: Ticket,
  event: Exclude<DatedTicketEvent, SlaMarkEvent | OpenedEvent>,
): Ticket {
  switch (event.type) {
    case 'TicketAssigned':
      return { ...next, assigneeId: event.data.agentId };
    case 'TicketEscalated':
      return {
        ...next,
        tier: event.data.toTier,
        assigneeId: null,
        status: 'open',
        escalationCount: next.escalationCount + 1,
        lastManualEscalationAt: event.data.auto ? next.lastManualEscalationAt : event.occurredAt,
      };
    case 'TicketResolved':
      return { ...next, status: 'resolved', resolvedAt: event.occurredAt };
    case 'FeedbackReceived':
      return { ...next, csat: event.data.score };
    case 'TicketStatusChanged':
      return { ...next, status: event.data.to };
    case 'TicketNoteAdded':
      return { ...next, noteCount: next.noteCount + 1 };
    case 'TicketReopened':
      return { ...next, status: 'open', resolvedAt: null };
    case 'TicketClosed':
      return { ...next, status: 'closed' };
    default:
      return assertNever(event);
  }
}

type SlaMarkEvent = Extract<DatedTicketEvent, { type: 'SlaWarning' | 'SlaBreached' }>;
type OpenedEvent = Extract<DatedTicketEvent, { type: 'TicketOpened' }>;

export function foldTicket(events: readonly DatedTicketEvent[]): TicketState {
  return events.reduce(evolve, initialTicketState());
}

import { assertNever, type PriorityReason, type TicketEvent } from './ticket.events';
import type { Channel, Customer, Priority, Status, Tier } from './ticket.values';

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
  /** Number of events folded: the stream version. */
  version: number;
}

/** `null` until the ticket is opened. */
export type TicketState = Ticket | null;

export const initialTicketState = (): TicketState => null;

export function isActive(ticket: Ticket): boolean {
  return ticket.status !== 'resolved' && ticket.status !== 'closed';
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
      version: (state?.version ?? 0) + 1,
    };
  }
  if (!state) return state;
  const next: Ticket = { ...state, updatedAt: event.occurredAt, version: state.version + 1 };
  switch (event.type) {
    case 'TicketAssigned':
      return { ...next, assigneeId: event.data.agentId };
    case 'TicketEscalated':
      return {
        ...next,
        tier: event.data.toTier,
        assigneeId: null,
        status: 'open',
        escalationCount: state.escalationCount + 1,
      };
    case 'TicketResolved':
      return { ...next, status: 'resolved', resolvedAt: event.occurredAt };
    case 'FeedbackReceived':
      return { ...next, csat: event.data.score };
    case 'TicketStatusChanged':
      return { ...next, status: event.data.to };
    case 'TicketNoteAdded':
      return next;
    case 'TicketReopened':
      return { ...next, status: 'open', resolvedAt: null };
    case 'TicketClosed':
      return { ...next, status: 'closed' };
    default:
      return assertNever(event);
  }
}

export function foldTicket(events: readonly DatedTicketEvent[]): TicketState {
  return events.reduce(evolve, initialTicketState());
}

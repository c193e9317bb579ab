import type { Ticket } from '@ledger/domain';

/** What clients see of a ticket: the HTTP contract's ticket view. */
export interface TicketView {
  ticketId: string;
  subject: string;
  channel: Ticket['channel'];
  customer: Ticket['customer'];
  category: string;
  priority: Ticket['priority'];
  priorityReason: Ticket['priorityReason'];
  status: Ticket['status'];
  tier: Ticket['tier'];
  assigneeId: string | null;
  escalationCount: number;
  openedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  csat: number | null;
  version: number;
}

export function toTicketView(ticket: Ticket): TicketView {
  return {
    ticketId: ticket.ticketId,
    subject: ticket.subject,
    channel: ticket.channel,
    customer: ticket.customer,
    category: ticket.category,
    priority: ticket.priority,
    priorityReason: ticket.priorityReason,
    status: ticket.status,
    tier: ticket.tier,
    assigneeId: ticket.assigneeId,
    escalationCount: ticket.escalationCount,
    openedAt: ticket.openedAt,
    updatedAt: ticket.updatedAt,
    resolvedAt: ticket.resolvedAt,
    csat: ticket.csat,
    version: ticket.version,
  };
}

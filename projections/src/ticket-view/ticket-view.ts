import type { SlaTargetClock, Ticket, TicketSla } from '@ledger/domain';

/** One SLA target as clients see it: every instant that matters, pending or passed. */
export interface SlaTargetView {
  warnAt: string;
  dueAt: string;
  /** Whether the clock runs now (resolution stops while pending, resolved or closed). */
  running: boolean;
  metAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
}

export interface SlaView {
  policyVersion: number;
  firstResponse: SlaTargetView;
  resolution: SlaTargetView;
}

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
  /** Null when there is no SLA. */
  firstResponseDueAt: string | null;
  /** Null when there is no SLA, or while its clock is stopped (pending, resolved, closed). */
  resolutionDueAt: string | null;
  sla: SlaView | null;
  version: number;
}

function targetView(clock: SlaTargetClock): SlaTargetView {
  return {
    warnAt: clock.warnAt,
    dueAt: clock.dueAt,
    running: clock.runningSince !== null,
    metAt: clock.metAt,
    warnedAt: clock.warnedAt,
    breachedAt: clock.breachedAt,
  };
}

function slaView(sla: TicketSla): SlaView {
  return {
    policyVersion: sla.policyVersion,
    firstResponse: targetView(sla.firstResponse),
    resolution: targetView(sla.resolution),
  };
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
    firstResponseDueAt: ticket.sla?.firstResponse.dueAt ?? null,
    resolutionDueAt:
      ticket.sla?.resolution.runningSince != null ? ticket.sla.resolution.dueAt : null,
    sla: ticket.sla ? slaView(ticket.sla) : null,
    version: ticket.version,
  };
}

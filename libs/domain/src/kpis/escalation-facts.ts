import type { EscalationReason, Priority, Tier } from '../ticket.values';
import type { TicketSla } from '../sla/ticket-sla';

/** One completed or running stay of a ticket in a tier. */
export interface TierStay {
  tier: Tier;
  enteredAt: string;
}

/** The document of `escalation-kpis`: what the KPI table needs to know of one ticket. */
export interface EscalationFacts {
  ticketId: string;
  openedAt: string;
  category: string;
  channel: string;
  priority: Priority;
  tier: Tier;
  firstAssigneeId: string | null;
  /** When it was first assigned: its first response. */
  firstAssignedAt: string | null;
  currentAssigneeId: string | null;
  /** The assignee when the ticket was first escalated (null if unassigned then or never escalated). */
  assigneeAtFirstEscalation: string | null;
  escalationCount: number;
  /** Escalations the SLA clock made; the others were a person's. */
  autoEscalationCount: number;
  firstEscalatedAt: string | null;
  escalationReasons: Partial<Record<EscalationReason, number>>;
  /** Whether the last Resolved-or-Reopened event is a Resolved. */
  resolved: boolean;
  lastResolvedAt: string | null;
  /**
   * The resolution deadline as the SLA clock stood when the ticket was last
   * resolved; null unless resolved under an SLA.
   */
  lastResolutionDueAt: string | null;
  resolvedTier: Tier | null;
  escalationNecessary: boolean | null;
  /** The root cause the last resolution recorded, if it recorded one. */
  rootCause: string | null;
  reopened: boolean;
  closed: boolean;
  feedbackScore: number | null;
  /** Minutes of completed stays, by tier. */
  tierDwellMinutes: Partial<Record<Tier, number>>;
  /** The stay under way, if any: not counted until it ends. */
  currentStay: TierStay | null;
  /** The domain's SLA clocks as the events left them; null for a ticket opened without SLA terms. */
  sla: TicketSla | null;
}

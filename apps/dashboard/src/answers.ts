/**
 * The answers of the API the dashboard reads, as the server's own types say:
 * type-only imports, so nothing of the server is bundled, and a change to an
 * answer's shape fails the dashboard's type-check.
 */
import type { Tier } from '@ledger/domain';
import type { Alert, EscalationKpiGroup, EscalationMetrics, TicketView } from '@ledger/projections';
import type { TierWorkload } from '@ledger/read-store';

export type { Alert, EscalationMetrics, Tier, TicketView, TierWorkload };

export const TIERS = ['L1', 'L2', 'L3', 'MANAGEMENT'] as const satisfies readonly Tier[];

/** GET /v1/kpis/escalations (apps/api/src/kpis/kpis.controller.ts). */
export interface KpiAnswer {
  from: string | null;
  to: string | null;
  groupBy?: string;
  totals: EscalationMetrics;
  groups: EscalationKpiGroup[];
}

/** GET /v1/tickets. */
export interface TicketPage {
  items: TicketView[];
  nextCursor: string | null;
}

/** An event of GET /v1/tickets/:id/history. */
export interface HistoryEvent {
  type: string;
  version: number;
  occurredAt: string;
  actor: string;
  automation?: string;
  data: unknown;
}

export interface HistoryPage {
  ticketId: string;
  events: HistoryEvent[];
  next?: number;
}

/** GET /v1/reviews/escalations (apps/api/src/reviews/quarterly-review.ts). */
export type { QuarterlyReview } from '../../api/src/reviews/quarterly-review';

import {
  evolveTicketSla,
  openSla,
  runResolutionClock,
  type SlaTerms,
  type TicketSla,
} from '@ledger/domain';
import { dated, type RecordedTicketEvent } from '../projection';

/** The clocks a ticket starts with; null for a ticket opened before SLA policies. */
export function openedSla(terms: SlaTerms | undefined, openedAt: string): TicketSla | null {
  return terms ? openSla(terms, openedAt) : null;
}

/**
 * The resolution deadline at `at`, as the domain sets it: the running clock's,
 * or for a clock standing still (a ticket resolved while pending) the one it
 * would have running again from `at`, the time spent pending left out.
 */
export function resolutionDueAt(sla: TicketSla, at: string): string {
  return runResolutionClock(sla, true, at).resolution.dueAt;
}

/** The clocks after `event`, moved by the domain's own fold: the deadlines are the ones the domain checks. */
export function slaAfter(sla: TicketSla, event: RecordedTicketEvent): TicketSla {
  return evolveTicketSla(sla, dated(event));
}

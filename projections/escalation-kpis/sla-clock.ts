import {
  meetFirstResponse,
  meetResolution,
  openSla,
  recordSlaMark,
  runResolutionClock,
  type SlaTerms,
  type Status,
  type TicketSla,
} from '@ledger/domain';
import type { RecordedTicketEvent } from '../projection';

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

/** The status an event moves the ticket to; null for the events that leave it as it was. */
function statusSetBy(event: RecordedTicketEvent): Status | null {
  switch (event.type) {
    case 'TicketEscalated':
    case 'TicketReopened':
      return 'open';
    case 'TicketResolved':
      return 'resolved';
    case 'TicketClosed':
      return 'closed';
    case 'TicketStatusChanged':
      return event.data.to;
    default:
      return null;
  }
}

/**
 * The clocks after `event`, moved by the domain's own functions in the order
 * the ticket's fold moves them, so the deadlines are the ones the domain
 * checks. The facts keep no status: each status an event sets runs or stops
 * the resolution clock, and running a running clock (or stopping a stopped
 * one) changes nothing, as when the ticket's status does not change.
 */
export function slaAfter(sla: TicketSla, event: RecordedTicketEvent): TicketSla {
  const at = event.metadata.occurredAt;
  let next = sla;
  if (event.type === 'SlaWarning') return recordSlaMark(next, event.data.target, 'warning', at);
  if (event.type === 'SlaBreached') return recordSlaMark(next, event.data.target, 'breach', at);
  if (event.type === 'TicketAssigned') next = meetFirstResponse(next, at);
  if (event.type === 'TicketResolved') next = meetResolution(next, at);
  if (event.type === 'TicketReopened') {
    next = { ...next, resolution: { ...next.resolution, metAt: null } };
  }
  const status = statusSetBy(event);
  if (status === null) return next;
  // The domain's rule: resolution time runs while the ticket is open or in progress.
  return runResolutionClock(next, status === 'open' || status === 'in_progress', at);
}

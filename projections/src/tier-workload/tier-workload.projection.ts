import { assertNever } from '@ledger/domain';
import type { WorkloadDocument } from '@ledger/read-store';
import { TICKET_EVENTS, type Projection, type RecordedTicketEvent } from '../projection';

function apply(
  entry: WorkloadDocument | null,
  event: RecordedTicketEvent,
): WorkloadDocument | null {
  if (event.type === 'TicketOpened') {
    return {
      ticketId: event.data.ticketId,
      tier: event.data.tier,
      status: 'open',
      assigneeId: null,
      openedAt: event.metadata.occurredAt,
    };
  }
  if (!entry) return entry;
  switch (event.type) {
    case 'TicketAssigned':
      return { ...entry, assigneeId: event.data.agentId };
    case 'TicketEscalated':
      return { ...entry, tier: event.data.toTier, assigneeId: null, status: 'open' };
    case 'TicketResolved':
      return { ...entry, status: 'resolved' };
    case 'TicketStatusChanged':
      return { ...entry, status: event.data.to };
    case 'TicketReopened':
      return { ...entry, status: 'open' };
    case 'TicketClosed':
      return { ...entry, status: 'closed' };
    case 'FeedbackReceived':
    case 'TicketNoteAdded':
    case 'SlaWarning':
    case 'SlaBreached':
      return entry;
    default:
      return assertNever(event);
  }
}

/** Where each ticket weighs: its tier, status and assignee. */
export const tierWorkloadProjection: Projection<'tier-workload'> = {
  name: 'tier-workload',
  source: TICKET_EVENTS,
  version: 2,
  apply,
};

import { assertNever, type SlaMark } from '@ledger/domain';
import type { AlertDocument, SlaAlertMark } from '@ledger/read-store';
import { TICKET_EVENTS, type Projection, type RecordedTicketEvent } from '../projection';

/** A breach outranks a warning; between equals, the later one. */
function worse(current: SlaAlertMark | null, next: SlaAlertMark): SlaAlertMark {
  const rank = (mark: SlaMark) => (mark === 'breach' ? 1 : 0);
  if (current && rank(current.mark) > rank(next.mark)) return current;
  return next;
}

function apply(alert: AlertDocument | null, event: RecordedTicketEvent): AlertDocument | null {
  const at = event.metadata.occurredAt;
  if (event.type === 'TicketOpened') {
    const { ticketId, priority, tier } = event.data;
    return {
      ticketId,
      priority,
      tier,
      status: 'open',
      assigneeId: null,
      lastActivityAt: at,
      sla: null,
    };
  }
  if (!alert) return alert;
  switch (event.type) {
    case 'SlaWarning':
    case 'SlaBreached': {
      const mark = event.type === 'SlaWarning' ? 'warning' : 'breach';
      return { ...alert, sla: worse(alert.sla, { mark, target: event.data.target, at }) };
    }
    case 'TicketAssigned':
      return { ...alert, assigneeId: event.data.agentId, lastActivityAt: at };
    case 'TicketEscalated':
      return {
        ...alert,
        tier: event.data.toTier,
        assigneeId: null,
        status: 'open',
        lastActivityAt: at,
      };
    case 'TicketResolved':
      return { ...alert, status: 'resolved', lastActivityAt: at };
    case 'TicketStatusChanged':
      return { ...alert, status: event.data.to, lastActivityAt: at };
    case 'TicketReopened':
      return { ...alert, status: 'open', lastActivityAt: at };
    case 'TicketClosed':
      return { ...alert, status: 'closed', lastActivityAt: at };
    case 'FeedbackReceived':
    case 'TicketNoteAdded':
      return { ...alert, lastActivityAt: at };
    default:
      return assertNever(event);
  }
}

/**
 * What makes a ticket worth an alert: how long since anything happened to
 * it, and the worst SLA mark it received. Idleness is judged when asked,
 * against the clock of the asker; the document holds only event time.
 */
export const alertsProjection: Projection<'alerts'> = {
  name: 'alerts',
  version: 1,
  source: TICKET_EVENTS,
  apply,
};

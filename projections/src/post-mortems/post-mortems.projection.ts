import {
  assertNever,
  POST_MORTEM_EVENT_TYPES,
  POST_MORTEM_STREAM_PREFIX,
  type PostMortemEvent,
} from '@ledger/domain';
import type { RecordedEvent } from '@ledger/event-store';
import type {
  PostMortemActionFacts,
  PostMortemDocument,
  PostMortemFacts,
} from '@ledger/read-store';
import {
  isTicketEvent,
  openingFacts,
  ticketIdOf,
  type EventSource,
  type Projection,
  type RecordedTicketEvent,
} from '../projection';

export type RecordedPostMortemEvent = RecordedEvent & PostMortemEvent;

const postMortemEventTypes = new Set<string>(POST_MORTEM_EVENT_TYPES);

function isPostMortemEvent(event: RecordedEvent): event is RecordedPostMortemEvent {
  return (
    event.streamId.startsWith(POST_MORTEM_STREAM_PREFIX) && postMortemEventTypes.has(event.type)
  );
}

/** A ticket's stream and its post-mortem's stream fold into one document, under the ticket id. */
const TICKET_AND_POST_MORTEM_EVENTS: EventSource<RecordedTicketEvent | RecordedPostMortemEvent> = {
  accepts: (event): event is RecordedTicketEvent | RecordedPostMortemEvent =>
    isTicketEvent(event) || isPostMortemEvent(event),
  documentIdOf: (event) =>
    isPostMortemEvent(event)
      ? event.streamId.slice(POST_MORTEM_STREAM_PREFIX.length)
      : ticketIdOf(event),
  sharedDocuments: { startsDocument: (event) => event.type === 'TicketOpened' },
};

function applyTicketEvent(
  doc: PostMortemDocument | null,
  event: RecordedTicketEvent,
): PostMortemDocument | null {
  const at = event.metadata.occurredAt;
  if (event.type === 'TicketOpened') {
    return {
      ...openingFacts(event),
      firstAssigneeId: null,
      currentAssigneeId: null,
      assigneeAtFirstEscalation: null,
      escalationCount: 0,
      lastEscalatedAt: null,
      reachedManagement: false,
      urgentBreach: false,
      endedAt: null,
      resolutionRootCause: null,
      postMortem: null,
    };
  }
  if (!doc) return doc;
  switch (event.type) {
    case 'TicketAssigned':
      return {
        ...doc,
        firstAssigneeId: doc.firstAssigneeId ?? event.data.agentId,
        currentAssigneeId: event.data.agentId,
      };
    case 'TicketEscalated':
      return {
        ...doc,
        tier: event.data.toTier,
        escalationCount: doc.escalationCount + 1,
        lastEscalatedAt: at,
        assigneeAtFirstEscalation:
          doc.escalationCount === 0 ? doc.currentAssigneeId : doc.assigneeAtFirstEscalation,
        currentAssigneeId: null,
        reachedManagement: doc.reachedManagement || event.data.toTier === 'MANAGEMENT',
      };
    case 'TicketResolved':
      return { ...doc, endedAt: at, resolutionRootCause: event.data.rootCause ?? null };
    case 'TicketClosed':
      return doc.endedAt === null ? { ...doc, endedAt: at } : doc;
    case 'TicketReopened':
      return { ...doc, endedAt: null };
    case 'SlaBreached':
      return doc.priority === 'urgent' && !doc.urgentBreach ? { ...doc, urgentBreach: true } : doc;
    case 'SlaWarning':
    case 'FeedbackReceived':
    case 'TicketStatusChanged':
    case 'TicketNoteAdded':
      return doc;
    default:
      return assertNever(event);
  }
}

/** Complete since the last open action closed (or since recorded without one); null while one is open. */
function withActions(
  postMortem: PostMortemFacts,
  actions: PostMortemActionFacts[],
  at: string,
): PostMortemFacts {
  const open = actions.some((action) => action.state === 'open');
  return { ...postMortem, actions, completedAt: open ? null : (postMortem.completedAt ?? at) };
}

function applyPostMortemEvent(
  postMortem: PostMortemFacts | null,
  event: RecordedPostMortemEvent,
): PostMortemFacts | null {
  const at = event.metadata.occurredAt;
  if (event.type === 'PostMortemRecorded') {
    const recorded = postMortem ?? { recordedAt: at, completedAt: null, actions: [] };
    return withActions({ ...recorded, rootCause: event.data.rootCause }, recorded.actions, at);
  }
  if (!postMortem) return postMortem;
  const { actionId } = event.data;
  const change = (update: (action: PostMortemActionFacts) => PostMortemActionFacts) =>
    withActions(
      postMortem,
      postMortem.actions.map((action) => (action.actionId === actionId ? update(action) : action)),
      at,
    );
  switch (event.type) {
    case 'PostMortemActionPlanned': {
      const { kind, owner, dueDate } = event.data;
      if (postMortem.actions.some((action) => action.actionId === actionId)) {
        return change((action) => ({ ...action, kind, owner, dueDate }));
      }
      const added = { actionId, kind, owner, dueDate, state: 'open' as const, closedAt: null };
      return withActions({ ...postMortem, completedAt: null }, [...postMortem.actions, added], at);
    }
    case 'PostMortemActionDone':
      return change((action) => ({ ...action, state: 'done', closedAt: at }));
    case 'PostMortemActionDropped':
      return change((action) => ({ ...action, state: 'dropped', closedAt: at }));
    default:
      return assertNever(event);
  }
}

function apply(
  doc: PostMortemDocument | null,
  event: RecordedTicketEvent | RecordedPostMortemEvent,
): PostMortemDocument | null {
  if (isTicketEvent(event)) return applyTicketEvent(doc, event);
  if (!doc) return doc;
  return { ...doc, postMortem: applyPostMortemEvent(doc.postMortem, event) };
}

/**
 * Which escalated tickets need a post-mortem and where each stands, in
 * event time only: whether it is late, or an action overdue, is judged when
 * asked, against the asker's clock. The free text stays in the log.
 */
export const postMortemsProjection: Projection<
  'post-mortems',
  RecordedTicketEvent | RecordedPostMortemEvent
> = {
  name: 'post-mortems',
  version: 2,
  source: TICKET_AND_POST_MORTEM_EVENTS,
  apply,
};

import {
  assertNever,
  evolveTicketSla,
  openSla,
  runResolutionClock,
  type TicketSla,
} from '@ledger/domain';
import type { EscalationFacts } from '@ledger/read-store';
import {
  dated,
  openingFacts,
  TICKET_EVENTS,
  type Projection,
  type RecordedTicketEvent,
} from '../projection';

const MS_PER_MINUTE = 60_000;

/**
 * The resolution deadline at `at`, as the domain sets it: the running clock's,
 * or for a clock standing still (a ticket resolved while pending) the one it
 * would have running again from `at`, the time spent pending left out.
 */
function resolutionDueAt(sla: TicketSla, at: string): string {
  return runResolutionClock(sla, true, at).resolution.dueAt;
}

/** The minutes by tier once the stay under way, if any, ends at `at`. */
function dwellEndingAt(facts: EscalationFacts, at: string): EscalationFacts['tierDwellMinutes'] {
  const stay = facts.currentStay;
  if (!stay) return facts.tierDwellMinutes;
  const minutes = (Date.parse(at) - Date.parse(stay.enteredAt)) / MS_PER_MINUTE;
  return {
    ...facts.tierDwellMinutes,
    [stay.tier]: (facts.tierDwellMinutes[stay.tier] ?? 0) + minutes,
  };
}

function apply(facts: EscalationFacts | null, event: RecordedTicketEvent): EscalationFacts | null {
  const at = event.metadata.occurredAt;
  if (event.type === 'TicketOpened') {
    return {
      ...openingFacts(event),
      firstAssigneeId: null,
      firstAssignedAt: null,
      currentAssigneeId: null,
      assigneeAtFirstEscalation: null,
      escalationCount: 0,
      autoEscalationCount: 0,
      firstEscalatedAt: null,
      escalationReasons: {},
      resolved: false,
      lastResolvedAt: null,
      lastResolutionDueAt: null,
      resolvedTier: null,
      escalationNecessary: null,
      rootCause: null,
      reopened: false,
      closed: false,
      feedbackScore: null,
      tierDwellMinutes: {},
      currentStay: { tier: event.data.tier, enteredAt: at },
      sla: event.data.sla ? openSla(event.data.sla, at) : null,
    };
  }
  if (!facts) return facts;
  const next = evolveFacts(facts, event);
  return next.sla ? { ...next, sla: evolveTicketSla(next.sla, dated(event)) } : next;
}

function evolveFacts(
  facts: EscalationFacts,
  event: Exclude<RecordedTicketEvent, { type: 'TicketOpened' }>,
): EscalationFacts {
  const at = event.metadata.occurredAt;
  switch (event.type) {
    case 'TicketAssigned':
      return {
        ...facts,
        firstAssigneeId: facts.firstAssigneeId ?? event.data.agentId,
        firstAssignedAt: facts.firstAssignedAt ?? at,
        currentAssigneeId: event.data.agentId,
      };
    case 'TicketEscalated': {
      const { reason, toTier, auto } = event.data;
      const first = facts.escalationCount === 0;
      return {
        ...facts,
        tier: toTier,
        currentAssigneeId: null,
        escalationCount: facts.escalationCount + 1,
        autoEscalationCount: facts.autoEscalationCount + (auto ? 1 : 0),
        firstEscalatedAt: first ? at : facts.firstEscalatedAt,
        assigneeAtFirstEscalation: first
          ? facts.currentAssigneeId
          : facts.assigneeAtFirstEscalation,
        escalationReasons: {
          ...facts.escalationReasons,
          [reason]: (facts.escalationReasons[reason] ?? 0) + 1,
        },
        tierDwellMinutes: dwellEndingAt(facts, at),
        currentStay: { tier: toTier, enteredAt: at },
      };
    }
    case 'TicketResolved':
      return {
        ...facts,
        tierDwellMinutes: dwellEndingAt(facts, at),
        currentStay: null,
        resolved: true,
        lastResolvedAt: at,
        lastResolutionDueAt: facts.sla && resolutionDueAt(facts.sla, at),
        resolvedTier: event.data.resolvedTier,
        escalationNecessary: event.data.escalationNecessary ?? null,
        rootCause: event.data.rootCause ?? null,
      };
    case 'TicketReopened':
      return {
        ...facts,
        currentStay: { tier: facts.tier, enteredAt: at },
        resolved: false,
        lastResolutionDueAt: null,
        closed: false,
        reopened: true,
      };
    case 'TicketClosed':
      return {
        ...facts,
        tierDwellMinutes: dwellEndingAt(facts, at),
        currentStay: null,
        closed: true,
      };
    case 'FeedbackReceived':
      return { ...facts, feedbackScore: event.data.score };
    case 'TicketStatusChanged':
    case 'TicketNoteAdded':
    case 'SlaWarning':
    case 'SlaBreached':
      return facts;
    default:
      return assertNever(event);
  }
}

/**
 * Per ticket, what the escalation KPIs are computed from. Durations come from
 * event times only, so a rebuild gives the same numbers whenever it runs.
 */
export const escalationFactsProjection: Projection<'escalation-kpis'> = {
  name: 'escalation-kpis',
  source: TICKET_EVENTS,
  // 6: facts carry the root cause; shares are stored with the week and root-cause keys.
  version: 6,
  apply,
};

import type { DatedTicketEvent, EscalationTallies } from '@ledger/domain';
import { escalationFactsProjection } from '@ledger/projections';
import type { EscalationFacts, PostMortemDocument } from '@ledger/read-store';
import { testMetadata, ticketOpened } from './test-events';

/** The facts of a ticket just opened at L1 and never touched since, changed by `overrides`. */
export function openedTicketFacts(overrides: Partial<EscalationFacts> = {}): EscalationFacts {
  const occurredAt = overrides.openedAt ?? '2025-03-01T09:00:00.000Z';
  const fold = escalationFactsProjection.apply;
  const opened = fold(null, {
    ...ticketOpened('t'),
    metadata: testMetadata({ occurredAt }),
    streamId: 'ticket-t',
    version: 1,
    position: '1',
  });
  return { ...opened!, ...overrides };
}

/** The facts the projection folds from one ticket's history, its opening first. */
export function factsOfHistory(events: readonly DatedTicketEvent[]): EscalationFacts {
  const facts = events.reduce<EscalationFacts | null>(
    (folded, { occurredAt, ...event }, index) =>
      escalationFactsProjection.apply(folded, {
        ...event,
        metadata: testMetadata({ occurredAt }),
        streamId: 'ticket-t',
        version: index + 1,
        position: String(index + 1),
      }),
    null,
  );
  if (!facts) throw new Error('A history starts with its TicketOpened');
  return facts;
}

/** The tallies with their durations sorted: a store lists them in no order. */
export function inAnyOrder(tallies: EscalationTallies): EscalationTallies {
  const sorted = (tally: EscalationTallies['totals']) => ({
    ...tally,
    escalationToResolutionMs: [...tally.escalationToResolutionMs].sort((a, b) => a - b),
  });
  return {
    totals: sorted(tallies.totals),
    groups: tallies.groups.map(({ key, tally }) => ({ key, tally: sorted(tally) })),
  };
}

/** An escalated ticket's post-mortem document, ended, without a post-mortem, changed by `overrides`. */
export function escalatedTicketPostMortem(
  ticketId: string,
  overrides: Partial<PostMortemDocument> = {},
): PostMortemDocument {
  return {
    ticketId,
    openedAt: '2025-03-03T09:00:00.000Z',
    category: 'billing',
    channel: 'email',
    priority: 'high',
    tier: 'L2',
    firstAssigneeId: 'ana',
    currentAssigneeId: null,
    assigneeAtFirstEscalation: 'ana',
    escalationCount: 1,
    lastEscalatedAt: '2025-03-03T10:00:00.000Z',
    reachedManagement: false,
    urgentBreach: false,
    endedAt: '2025-03-04T09:00:00.000Z',
    resolutionRootCause: null,
    postMortem: null,
    ...overrides,
  };
}

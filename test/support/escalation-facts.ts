import { escalationFactsProjection } from '@ledger/projections';
import type { EscalationFacts } from '@ledger/read-store';
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

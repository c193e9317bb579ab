import type { TicketOpened } from '@ledger/domain';
import type { EventMetadata } from '@ledger/event-store';
import { randomUUID } from 'node:crypto';

/** Metadata for an event appended by a test: a fresh event id, a fixed instant. */
export function testMetadata(overrides: Partial<EventMetadata> = {}): EventMetadata {
  return {
    eventId: randomUUID(),
    occurredAt: '2026-01-05T09:00:00.000Z',
    actor: 'test',
    correlationId: 'test',
    causationId: 'test',
    schemaVersion: 1,
    ...overrides,
  };
}

/** A medium-priority L1 ticket opened by email. */
export function ticketOpened(ticketId: string): TicketOpened {
  return {
    type: 'TicketOpened',
    data: {
      ticketId,
      subject: 'Cannot log in',
      description: '',
      channel: 'email',
      customer: { id: 'c-1', tier: 'standard' },
      category: 'account',
      priority: 'medium',
      priorityReason: 'default',
      tier: 'L1',
    },
  };
}

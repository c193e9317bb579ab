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

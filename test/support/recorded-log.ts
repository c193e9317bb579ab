import type { RecordedEvent } from '@ledger/event-store';
import { testMetadata } from './test-events';

/**
 * Events as the log hands them over, without a store: each at the next
 * position and its stream's next version, dated as asked.
 */
export class RecordedLog {
  private position = 0;
  private readonly versions = new Map<string, number>();

  record<E extends { type: string; data: unknown }>(
    streamId: string,
    event: E,
    occurredAt: string,
  ): RecordedEvent & E {
    const version = (this.versions.get(streamId) ?? 0) + 1;
    this.versions.set(streamId, version);
    this.position += 1;
    return {
      ...event,
      streamId,
      version,
      position: String(this.position),
      metadata: testMetadata({ eventId: `e-${this.position}`, occurredAt }),
    };
  }
}

import { LRUCache } from 'lru-cache';

const DEFAULT_CAPACITY = 50_000;

/**
 * Which customer each ticket stream is for, for the most recently used
 * streams: bounded, because the log is not. A stream forgotten is looked up
 * again from its first event.
 */
export class StreamCustomers {
  private readonly byStream: LRUCache<string, string>;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.byStream = new LRUCache({ max: capacity });
  }

  get(streamId: string): string | undefined {
    return this.byStream.get(streamId);
  }

  set(streamId: string, customerId: string): void {
    this.byStream.set(streamId, customerId);
  }
}

const DEFAULT_CAPACITY = 50_000;

/**
 * Which customer each ticket stream is for, for the most recently used
 * streams: bounded, because the log is not. A stream forgotten is looked up
 * again from its first event.
 */
export class StreamCustomers {
  private readonly byStream = new Map<string, string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  get(streamId: string): string | undefined {
    const customerId = this.byStream.get(streamId);
    if (customerId !== undefined) {
      // Moved to the end: the Map's order is the order of use.
      this.byStream.delete(streamId);
      this.byStream.set(streamId, customerId);
    }
    return customerId;
  }

  set(streamId: string, customerId: string): void {
    this.byStream.delete(streamId);
    if (this.byStream.size >= this.capacity) {
      this.byStream.delete(this.byStream.keys().next().value!);
    }
    this.byStream.set(streamId, customerId);
  }
}

import type { AppendListener } from './event-store';

/**
 * The listeners of a store's `onAppended`. An append is already durable when
 * they are called, so a listener that throws is reported, not propagated.
 */
export class AppendListeners {
  private readonly listeners = new Set<AppendListener>();

  get size(): number {
    return this.listeners.size;
  }

  add(listener: AppendListener): () => void {
    // A wrapper per subscription, so subscribing the same function twice
    // gives two independent unsubscribes.
    const subscription: AppendListener = (streams) => listener(streams);
    this.listeners.add(subscription);
    return () => {
      this.listeners.delete(subscription);
    };
  }

  /** `streams`: those appended to, when known. */
  notify(streams?: readonly string[]): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(streams);
      } catch (error) {
        // A string, because under jest the error may come from another realm,
        // which emitWarning refuses as "not an Error".
        process.emitWarning(`onAppended listener threw: ${describeError(error)}`);
      }
    }
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

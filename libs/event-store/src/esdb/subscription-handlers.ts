import type { LogPosition } from './esdb-position';

/**
 * How the adapter listens to one of the client's `$all` subscriptions. The
 * logic around a subscription takes a function that opens one with these
 * handlers, so it can be tested with a stand-in instead of a server.
 */
export interface SubscriptionHandlers<Event> {
  event(this: void, event: Event): void;
  /** The server has sent every event the log held when the subscription reached it. */
  caughtUp?(this: void): void;
  /** The subscription failed or ended; it delivers nothing more. */
  stopped(this: void, error?: unknown): void;
}

export interface Unsubscribable {
  unsubscribe(): Promise<void>;
}

/** Opens a subscription to `$all` after `from` (exclusive), or from the start. */
export type Subscribe<Event> = (
  from: LogPosition | undefined,
  handlers: SubscriptionHandlers<Event>,
) => Unsubscribable;

import type { SubscriptionHandlers, Unsubscribable } from './subscription-handlers';

/**
 * Reads through a catch-up subscription: hands each event to `visit` until
 * the server says the subscription has caught up with the log, or `visit`
 * returns false, then stops the subscription.
 *
 * This is how the store reads `$all` filtered on the server: the client's
 * `readAll` sends no filter, but its `subscribeToAll` does.
 */
export async function readUntilCaughtUp<Event>(
  open: (handlers: SubscriptionHandlers<Event>) => Unsubscribable,
  visit: (event: Event) => boolean,
): Promise<void> {
  let done = false;
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => {
    finish = () => {
      done = true;
      resolve();
    };
    fail = (error) => {
      done = true;
      reject(error);
    };
  });
  const subscription = open({
    event: (event) => {
      if (done) return;
      try {
        if (!visit(event)) finish();
      } catch (error) {
        fail(error);
      }
    },
    // The client emits `caughtUp` while it reads the server's message, and the
    // events before it may still wait in the subscription's stream buffer.
    caughtUp: () => setImmediate(finish),
    stopped: (error) => {
      if (!done) fail(error ?? new Error('The subscription ended before it caught up'));
    },
  });
  try {
    await finished;
  } finally {
    await subscription.unsubscribe().catch(() => undefined);
  }
}

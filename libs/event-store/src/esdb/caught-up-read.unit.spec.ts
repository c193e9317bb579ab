import { readUntilCaughtUp } from './caught-up-read';
import type { SubscriptionHandlers } from './subscription-handlers';

/** A subscription the test drives by hand, in place of the client's. */
function standIn() {
  const subscription = {
    handlers: undefined as SubscriptionHandlers<number> | undefined,
    unsubscribed: false,
    open: (handlers: SubscriptionHandlers<number>) => {
      subscription.handlers = handlers;
      return {
        unsubscribe: async () => {
          subscription.unsubscribed = true;
        },
      };
    },
  };
  return subscription;
}

describe('readUntilCaughtUp', () => {
  it('hands over the events until the subscription has caught up, then stops it', async () => {
    const subscription = standIn();
    const seen: number[] = [];

    const reading = readUntilCaughtUp(subscription.open, (event) => seen.push(event) > 0);
    subscription.handlers!.event(1);
    subscription.handlers!.event(2);
    subscription.handlers!.caughtUp!();
    await reading;

    expect(seen).toEqual([1, 2]);
    expect(subscription.unsubscribed).toBe(true);
  });

  it('hands over events still on their way when the subscription says it has caught up', async () => {
    const subscription = standIn();
    const seen: number[] = [];

    const reading = readUntilCaughtUp(subscription.open, (event) => seen.push(event) > 0);
    subscription.handlers!.caughtUp!();
    subscription.handlers!.event(1);
    await reading;

    expect(seen).toEqual([1]);
  });

  it('stops at the first event the visitor declines more after', async () => {
    const subscription = standIn();
    const seen: number[] = [];

    const reading = readUntilCaughtUp(subscription.open, (event) => seen.push(event) < 2);
    for (const event of [1, 2, 3]) subscription.handlers!.event(event);
    await reading;

    expect(seen).toEqual([1, 2]);
    expect(subscription.unsubscribed).toBe(true);
  });

  it('fails when the subscription fails before catching up', async () => {
    const subscription = standIn();

    const reading = readUntilCaughtUp(subscription.open, () => true);
    subscription.handlers!.stopped(new Error('connection reset'));

    await expect(reading).rejects.toThrow('connection reset');
    expect(subscription.unsubscribed).toBe(true);
  });

  it('fails when the subscription ends before catching up', async () => {
    const subscription = standIn();

    const reading = readUntilCaughtUp(subscription.open, () => true);
    subscription.handlers!.stopped();

    await expect(reading).rejects.toThrow('ended before it caught up');
  });

  it('fails with what the visitor throws', async () => {
    const subscription = standIn();

    const reading = readUntilCaughtUp(subscription.open, () => {
      throw new RangeError('not an event of the log');
    });
    subscription.handlers!.event(1);

    await expect(reading).rejects.toThrow(RangeError);
  });
});

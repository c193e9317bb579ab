import type { LogPosition } from './esdb-position';
import { LogDoorbell } from './log-doorbell';
import type { SubscriptionHandlers } from './subscription-handlers';

/** A subscription the test drives by hand, in place of the client's. */
interface StandIn {
  from: LogPosition | undefined;
  handlers: SubscriptionHandlers<LogPosition | undefined>;
  unsubscribed: boolean;
}

const at = (commit: number): LogPosition => ({ commit: BigInt(commit), prepare: BigInt(commit) });

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LogDoorbell', () => {
  let opened: StandIn[];
  let rings: number;
  let newest: ReturnType<typeof deferred<LogPosition | undefined>>;
  let doorbell: LogDoorbell;

  function subscription(index: number): StandIn {
    const standIn = opened[index];
    if (!standIn) throw new Error(`No subscription ${index} was opened`);
    return standIn;
  }

  beforeEach(() => {
    opened = [];
    rings = 0;
    newest = deferred();
    doorbell = new LogDoorbell({
      newest: () => newest.promise,
      subscribe: (from, handlers) => {
        const standIn: StandIn = { from, handlers, unsubscribed: false };
        opened.push(standIn);
        return {
          unsubscribe: async () => {
            standIn.unsubscribed = true;
          },
        };
      },
      ring: () => rings++,
      resubscribeDelayMs: 1,
    });
  });

  afterEach(() => doorbell.close());

  it('opens one subscription when started again while finding the head of the log', async () => {
    doorbell.start();
    doorbell.start();
    newest.resolve(at(40));
    await settle();
    doorbell.start();

    expect(opened).toHaveLength(1);
    expect(subscription(0).from).toEqual(at(40));
  });

  it('rings once per event', async () => {
    doorbell.start();
    doorbell.start();
    newest.resolve(at(40));
    await settle();

    for (const standIn of opened) standIn.handlers.event(at(41));

    expect(rings).toBe(1);
  });

  it('resumes after the last event it saw, and rings once it follows again', async () => {
    doorbell.start();
    newest.resolve(at(40));
    await settle();
    subscription(0).handlers.event(at(41));

    subscription(0).handlers.stopped(new Error('connection reset'));
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(opened).toHaveLength(2);
    expect(subscription(1).from).toEqual(at(41));
    expect(rings).toBe(2);
  });

  it('opens nothing when closed while finding the head of the log', async () => {
    doorbell.start();
    await doorbell.close();
    newest.resolve(at(40));
    await settle();

    expect(opened).toHaveLength(0);
  });

  it('stops the subscription it follows on close', async () => {
    doorbell.start();
    newest.resolve(undefined);
    await settle();

    await doorbell.close();

    expect(subscription(0).from).toBeUndefined();
    expect(subscription(0).unsubscribed).toBe(true);
  });
});

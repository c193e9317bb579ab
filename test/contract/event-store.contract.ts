import { randomUUID } from 'node:crypto';
import {
  ConcurrencyConflictError,
  EventStore,
  InvalidPositionError,
  NewEvent,
  RecordedEvent,
} from '@ledger/event-store';
import { describeUnless } from '../support/describe-unless';
import { nth } from '../support/elements';

export interface EventStoreHarness {
  /** An open store over an empty log. */
  store: EventStore;
  /** Opens a second store over the same log, e.g. after `store.close()`. */
  reopen?: () => Promise<EventStore>;
  /** Closes whatever the harness opened and removes the log. */
  cleanup: () => Promise<void>;
}

function newEvent(type: string, data: unknown = {}): NewEvent {
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      occurredAt: new Date().toISOString(),
      actor: 'agent-7',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

function events(count: number, type = 'TicketNoteAdded'): NewEvent[] {
  return Array.from({ length: count }, (_, index) => newEvent(type, { body: `note ${index + 1}` }));
}

/** Resolves once `listener` has been called, or rejects after `ms`. */
function nextCall(subscribe: (listener: () => void) => () => void, ms = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`not notified within ${ms} ms`));
    }, ms);
    const unsubscribe = subscribe(() => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

/** Lets asynchronous work started before this call finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * The behaviour every EventStore adapter must have. The tests only use the
 * port; `open` must hand each test a store over an empty log.
 */
export function describeEventStoreContract(
  adapterName: string,
  open: () => Promise<EventStoreHarness>,
  /** Why the adapter cannot be reached in this run; its cases are then reported as skipped. */
  skipReason?: string,
): void {
  describeUnless(skipReason, `EventStore contract: ${adapterName}`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;

    beforeEach(async () => {
      harness = await open();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    async function conflictOf(promise: Promise<unknown>): Promise<ConcurrencyConflictError> {
      const error = await promise.then(
        () => undefined,
        (rejection: unknown) => rejection,
      );
      expect(error).toBeInstanceOf(ConcurrencyConflictError);
      return error as ConcurrencyConflictError;
    }

    describe('append', () => {
      it('starts a new stream with no_stream at version 1', async () => {
        const result = await store.append('ticket-1', [newEvent('TicketOpened')], 'no_stream');

        expect(result.version).toBe(1);
        expect(store.isValidPosition(result.position)).toBe(true);
      });

      it('numbers the events of one append consecutively', async () => {
        const result = await store.append('ticket-1', events(3), 'no_stream');

        expect(result.version).toBe(3);
        expect((await store.readStream('ticket-1')).map((event) => event.version)).toEqual([
          1, 2, 3,
        ]);
      });

      it('answers the position of the last appended event', async () => {
        const result = await store.append('ticket-1', events(3), 'no_stream');

        const stored = await store.readStream('ticket-1');
        expect(result.position).toBe(nth(stored, 2).position);
      });

      it('appends when the expected version is the stream version', async () => {
        await store.append('ticket-1', events(2), 'no_stream');

        const result = await store.append('ticket-1', events(1), 2);

        expect(result.version).toBe(3);
      });

      it('rejects no_stream when the stream already exists', async () => {
        await store.append('ticket-1', events(2), 'no_stream');

        const conflict = await conflictOf(store.append('ticket-1', events(1), 'no_stream'));

        expect(conflict).toMatchObject({ streamId: 'ticket-1', expected: 'no_stream', actual: 2 });
      });

      it('rejects a stale expected version with the actual version', async () => {
        await store.append('ticket-1', events(3), 'no_stream');

        const conflict = await conflictOf(store.append('ticket-1', events(1), 1));

        expect(conflict).toMatchObject({ streamId: 'ticket-1', expected: 1, actual: 3 });
      });

      it('rejects an expected version when the stream does not exist', async () => {
        const conflict = await conflictOf(store.append('ticket-1', events(1), 2));

        expect(conflict).toMatchObject({ streamId: 'ticket-1', expected: 2, actual: 0 });
      });

      it('writes nothing when the append is rejected', async () => {
        await store.append('ticket-1', events(1), 'no_stream');

        await conflictOf(store.append('ticket-1', events(2), 5));

        expect(await store.readStream('ticket-1')).toHaveLength(1);
      });

      it('appends with any whether or not the stream exists', async () => {
        const first = await store.append('ticket-1', events(1), 'any');
        const second = await store.append('ticket-1', events(2), 'any');

        expect([first.version, second.version]).toEqual([1, 3]);
      });

      it('answers the current version for an empty append, writing nothing', async () => {
        const written = await store.append('ticket-1', events(2), 'no_stream');

        const result = await store.append('ticket-1', [], 2);

        expect(result).toEqual(written);
        expect(await store.readStream('ticket-1')).toHaveLength(2);
      });

      it('answers version 0 for an empty append to a new stream', async () => {
        const result = await store.append('ticket-1', [], 'no_stream');

        expect(result).toEqual({ version: 0, position: store.origin });
        expect(await store.headPosition()).toBeUndefined();
      });

      it('still checks the expected version of an empty append', async () => {
        await store.append('ticket-1', events(1), 'no_stream');

        const conflict = await conflictOf(store.append('ticket-1', [], 3));

        expect(conflict.actual).toBe(1);
      });
    });

    describe('concurrent appends', () => {
      it('lets exactly one of several appends with the same expected version through', async () => {
        await store.append('ticket-1', events(1), 'no_stream');

        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.append('ticket-1', events(1), 1)),
        );

        const fulfilled = attempts.filter((attempt) => attempt.status === 'fulfilled');
        const rejected = attempts.filter((attempt) => attempt.status === 'rejected');
        expect(fulfilled).toHaveLength(1);
        for (const attempt of rejected) {
          expect(attempt.reason).toBeInstanceOf(ConcurrencyConflictError);
          expect(attempt.reason).toMatchObject({ expected: 1, actual: 2 });
        }
        expect(await store.readStream('ticket-1')).toHaveLength(2);
      });

      it('lets exactly one of several no_stream appends create the stream', async () => {
        const attempts = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.append('ticket-1', events(2), 'no_stream')),
        );

        expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
        expect(await store.readStream('ticket-1')).toHaveLength(2);
      });

      it('commits all concurrent appends to different streams at distinct positions', async () => {
        const streamIds = Array.from({ length: 50 }, (_, index) => `ticket-${index}`);

        const results = await Promise.all(
          streamIds.map((streamId) => store.append(streamId, events(2), 'no_stream')),
        );

        expect(results.every((result) => result.version === 2)).toBe(true);
        expect(new Set(results.map((result) => result.position)).size).toBe(50);
        const log = await store.readAll({ limit: 1000 });
        expect(log).toHaveLength(100);
        for (const [index, result] of results.entries()) {
          const last = log.find(
            (event) => event.streamId === streamIds[index] && event.version === 2,
          );
          expect(last?.position).toBe(result.position);
        }
      });
    });

    describe('readStream', () => {
      it('returns the events in order with their data and metadata intact', async () => {
        const opened = newEvent('TicketOpened', {
          subject: 'Drucker brennt — 🔥',
          customer: { id: 'c-1', name: null, tier: 'vip' },
          tags: ['printer', 'fire'],
          count: 3.5,
          urgent: true,
        });
        const escalated = newEvent('TicketEscalated', { fromTier: 'L1', toTier: 'L3' });
        await store.append('ticket-1', [opened], 'no_stream');
        await store.append('ticket-1', [escalated], 1);

        const stored = await store.readStream('ticket-1');

        expect(stored).toEqual([
          expect.objectContaining({ ...opened, streamId: 'ticket-1', version: 1 }),
          expect.objectContaining({ ...escalated, streamId: 'ticket-1', version: 2 }),
        ]);
      });

      it('reads a stream that does not exist as empty', async () => {
        expect(await store.readStream('ticket-unknown')).toEqual([]);
      });

      it('returns only the events of the named stream', async () => {
        await store.append('ticket-1', events(1), 'no_stream');
        await store.append('ticket-10', events(2), 'no_stream');
        await store.append('ticket-1', events(1), 1);

        const stored = await store.readStream('ticket-1');

        expect(stored.map((event) => [event.streamId, event.version])).toEqual([
          ['ticket-1', 1],
          ['ticket-1', 2],
        ]);
      });
    });

    describe('readStream of a range', () => {
      const versions = (events: RecordedEvent[]) => events.map((event) => event.version);

      it('reads the events after the given version', async () => {
        await store.append('ticket-1', events(5), 'no_stream');

        expect(versions(await store.readStream('ticket-1', { after: 2 }))).toEqual([3, 4, 5]);
      });

      it('reads at most limit events', async () => {
        await store.append('ticket-1', events(5), 'no_stream');

        expect(versions(await store.readStream('ticket-1', { limit: 2 }))).toEqual([1, 2]);
        expect(versions(await store.readStream('ticket-1', { after: 3, limit: 1 }))).toEqual([4]);
      });

      it('gives the events of a range with their data, as a whole read does', async () => {
        await store.append('ticket-1', events(4), 'no_stream');
        const whole = await store.readStream('ticket-1');

        expect(await store.readStream('ticket-1', { after: 1, limit: 2 })).toEqual(
          whole.slice(1, 3),
        );
      });

      it('pages through a stream without gaps or repeats', async () => {
        await store.append('ticket-1', events(3), 'no_stream');
        await store.append('ticket-2', events(2), 'no_stream');
        await store.append('ticket-1', events(4), 3);
        const seen: number[] = [];
        let after = 0;

        for (;;) {
          const page = await store.readStream('ticket-1', { after, limit: 3 });
          if (page.length === 0) break;
          expect(page.every((event) => event.streamId === 'ticket-1')).toBe(true);
          seen.push(...versions(page));
          after = nth(page, -1).version;
        }

        expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
      });

      it('reads nothing after the last version, and nothing of a limit of 0', async () => {
        await store.append('ticket-1', events(2), 'no_stream');

        expect(await store.readStream('ticket-1', { after: 2 })).toEqual([]);
        expect(await store.readStream('ticket-1', { after: 50, limit: 10 })).toEqual([]);
        expect(await store.readStream('ticket-1', { limit: 0 })).toEqual([]);
      });

      it('reads a range of a stream that does not exist as empty', async () => {
        expect(await store.readStream('ticket-unknown', { after: 1, limit: 10 })).toEqual([]);
      });

      it.each([{ after: -1 }, { after: 1.5 }, { limit: -1 }, { limit: 2.5 }])(
        'rejects %j',
        async (range) => {
          await store.append('ticket-1', events(2), 'no_stream');

          await expect(store.readStream('ticket-1', range)).rejects.toBeInstanceOf(RangeError);
        },
      );
    });

    describe('readAll', () => {
      async function appendInterleaved(): Promise<void> {
        await store.append('ticket-a', [newEvent('A1')], 'no_stream');
        await store.append('ticket-b', [newEvent('B1'), newEvent('B2')], 'no_stream');
        await store.append('ticket-a', [newEvent('A2')], 1);
        await store.append('ticket-c', [newEvent('C1')], 'no_stream');
      }

      it('returns the events of all streams in append order', async () => {
        await appendInterleaved();

        const log = await store.readAll({ limit: 100 });

        expect(log.map((event) => event.type)).toEqual(['A1', 'B1', 'B2', 'A2', 'C1']);
      });

      it('reads an empty log as empty', async () => {
        expect(await store.readAll({ limit: 100 })).toEqual([]);
      });

      it('returns at most limit events', async () => {
        await appendInterleaved();

        const page = await store.readAll({ limit: 2 });

        expect(page.map((event) => event.type)).toEqual(['A1', 'B1']);
      });

      it('continues after the given position', async () => {
        await appendInterleaved();
        const second = nth(await store.readAll({ limit: 2 }), 1);

        const rest = await store.readAll({ after: second.position, limit: 100 });

        expect(rest.map((event) => event.type)).toEqual(['B2', 'A2', 'C1']);
      });

      it('pages through the whole log without gaps or repeats', async () => {
        await appendInterleaved();
        const seen: string[] = [];
        let after: string | undefined;

        for (;;) {
          const page: RecordedEvent[] = await store.readAll({ after, limit: 2 });
          if (page.length === 0) break;
          seen.push(...page.map((event) => event.type));
          after = nth(page, -1).position;
        }

        expect(seen).toEqual(['A1', 'B1', 'B2', 'A2', 'C1']);
      });

      it('returns nothing after the head position', async () => {
        await appendInterleaved();
        const head = await store.headPosition();

        expect(await store.readAll({ after: head, limit: 100 })).toEqual([]);
      });

      it('rejects a position it could not have issued', async () => {
        await expect(store.readAll({ after: 'not-a-position', limit: 10 })).rejects.toBeInstanceOf(
          InvalidPositionError,
        );
      });
    });

    describe('positions', () => {
      it('issues valid positions that compare in log order', async () => {
        await store.append('ticket-a', events(2), 'no_stream');
        await store.append('ticket-b', events(2), 'no_stream');
        await store.append('ticket-a', events(1), 2);

        const positions = (await store.readAll({ limit: 100 })).map((event) => event.position);

        expect(positions).toHaveLength(5);
        for (const position of positions) expect(store.isValidPosition(position)).toBe(true);
        for (let index = 1; index < positions.length; index++) {
          const earlier = nth(positions, index - 1);
          const later = nth(positions, index);
          expect(store.comparePositions(earlier, later)).toBeLessThan(0);
          expect(store.comparePositions(later, earlier)).toBeGreaterThan(0);
        }
      });

      it('puts its origin before every event', async () => {
        const { position } = await store.append('ticket-a', events(1), 'no_stream');

        expect(store.isValidPosition(store.origin)).toBe(true);
        expect(store.comparePositions(store.origin, position)).toBeLessThan(0);
        expect(await store.readAll({ after: store.origin, limit: 10 })).toHaveLength(1);
      });

      it('compares a position equal to itself', async () => {
        const { position } = await store.append('ticket-1', events(1), 'no_stream');

        expect(store.comparePositions(position, position)).toBe(0);
      });

      it.each(['abc', '-1', '01', '1.5', '', ' 1', '1 ', '+1', '1e3'])(
        'rejects %j as a position',
        (garbage) => {
          expect(store.isValidPosition(garbage)).toBe(false);
        },
      );

      it('refuses to compare a position it could not have issued', async () => {
        const { position } = await store.append('ticket-1', events(1), 'no_stream');

        expect(() => store.comparePositions(position, 'abc')).toThrow(InvalidPositionError);
        expect(() => store.comparePositions('-1', position)).toThrow(InvalidPositionError);
      });
    });

    describe('headPosition', () => {
      it('is undefined for an empty log', async () => {
        expect(await store.headPosition()).toBeUndefined();
      });

      it('is the position of the newest event', async () => {
        await store.append('ticket-a', events(2), 'no_stream');
        const newest = await store.append('ticket-b', events(1), 'no_stream');

        expect(await store.headPosition()).toBe(newest.position);
      });
    });

    describe('onAppended', () => {
      it('notifies a listener after an append', async () => {
        const notified = nextCall((listener) => store.onAppended(listener));

        await store.append('ticket-1', events(1), 'no_stream');

        await expect(notified).resolves.toBeUndefined();
      });

      it('stops notifying after unsubscribe', async () => {
        const listener = jest.fn();
        const unsubscribe = store.onAppended(listener);
        await store.append('ticket-1', events(1), 'no_stream');
        await settle();
        const callsBefore = listener.mock.calls.length;

        unsubscribe();
        await store.append('ticket-1', events(1), 1);
        await settle();

        expect(callsBefore).toBeGreaterThan(0);
        expect(listener).toHaveBeenCalledTimes(callsBefore);
      });

      it('keeps working when a listener throws', async () => {
        const unsubscribeBroken = store.onAppended(() => {
          throw new Error('listener bug');
        });
        const notified = nextCall((listener) => store.onAppended(listener));

        await store.append('ticket-1', events(1), 'no_stream');
        await notified;
        unsubscribeBroken();
        const next = await store.append('ticket-1', events(1), 1);

        expect(next.version).toBe(2);
      });
    });

    describe('close', () => {
      it('keeps appended events across close and reopen', async () => {
        expect(harness.reopen).toBeDefined();
        await store.append('ticket-1', events(2), 'no_stream');
        const last = await store.append('ticket-2', events(1), 'no_stream');
        await store.close();

        const reopened = await harness.reopen!();

        expect((await reopened.readStream('ticket-1')).map((event) => event.version)).toEqual([
          1, 2,
        ]);
        expect(await reopened.headPosition()).toBe(last.position);
        expect((await reopened.append('ticket-1', events(1), 2)).version).toBe(3);
      });

      it('writes appends issued just before close', async () => {
        expect(harness.reopen).toBeDefined();
        const pending = store.append('ticket-1', events(1), 'no_stream');
        await store.close();
        await expect(pending).resolves.toMatchObject({ version: 1 });

        const reopened = await harness.reopen!();

        expect(await reopened.readStream('ticket-1')).toHaveLength(1);
      });

      it('rejects an append after close', async () => {
        await store.close();

        await expect(store.append('ticket-1', events(1), 'no_stream')).rejects.toThrow(Error);
      });
    });

    describe('chain', () => {
      const GENESIS = '0'.repeat(64);

      it('answers the origin and the genesis hash as the head of an empty log, and verifies it', async () => {
        expect(await store.chain.head()).toEqual({
          position: store.origin,
          hash: GENESIS,
          at: null,
        });
        expect(await store.chain.verify({ position: store.origin, hash: GENESIS })).toEqual({
          ok: true,
          eventsChecked: 0,
        });
      });

      it('verifies the log as appended, and the head it answered after later appends', async () => {
        await store.append('ticket-1', events(2), 'no_stream');
        await store.append('ticket-2', events(1), 'no_stream');
        // A store whose chain is sealed gives the newest seal as its head.
        await store.chain.seal?.(new Date().toISOString());
        const head = await store.chain.head();
        await store.append('ticket-1', events(1), 2);

        expect(head.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(await store.chain.verify()).toEqual({ ok: true, eventsChecked: 4 });
        expect(await store.chain.verify({ position: head.position, hash: head.hash! })).toEqual({
          ok: true,
          eventsChecked: 4,
        });
      });

      it('reads events with the metadata they were appended with, whatever the chain keeps', async () => {
        const appended = events(2);
        await store.append('ticket-1', appended, 'no_stream');

        const read = [
          ...(await store.readStream('ticket-1')),
          ...(await store.readAll({ limit: 10 })),
        ];

        expect(read.map((event) => event.metadata)).toEqual(
          [...appended, ...appended].map((event) => event.metadata),
        );
      });

      it('refuses a receipt whose position this store never issues', async () => {
        await expect(
          store.chain.verify({ position: 'not-a-position', hash: GENESIS }),
        ).rejects.toBeInstanceOf(InvalidPositionError);
      });
    });
  });
}

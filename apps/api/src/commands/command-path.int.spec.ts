import { randomUUID } from 'node:crypto';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SqliteEventStore,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
} from '@ledger/event-store';
import type { Clock } from '../storage/clock';
import type { CommandContext } from '../tickets/command-context';
import { CommandPath } from './command-path';
import { ConcurrentModificationError, VersionMismatchError } from './command-errors';
import type { CommandObserver } from './command-observer';
import type { StreamKind } from './stream-kind';

type Count = { type: 'Count'; data: { by: number } };
type Counted = { type: 'Counted'; data: { by: number; total: number } };

/** A stream that keeps a running total: each event depends on the state it was decided on. */
const COUNTER: StreamKind<Count, Counted, number> = {
  decider: {
    initialState: () => 0,
    evolve: (_total, event) => event.data.total,
    decide: ({ data: { by } }, total) =>
      by === 0 ? [] : [{ type: 'Counted', data: { by, total: total + by } }],
  },
};

const START = Date.parse('2026-01-05T09:00:00.000Z');
let now = START;
const clock: Clock = { now: () => new Date(now) };
const config = { idempotencyTtlHours: 24 };

function counted(by: number, total: number): NewEvent {
  return {
    type: 'Counted',
    data: { by, total },
    metadata: {
      eventId: randomUUID(),
      occurredAt: clock.now().toISOString(),
      actor: 'another-process',
      correlationId: randomUUID(),
      causationId: randomUUID(),
      schemaVersion: 1,
    },
  };
}

function context(extra: Partial<CommandContext> = {}): CommandContext {
  return {
    actor: 'ana',
    actorRoles: ['agent'],
    correlationId: randomUUID(),
    commandId: randomUUID(),
    ...extra,
  };
}

const count = (by: number): Count => ({ type: 'Count', data: { by } });

/**
 * The real store, where another process appends to the stream just before
 * each of the next `rivalAppends` appends of the path.
 */
class RacedEventStore implements EventStore {
  constructor(
    private readonly store: EventStore,
    public rivalAppends = 0,
  ) {}

  get origin() {
    return this.store.origin;
  }

  get chain() {
    return this.store.chain;
  }

  async append(streamId: string, events: NewEvent[], expected: ExpectedVersion) {
    if (this.rivalAppends > 0) {
      this.rivalAppends -= 1;
      const last = (await this.store.readStream(streamId)).at(-1)?.data as Counted['data'];
      await this.store.append(streamId, [counted(10, (last?.total ?? 0) + 10)], 'any');
    }
    return this.store.append(streamId, events, expected);
  }

  readStream(streamId: string) {
    return this.store.readStream(streamId);
  }
  readAll(options: Parameters<EventStore['readAll']>[0]) {
    return this.store.readAll(options);
  }
  headPosition() {
    return this.store.headPosition();
  }
  onAppended(listener: () => void) {
    return this.store.onAppended(listener);
  }
  comparePositions(a: string, b: string) {
    return this.store.comparePositions(a, b);
  }
  isValidPosition(position: string) {
    return this.store.isValidPosition(position);
  }
  close() {
    return this.store.close();
  }
}

describe('the command path', () => {
  let dir: string;
  let store: SqliteEventStore;
  let events: RacedEventStore;
  let path: CommandPath;
  const stream = 'counter-1';

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-command-path-'));
    store = SqliteEventStore.open(join(dir, 'events.sqlite'));
    events = new RacedEventStore(store);
    now = START;
    path = new CommandPath(events, clock, config);
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const totals = async () =>
    (await store.readStream(stream)).map((event) => (event.data as Counted['data']).total);

  it('decides again on the new state when another writer appended first', async () => {
    events.rivalAppends = 1;

    const outcome = await path.execute(COUNTER, stream, count(1), context());

    expect(outcome).toMatchObject({ version: 2, state: 11 });
    expect(await totals()).toEqual([10, 11]);
  });

  it('with snapshots, does not trust a remembered state another process has moved past', async () => {
    const kind = { ...COUNTER, snapshots: true };
    await path.execute(kind, stream, count(1), context());
    await store.append(stream, [counted(10, 11)], 1);

    const outcome = await path.execute(kind, stream, count(1), context());

    expect(outcome).toMatchObject({ version: 3, state: 12 });
    expect(await totals()).toEqual([1, 11, 12]);
  });

  it('gives up with CONCURRENT_MODIFICATION when other writers keep getting in first', async () => {
    events.rivalAppends = Infinity;

    const refused = path.execute(COUNTER, stream, count(1), context());

    await expect(refused).rejects.toThrow(ConcurrentModificationError);
    await expect(refused).rejects.toMatchObject({ code: 'CONCURRENT_MODIFICATION' });
  });

  it('refuses a command conditional on another version with VERSION_MISMATCH, appending nothing', async () => {
    await path.execute(COUNTER, stream, count(1), context());

    const refused = path.execute(COUNTER, stream, count(1), context({ expectedVersion: 0 }));

    await expect(refused).rejects.toThrow(VersionMismatchError);
    await expect(refused).rejects.toMatchObject({ code: 'VERSION_MISMATCH', actual: 1 });
    expect(await totals()).toEqual([1]);
  });

  it('refuses a conditional command with VERSION_MISMATCH when another writer got in between', async () => {
    events.rivalAppends = 1;

    const refused = path.execute(COUNTER, stream, count(1), context({ expectedVersion: 0 }));

    await expect(refused).rejects.toMatchObject({ code: 'VERSION_MISMATCH', actual: 1 });
    expect(await totals()).toEqual([10]);
  });

  describe('a command whose Idempotency-Key is in the stream', () => {
    const keyed = context({
      idempotency: { key: 'count-once', route: 'POST /v1/counters/:id', requestHash: 'h' },
    });
    // Another process, or this one after a restart: only the stream remembers the key.
    const restarted = () => new CommandPath(store, clock, config);

    it('is answered with its first result', async () => {
      const first = await path.execute(COUNTER, stream, count(1), keyed);
      await path.execute(COUNTER, stream, count(1), context());

      const again = await restarted().execute(COUNTER, stream, count(1), keyed);

      expect(again).toMatchObject({ version: first.version, position: first.position });
      expect(await totals()).toEqual([1, 2]);
    });

    it('is decided anew once the key has expired', async () => {
      await path.execute(COUNTER, stream, count(1), keyed);
      now += 24 * 3_600_000;

      const again = await restarted().execute(COUNTER, stream, count(1), keyed);

      expect(again).toMatchObject({ version: 2, state: 2 });
    });
  });

  it('decides a command that starts a stream again on the stream as stored', async () => {
    const kind = { ...COUNTER, startsStream: () => true };
    await store.append(stream, [counted(10, 10)], 'no_stream');

    const outcome = await path.execute(kind, stream, count(1), context());

    expect(outcome).toMatchObject({ version: 2, state: 11 });
  });

  describe('its observer', () => {
    /** What the observer was told, in order: each command and append as it ended. */
    let told: string[];
    const recording: CommandObserver = {
      async command(command, work) {
        try {
          const result = await work();
          told.push(`${command.type} accepted`);
          return result;
        } catch (error) {
          told.push(`${command.type} ${(error as { code?: string }).code ?? 'failed'}`);
          throw error;
        }
      },
      async append(append, work) {
        try {
          const result = await work();
          told.push(`append ${append.events.length} to ${append.streamId}`);
          return result;
        } catch (error) {
          told.push(`append ${(error as Error).name}`);
          throw error;
        }
      },
    };

    beforeEach(() => {
      told = [];
      path = new CommandPath(events, clock, config, recording);
    });

    it('runs each command and each append through it, conflicts and refusals included', async () => {
      events.rivalAppends = 1;
      await path.execute(COUNTER, stream, count(1), context());
      await path.execute(COUNTER, stream, count(0), context());
      await expect(
        path.execute(COUNTER, stream, count(1), context({ expectedVersion: 0 })),
      ).rejects.toThrow(VersionMismatchError);

      expect(told).toEqual([
        'append ConcurrencyConflictError',
        'append 1 to counter-1',
        'Count accepted',
        'Count accepted',
        'Count VERSION_MISMATCH',
      ]);
    });
  });
});

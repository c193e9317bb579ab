import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { customerStreamId, ERASED, ticketStreamId } from '@ledger/domain';
import { SqliteEventStore, type AppendResult } from '@ledger/event-store';
import { SqliteReadStore } from '@ledger/read-store';
import { queuesProjection } from '../queues/queues.projection';
import { ticketViewProjection } from '../ticket-view/ticket-view.projection';
import { DelayedEventStore } from '../../../test/support/delayed-event-store';
import { testMetadata, ticketOpened } from '../../../test/support/test-events';
import { ProjectionDaemon } from './projection-daemon';
import { ProjectionRunner } from './projection-runner';

function appendOpened(events: SqliteEventStore, index: number) {
  const event = ticketOpened(`t-${index}`);
  return events.append(
    ticketStreamId(event.data.ticketId),
    [
      {
        ...event,
        metadata: testMetadata({ eventId: `e-${index}` }),
      },
    ],
    'no_stream',
  );
}

/** Counts the commits of a real SQLite read store. */
function countingCommits(readStore: SqliteReadStore): { commits: number } {
  const counter = { commits: 0 };
  const commit = readStore.commit.bind(readStore);
  readStore.commit = (...args) => {
    counter.commits++;
    return commit(...args);
  };
  return counter;
}

let dir: string;
let events: SqliteEventStore;
let readStore: SqliteReadStore;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
  events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
  readStore = SqliteReadStore.open(join(dir, 'ledger.sqlite'));
  for (let index = 0; index < 6; index++) await appendOpened(events, index);
});

afterEach(async () => {
  await readStore.close();
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('following the log', () => {
  it('applies the appends of one interval together, in one commit', async () => {
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection, {
      followIntervalMs: 200,
    });
    await runner.start();
    const counter = countingCommits(readStore);

    let last: AppendResult | undefined;
    for (let index = 6; index < 16; index++) last = await appendOpened(events, index);
    while (runner.position !== last!.position) await new Promise((r) => setTimeout(r, 5));

    expect(counter.commits).toBeLessThanOrEqual(2);
    expect(await readStore.getTicket('t-15')).toMatchObject({ ticketId: 't-15' });
    await runner.stop();
  });

  it('does not make a waiting reader wait for the interval', async () => {
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection, {
      followIntervalMs: 60_000,
    });
    await runner.start();
    await appendOpened(events, 6);
    const { position } = await appendOpened(events, 7);

    const started = Date.now();
    expect(await runner.waitFor(position, 10_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    await runner.stop();
  });

  it('brings every read model to the head, append after append', async () => {
    const daemon = new ProjectionDaemon(events, readStore, { followIntervalMs: 0 });
    await daemon.start();

    let last: AppendResult | undefined;
    for (let index = 6; index < 30; index++) {
      last = await appendOpened(events, index);
      if (index % 3 === 0) await new Promise((r) => setImmediate(r));
    }
    const head = last!.position;
    const deadline = Date.now() + 5_000;
    while (daemon.report().some((p) => p.position !== head) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }

    expect(daemon.report().map((p) => [p.name, p.position])).toEqual(
      daemon.report().map((p) => [p.name, head]),
    );
    await daemon.stop();
  });

  it('brings every read model to an append that landed while the head of the log was being read', async () => {
    const head = await events.headPosition();
    const delayed = new DelayedEventStore(events);
    const daemon = new ProjectionDaemon(delayed, readStore, { batchSize: 3, followIntervalMs: 0 });

    // Every runner reads the head once it has caught up; the answers arrive after an append.
    const held = delayed.hold('readAll', ({ after }) => after === head);
    const starting = daemon.start();
    await held.answered(daemon.report().length);
    const { position } = await appendOpened(events, 6);
    held.release();
    await starting;
    const deadline = Date.now() + 2_000;
    while (daemon.report().some((p) => p.position !== position) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }

    expect(daemon.report().map((p) => [p.name, p.position])).toEqual(
      daemon.report().map((p) => [p.name, position]),
    );
    expect(await readStore.getTicket('t-6')).toMatchObject({ ticketId: 't-6' });
    await daemon.stop();
  });
});

describe('a projection rebuild', () => {
  it('lets other work run between its batches, so the API keeps answering', async () => {
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection, { batchSize: 2 });
    await runner.start();

    runner.startRebuild();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runner.status).toBe('rebuilding');

    while (runner.status !== 'live') await new Promise((resolve) => setImmediate(resolve));
    expect(runner.position).toBe(await events.headPosition());
    expect(await readStore.getTicket('t-5')).toMatchObject({ ticketId: 't-5', version: 1 });
    await runner.stop();
  });

  it('is started once when asked for twice in a row, before its generation exists', async () => {
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection);
    await runner.start();

    expect([runner.startRebuild(), runner.startRebuild()]).toEqual(['started', 'rebuilding']);

    while (runner.rebuilding) await new Promise((resolve) => setImmediate(resolve));
    await runner.stop();
  });

  it('has ended when its runner has stopped, so the next runner can discard its generation safely', async () => {
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection, { batchSize: 1 });
    await runner.start();
    runner.startRebuild();
    await new Promise((resolve) => setImmediate(resolve));

    await runner.stop();

    expect(runner.rebuilding).toBe(false);
    const next = new ProjectionRunner(events, readStore, ticketViewProjection);
    await next.start();
    expect((await readStore.registration('ticket-view')).building).toBeUndefined();
    await next.stop();
  });

  it('is not started again until the log has moved', async () => {
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection);
    await runner.start();
    runner.startRebuild();
    while (runner.rebuilding) await new Promise((resolve) => setImmediate(resolve));

    expect(runner.startRebuild()).toBe('unchanged');
    await appendOpened(events, 6);
    expect(runner.startRebuild()).toBe('started');

    while (runner.rebuilding) await new Promise((resolve) => setImmediate(resolve));
    expect(await readStore.getTicket('t-6')).toMatchObject({ ticketId: 't-6' });
    await runner.stop();
  });
});

describe('a read model rebuilt by another process', () => {
  it('is followed from its checkpoint by the runner that served the generation it replaced', async () => {
    const serving = new ProjectionRunner(events, readStore, ticketViewProjection, {
      followIntervalMs: 0,
      retryDelayMs: 60_000,
    });
    await serving.start();
    try {
      await rebuildElsewhere();
      const { position } = await appendOpened(events, 6);

      expect(await serving.waitFor(position, 5_000)).toBe(true);
      expect(await readStore.getTicket('t-6')).toMatchObject({ ticketId: 't-6' });
      expect(serving.status).toBe('live');
    } finally {
      await serving.stop();
    }
  });
});

async function rebuildElsewhere(): Promise<void> {
  // Another process (the `ledger rebuild` command) with its own connection: it
  // builds a new generation and swaps it in, dropping the one `serving` writes.
  const otherReadStore = SqliteReadStore.open(join(dir, 'ledger.sqlite'));
  const rebuilder = new ProjectionRunner(events, otherReadStore, ticketViewProjection);
  rebuilder.startRebuild();
  await rebuilder.rebuilt();
  await rebuilder.stop();
  await otherReadStore.close();
}

describe('a customer’s erasure', () => {
  /** t-0 … t-5 are customer c-1's; t-9 is c-2's. */
  async function appendErasure(customerId: string) {
    return events.append(
      customerStreamId(customerId),
      [{ type: 'CustomerErased', data: { customerId }, metadata: testMetadata() }],
      'no_stream',
    );
  }

  async function appendOtherCustomers() {
    const other = ticketOpened('t-9');
    const opening = {
      ...other,
      data: { ...other.data, customer: { id: 'c-2', name: 'Bo', tier: 'vip' as const } },
    };
    await events.append(
      ticketStreamId('t-9'),
      [{ ...opening, metadata: testMetadata() }],
      'no_stream',
    );
  }

  it.each([
    ['held in memory', 5_000],
    ['read back from the store', 0],
  ])(
    'rewrites the documents of every ticket of the customer, %s, and no other',
    async (_where, cachedDocuments) => {
      await appendOtherCustomers();
      const runners = [ticketViewProjection, queuesProjection].map(
        (projection) => new ProjectionRunner(events, readStore, projection, { cachedDocuments }),
      );
      for (const runner of runners) await runner.start();

      const { position } = await appendErasure('c-1');
      for (const runner of runners) expect(await runner.waitFor(position, 5_000)).toBe(true);

      for (const id of ['t-0', 't-5']) {
        expect(await readStore.getTicket(id)).toMatchObject({
          subject: ERASED,
          description: ERASED,
          customer: { id: 'c-1', tier: 'standard' },
          category: 'account',
        });
      }
      expect(await readStore.getTicket('t-9')).toMatchObject({
        subject: 'Cannot log in',
        customer: { id: 'c-2', name: 'Bo' },
      });
      const queue = await readStore.queue({ tier: 'L1', limit: 10 });
      expect(queue.map((ticket) => [ticket.ticketId, ticket.subject])).toEqual([
        ['t-9', 'Cannot log in'],
        ...['t-0', 't-1', 't-2', 't-3', 't-4', 't-5'].map((id) => [id, ERASED]),
      ]);
      for (const runner of runners) await runner.stop();
    },
  );

  it('is applied in its place in a batch: the tickets opened before it, not after', async () => {
    await appendErasure('c-1');
    await appendOpened(events, 6);
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection);

    await runner.start();

    expect((await readStore.getTicket('t-5'))?.subject).toBe(ERASED);
    expect((await readStore.getTicket('t-6'))?.subject).toBe('Cannot log in');
    await runner.stop();
  });
});

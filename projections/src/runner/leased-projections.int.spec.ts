import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ticketStreamId } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { PROJECTION_NAMES, SqliteReadStore } from '@ledger/read-store';
import { testMetadata, ticketOpened } from '../../../test/support/test-events';
import { LeasedProjections } from './leased-projections';

let dir: string;
let events: SqliteEventStore;
let stores: SqliteReadStore[];

/** A read store of its own for each projector, on the same file, as two processes would have. */
function readStore(): SqliteReadStore {
  const store = SqliteReadStore.open(join(dir, 'ledger.sqlite'));
  stores.push(store);
  return store;
}

function projector(
  holder: string,
  options: Partial<ConstructorParameters<typeof LeasedProjections>[2]> = {},
): LeasedProjections {
  return new LeasedProjections(events, readStore(), {
    holder,
    leaseTtlMs: 300,
    renewEveryMs: 50,
    ...options,
  });
}

async function open(ticketId: string): Promise<string> {
  const { position } = await events.append(
    ticketStreamId(ticketId),
    [
      {
        ...ticketOpened(ticketId),
        metadata: testMetadata(),
      },
    ],
    'no_stream',
  );
  return position;
}

async function eventually(check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not within time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'leased-projections-'));
  events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
  stores = [];
});

afterEach(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('projections under leases', () => {
  it('has exactly one projector write each read model', async () => {
    const first = projector('first');
    const second = projector('second');
    await first.start();
    await second.start();
    await new Promise((resolve) => setTimeout(resolve, 200));

    const writers = [...first.report(), ...second.report()].filter((report) => report.held);

    expect(writers.map((report) => report.name).sort()).toEqual([...PROJECTION_NAMES].sort());
    await first.stop();
    await second.stop();
  });

  it('hands every read model to the other projector when the writer stops, from its checkpoint', async () => {
    const first = projector('first');
    const second = projector('second');
    await first.start();
    await second.start();
    await open('t-1');
    await first.stop();
    const head = await open('t-2');

    await eventually(() => second.report().every((r) => r.held && r.position === head));
    expect(await stores[1]?.getTicket('t-2')).toMatchObject({ ticketId: 't-2' });
    expect(await stores[1]?.getTicket('t-1')).toMatchObject({ ticketId: 't-1' });
    await second.stop();
  });

  it('keeps renewing its leases while a read model catches up for longer than a lease lasts', async () => {
    for (let index = 0; index < 2000; index++) await open(`t-${index}`);
    const slow = {
      leaseTtlMs: 300,
      renewEveryMs: 30,
      batchSize: 1,
      maxUncommittedDocuments: 1,
      buildingDocuments: 1,
    };
    const first = projector('first', slow);
    const second = projector('second', slow);
    await first.start();
    await second.start();
    const head = await events.headPosition();

    let secondEverWrote = false;
    const started = Date.now();
    while (first.report().some((r) => r.position !== head) && Date.now() - started < 30_000) {
      secondEverWrote ||= second.report().some((r) => r.held);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    expect(first.report().map((r) => r.position)).toEqual(first.report().map(() => head));
    expect(Date.now() - started).toBeGreaterThan(300);
    expect(secondEverWrote).toBe(false);
    await first.stop();
    await second.stop();
  });
});

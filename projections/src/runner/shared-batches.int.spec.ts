import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type ReadAllOptions } from '@ledger/event-store';
import { DelayedEventStore } from '../../../test/support/delayed-event-store';
import { testMetadata } from '../../../test/support/test-events';
import { SharedBatches } from './shared-batches';

let dir: string;
let events: SqliteEventStore;
let reads: number;
let shared: SharedBatches;

async function append(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await events.append(
      `ticket-${i}-${Math.random()}`,
      [
        {
          type: 'NoteAdded',
          data: { note: 'x' },
          metadata: testMetadata(),
        },
      ],
      'no_stream',
    );
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shared-batches-'));
  events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
  reads = 0;
  shared = new SharedBatches({
    readAll: (options: ReadAllOptions) => {
      reads++;
      return events.readAll(options);
    },
  });
});

afterEach(async () => {
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('shared batches', () => {
  it('reads a full batch once for every reader', async () => {
    await append(5);

    const first = await shared.readAll({ after: '1', limit: 3 });
    const second = await shared.readAll({ after: '1', limit: 3 });

    expect(second).toBe(first);
    expect(reads).toBe(1);
  });

  it('shares the head of the log until the next append', async () => {
    await append(2);

    expect(await shared.readAll({ after: '0', limit: 10 })).toHaveLength(2);
    expect(await shared.readAll({ after: '0', limit: 10 })).toHaveLength(2);
    expect(reads).toBe(1);

    await append(1);
    shared.appended();

    expect(await shared.readAll({ after: '0', limit: 10 })).toHaveLength(3);
  });

  it('does not share as the head a read answered from before an append that landed meanwhile', async () => {
    await append(2);
    const delayed = new DelayedEventStore(events);
    const batches = new SharedBatches(delayed);
    const unsubscribe = delayed.onAppended(() => batches.appended());

    const held = delayed.hold('readAll');
    const before = batches.readAll({ after: '0', limit: 10 });
    await held.answered();
    await append(1);
    held.release();

    expect(await before).toHaveLength(2);
    expect(await batches.readAll({ after: '0', limit: 10 })).toHaveLength(3);
    unsubscribe();
  });
});

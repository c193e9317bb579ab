import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { DelayedEventStore, type ReadDelay } from '../support/delayed-event-store';
import { describeEventStoreContract } from './event-store.contract';
import { reopenableStore } from './reopenable-store';

/** 0, 1 or 2 ms in turn, so reads issued together can be answered out of order. */
function uneven(): ReadDelay {
  let calls = 0;
  return () => calls++ % 3;
}

describeEventStoreContract('SQLite with delayed reads', async () => {
  const dir = join(tmpdir(), `ledger-event-store-${randomUUID()}`);
  const file = join(dir, 'events.sqlite');
  return reopenableStore<EventStore>(
    () => new DelayedEventStore(SqliteEventStore.open(file), uneven()),
    () => rm(dir, { recursive: true, force: true }),
  );
});

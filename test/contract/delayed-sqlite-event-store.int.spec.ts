import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, SqliteEventStore } from '@ledger/event-store';
import { DelayedEventStore, type ReadDelay } from '../support/delayed-event-store';
import { describeEventStoreContract } from './event-store.contract';

/** 0, 1 or 2 ms in turn, so reads issued together can be answered out of order. */
function uneven(): ReadDelay {
  let calls = 0;
  return () => calls++ % 3;
}

describeEventStoreContract('SQLite with delayed reads', async () => {
  const dir = join(tmpdir(), `ledger-event-store-${randomUUID()}`);
  const file = join(dir, 'events.sqlite');
  const opened: EventStore[] = [new DelayedEventStore(SqliteEventStore.open(file), uneven())];
  return {
    store: opened[0],
    reopen: async () => {
      const store = new DelayedEventStore(SqliteEventStore.open(file), uneven());
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
});

import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStore, SqliteEventStore } from '@ledger/event-store';
import { describeEventStoreContract } from './event-store.contract';

describeEventStoreContract('SQLite', async () => {
  // A folder that does not exist yet, so opening also proves it is created.
  const dir = join(tmpdir(), `ledger-event-store-${randomUUID()}`);
  const file = join(dir, 'events.sqlite');
  const opened: EventStore[] = [SqliteEventStore.open(file)];
  return {
    store: opened[0],
    reopen: async () => {
      const store = SqliteEventStore.open(file);
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
});

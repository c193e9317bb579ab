import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { describeEventStoreContract } from './event-store.contract';
import { reopenableStore } from './reopenable-store';

describeEventStoreContract('SQLite', async () => {
  // A folder that does not exist yet, so opening also proves it is created.
  const dir = join(tmpdir(), `ledger-event-store-${randomUUID()}`);
  const file = join(dir, 'events.sqlite');
  return reopenableStore<EventStore>(
    () => SqliteEventStore.open(file),
    () => rm(dir, { recursive: true, force: true }),
  );
});

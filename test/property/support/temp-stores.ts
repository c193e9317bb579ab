import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '@ledger/event-store';
import { MongoReadStore, SqliteReadStore, type ReadStore } from '@ledger/read-store';

/** The read-store adapters this run can reach: SQLite always, MongoDB when MONGO_URL is set. */
export const READ_STORE_ADAPTERS: readonly ('sqlite' | 'mongo')[] = process.env.MONGO_URL
  ? ['sqlite', 'mongo']
  : ['sqlite'];

export type ReadStoreAdapter = (typeof READ_STORE_ADAPTERS)[number];

/** A log and read store in a temp folder, laid out as the API keeps them: one file. */
export interface TempStores {
  events: SqliteEventStore;
  readStore: ReadStore;
  /** Another read store of the same adapter, empty, for read models built from zero. */
  openFreshReadStore(): Promise<ReadStore>;
  cleanup(): Promise<void>;
}

export async function openTempStores(adapter: ReadStoreAdapter = 'sqlite'): Promise<TempStores> {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-property-'));
  const file = join(dir, 'ledger.sqlite');
  const events = SqliteEventStore.open(file);
  const databases: string[] = [];
  const open = async (index: number): Promise<ReadStore> => {
    if (adapter === 'sqlite') {
      return SqliteReadStore.open(index === 0 ? file : join(dir, `fresh-${index}.sqlite`));
    }
    const database = `ledger_property_${randomUUID().replace(/-/g, '')}`;
    databases.push(database);
    return MongoReadStore.connect(process.env.MONGO_URL!, { database });
  };
  const readStore = await open(0);
  const extra: ReadStore[] = [];
  return {
    events,
    readStore,
    async openFreshReadStore() {
      const store = await open(extra.length + 1);
      extra.push(store);
      return store;
    },
    async cleanup() {
      for (const store of extra) await store.close();
      await readStore.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
      if (databases.length > 0) {
        const client = await MongoClient.connect(process.env.MONGO_URL!);
        for (const database of databases) await client.db(database).dropDatabase();
        await client.close();
      }
    },
  };
}

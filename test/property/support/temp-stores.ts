import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { SqliteEventStore } from '@ledger/event-store';
import { MongoReadStore, SqliteReadStore, type ReadStore } from '@ledger/read-store';
import { describeUnless } from '../../support/describe-unless';

export type ReadStoreAdapter = 'sqlite' | 'mongo';

/** Every read-store adapter, with why this run cannot reach it, if it cannot. */
export const READ_STORE_ADAPTERS: readonly { adapter: ReadStoreAdapter; skipReason?: string }[] = [
  { adapter: 'sqlite' },
  { adapter: 'mongo', skipReason: process.env.MONGO_URL ? undefined : 'MONGO_URL is not set' },
];

/**
 * `describe` for each adapter: skipped, and saying why, for one this run
 * cannot reach (a skipped suite is otherwise only a count in the summary).
 */
export function describeForEachReadStore(
  title: string,
  body: (adapter: ReadStoreAdapter) => void,
): void {
  for (const { adapter, skipReason } of READ_STORE_ADAPTERS) {
    describeUnless(skipReason, `${title} (${adapter} read store)`, () => body(adapter));
  }
}

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

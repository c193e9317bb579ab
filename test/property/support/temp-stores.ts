import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { SqliteReadStore } from '@ledger/read-store';

/** A log and read store in a temp folder, laid out as the API keeps them: one file. */
export interface TempStores {
  events: SqliteEventStore;
  readStore: SqliteReadStore;
  /** Another read store on a file of its own, for read models built from zero. */
  openFreshReadStore(): SqliteReadStore;
  cleanup(): Promise<void>;
}

export function openTempStores(): TempStores {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-property-'));
  const file = join(dir, 'ledger.sqlite');
  const events = SqliteEventStore.open(file);
  const readStore = SqliteReadStore.open(file);
  const extra: SqliteReadStore[] = [];
  return {
    events,
    readStore,
    openFreshReadStore() {
      const store = SqliteReadStore.open(join(dir, `fresh-${extra.length}.sqlite`));
      extra.push(store);
      return store;
    },
    async cleanup() {
      for (const store of extra) await store.close();
      await readStore.close();
      await events.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

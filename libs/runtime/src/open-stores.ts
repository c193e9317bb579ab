import { EsdbEventStore, SqliteEventStore, type EventStore } from '@ledger/event-store';
import { MongoReadStore, SqliteReadStore, type ReadStore } from '@ledger/read-store';
import { join } from 'node:path';
import type { AppConfig } from './config/app-config';

/** The embedded stores' file under DATA_DIR: the log (unless in EventStoreDB) and the read models. */
export const DATABASE_FILE = 'ledger.sqlite';

export function databaseFile(config: AppConfig): string {
  return join(config.dataDir, DATABASE_FILE);
}

export function openEventStore(config: AppConfig): EventStore {
  return config.eventStore === 'esdb'
    ? EsdbEventStore.connect(config.eventStoreUrl!)
    : SqliteEventStore.open(databaseFile(config));
}

export async function openReadStore(config: AppConfig): Promise<ReadStore> {
  return config.readStore === 'mongo'
    ? MongoReadStore.connect(config.mongoUrl!)
    : SqliteReadStore.open(databaseFile(config));
}

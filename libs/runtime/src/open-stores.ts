import {
  EsdbEventStore,
  SqliteEventStore,
  UnsupportedServerError,
  type EventStore,
} from '@ledger/event-store';
import {
  MongoReadStore,
  NoTransactionsError,
  SqliteReadStore,
  type ReadStore,
} from '@ledger/read-store';
import { join } from 'node:path';
import { ConfigError, type AppConfig } from './config/app-config';

/** The embedded stores' file under DATA_DIR: the log (unless in EventStoreDB) and the read models. */
export const DATABASE_FILE = 'ledger.sqlite';

const REACH_TIMEOUT_MS = 10_000;

export function databaseFile(config: AppConfig): string {
  return join(config.dataDir, DATABASE_FILE);
}

export interface Stores {
  events: EventStore;
  readStore: ReadStore;
}

/**
 * Opens the configured stores, reaching every server before the process goes
 * on, so a wrong or unreachable URL stops it with one line (a ConfigError)
 * naming its variable instead of failing at the first request.
 */
export async function openStores(config: AppConfig): Promise<Stores> {
  const events = await openEventStore(config);
  try {
    return { events, readStore: await openReadStore(config) };
  } catch (error) {
    await events.close();
    throw error;
  }
}

async function openEventStore(config: AppConfig): Promise<EventStore> {
  if (config.eventStore !== 'esdb') return SqliteEventStore.open(databaseFile(config));
  const url = config.eventStoreUrl!;
  let store: EsdbEventStore;
  try {
    store = EsdbEventStore.connect(url);
  } catch (error) {
    throw new ConfigError(`EVENTSTORE_URL=${url} is not an EventStoreDB URL: ${reason(error)}`);
  }
  try {
    await withTimeout(store.ping(), REACH_TIMEOUT_MS);
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    if (error instanceof UnsupportedServerError) {
      throw new ConfigError(`EVENTSTORE_URL=${url} ${error.message}`);
    }
    throw new ConfigError(`EVENTSTORE_URL=${url} cannot be reached: ${reason(error)}`);
  }
}

async function openReadStore(config: AppConfig): Promise<ReadStore> {
  if (config.readStore !== 'mongo') return SqliteReadStore.open(databaseFile(config));
  const url = config.mongoUrl!;
  try {
    return await MongoReadStore.connect(url, {
      database: config.mongoDatabase!,
      serverSelectionTimeoutMs: REACH_TIMEOUT_MS,
    });
  } catch (error) {
    if (error instanceof NoTransactionsError)
      throw new ConfigError(`MONGO_URL=${url} ${error.message}`);
    throw new ConfigError(`MONGO_URL=${url} cannot be reached: ${reason(error)}`);
  }
}

/** `work`, or a rejection once `ms` have passed without its answer. */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0];
}

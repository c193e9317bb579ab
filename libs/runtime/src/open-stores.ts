import { isCustomerErased } from '@ledger/domain';
import {
  EsdbEventStore,
  RecentEvents,
  SqliteEventStore,
  UnsupportedServerError,
  type EventStore,
} from '@ledger/event-store';
import {
  customerKeyId,
  KeyRing,
  MasterKeyMismatchError,
  MongoKeyStore,
  PersonalDataEventStore,
  SqliteKeyStore,
  type KeyStore,
} from '@ledger/personal-data';
import {
  MongoReadStore,
  NoTransactionsError,
  SqliteReadStore,
  type ReadStore,
} from '@ledger/read-store';
import { join } from 'node:path';
import { ConfigError, type AppConfig } from './config/app-config';
import { masterKeyOf } from './master-key-file';

/** The embedded stores' file under DATA_DIR: the log (unless in EventStoreDB) and the read models. */
export const DATABASE_FILE = 'ledger.sqlite';

const REACH_TIMEOUT_MS = 10_000;

export function databaseFile(config: AppConfig): string {
  return join(config.dataDir, DATABASE_FILE);
}

/** What erasing a customer takes besides recording it: destroying their data key. */
export interface PersonalData {
  /** Destroys the customer's data key: their personal data reads as erased from then on. */
  erase(customerId: string): Promise<void>;
  /** Where the master key came from: LEDGER_MASTER_KEY or the file under DATA_DIR. */
  readonly masterKeyOrigin: string;
  /** Whether this start generated the master key file. */
  readonly masterKeyGenerated: boolean;
}

export const PERSONAL_DATA = Symbol('PERSONAL_DATA');

export interface Stores {
  /**
   * The log, sealing personal data on append and unsealing (and upcasting)
   * it on every read; its newest events are held for the readers that follow it.
   */
  events: EventStore;
  readStore: ReadStore;
  personalData: PersonalData;
}

/**
 * Opens the configured stores, reaching every server before the process goes
 * on, so a wrong or unreachable URL stops it with one line (a ConfigError)
 * naming its variable instead of failing at the first request.
 */
export async function openStores(config: AppConfig): Promise<Stores> {
  const master = masterKeyOf(config);
  const keyStore = await openKeyStore(config);
  let keys: KeyRing;
  try {
    keys = await KeyRing.open(keyStore, master.key);
  } catch (error) {
    await keyStore.close();
    if (error instanceof MasterKeyMismatchError) {
      throw new ConfigError(`${master.origin} ${error.message}`);
    }
    throw error;
  }
  let events: EventStore;
  try {
    // Unsealed once, the newest events go to every reader that follows the log.
    // Projections elsewhere (worker, projector) read the log in their own process.
    const readsBackWhatItSeals = config.projections === 'in-process';
    const sealed = new PersonalDataEventStore(await openEventStore(config), keys, {
      readsBackWhatItSeals,
    });
    events = new RecentEvents(sealed, { dropsEarlier: isCustomerErased });
  } catch (error) {
    await keys.close();
    throw error;
  }
  try {
    return {
      events,
      readStore: await openReadStore(config),
      personalData: {
        erase: (customerId) => keys.destroy(customerKeyId(customerId)),
        masterKeyOrigin: master.origin,
        masterKeyGenerated: master.generated,
      },
    };
  } catch (error) {
    await events.close();
    throw error;
  }
}

/**
 * The data keys: beside the read models, in a table of DATA_DIR's database
 * or a MongoDB collection; never in the log's streams, whose copies go
 * wherever the log goes.
 */
async function openKeyStore(config: AppConfig): Promise<KeyStore> {
  if (config.readStore !== 'mongo') {
    // The log's appends sync the file's WAL, keys kept before them included.
    const logInFile = config.eventStore === 'sqlite';
    return SqliteKeyStore.open(databaseFile(config), {
      synchronous: logInFile ? 'NORMAL' : 'FULL',
    });
  }
  const url = config.mongoUrl!;
  try {
    return await MongoKeyStore.connect(url, {
      database: config.mongoDatabase!,
      serverSelectionTimeoutMs: REACH_TIMEOUT_MS,
    });
  } catch (error) {
    throw new ConfigError(`MONGO_URL=${url} cannot be reached: ${reason(error)}`);
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
  return message.split('\n')[0] ?? '';
}

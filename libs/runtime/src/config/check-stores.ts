import { EsdbEventStore } from '@ledger/event-store';
import { MongoReadStore } from '@ledger/read-store';
import { ConfigError, type AppConfig } from './app-config';

const REACH_TIMEOUT_MS = 10_000;

/**
 * Reaches every server the configuration names before the application starts,
 * so a wrong or unreachable URL stops the process with one line naming its
 * variable instead of failing at the first request.
 */
export async function checkStores(config: AppConfig): Promise<void> {
  if (config.eventStore === 'esdb') {
    const url = config.eventStoreUrl!;
    let store: EsdbEventStore;
    try {
      store = EsdbEventStore.connect(url);
    } catch (error) {
      throw new ConfigError(`EVENTSTORE_URL=${url} is not an EventStoreDB URL: ${reason(error)}`);
    }
    try {
      await withTimeout(store.ping(), REACH_TIMEOUT_MS);
    } catch (error) {
      throw new ConfigError(`EVENTSTORE_URL=${url} cannot be reached: ${reason(error)}`);
    } finally {
      await store.close().catch(() => undefined);
    }
  }
  if (config.readStore === 'mongo') {
    const url = config.mongoUrl!;
    try {
      const store = await MongoReadStore.connect(url, {
        serverSelectionTimeoutMs: REACH_TIMEOUT_MS,
      });
      await store.close();
    } catch (error) {
      throw new ConfigError(`MONGO_URL=${url} cannot be reached: ${reason(error)}`);
    }
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
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

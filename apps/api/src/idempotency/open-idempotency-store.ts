import { databaseFile, type AppConfig } from '@ledger/runtime';
import type { IdempotencyStore } from './idempotency-store';
import { MongoIdempotencyStore } from './mongo-idempotency-store';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store';

/**
 * Where the answers are kept: beside the read models in MongoDB, so every API
 * instance finds the answers any of them gave; else in SQLite under DATA_DIR.
 */
export async function openIdempotencyStore(config: AppConfig): Promise<IdempotencyStore> {
  if (config.readStore === 'mongo') {
    return MongoIdempotencyStore.connect(config.mongoUrl!, { database: config.mongoDatabase! });
  }
  return SqliteIdempotencyStore.open(databaseFile(config));
}

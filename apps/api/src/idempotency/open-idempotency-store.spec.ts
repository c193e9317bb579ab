import { loadConfig } from '@ledger/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IdempotencyStore } from './idempotency-store';
import { MongoIdempotencyStore } from './mongo-idempotency-store';
import { openIdempotencyStore } from './open-idempotency-store';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store';

describe('the idempotency store an API instance opens', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-idempotency-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is in MongoDB, in the database of MONGO_URL, when the read models are', async () => {
    const shared = {} as MongoIdempotencyStore;
    const connect = jest.spyOn(MongoIdempotencyStore, 'connect').mockResolvedValue(shared);
    const url = 'mongodb://mongo:27017/ledger?replicaSet=rs0';

    const store = await openIdempotencyStore(
      loadConfig({ DATA_DIR: dataDir, READ_STORE: 'mongo', MONGO_URL: url }),
    );

    expect(store).toBe(shared);
    expect(connect).toHaveBeenCalledWith(url, { database: 'ledger' });
  });

  it('is in SQLite under DATA_DIR otherwise', async () => {
    const connect = jest.spyOn(MongoIdempotencyStore, 'connect');

    const store: IdempotencyStore = await openIdempotencyStore(loadConfig({ DATA_DIR: dataDir }));
    await store.close();

    expect(store).toBeInstanceOf(SqliteIdempotencyStore);
    expect(connect).not.toHaveBeenCalled();
  });
});

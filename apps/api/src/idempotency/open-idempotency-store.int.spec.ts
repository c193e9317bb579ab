import { loadConfig } from '@ledger/runtime';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoIdempotencyStore } from './mongo-idempotency-store';
import { openIdempotencyStore } from './open-idempotency-store';
import { SqliteIdempotencyStore } from './sqlite-idempotency-store';

const mongoUrl = process.env.MONGO_URL;

describe('the idempotency store an API instance opens', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-idempotency-'))));
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is in SQLite under DATA_DIR with the embedded read store', async () => {
    const store = await openIdempotencyStore(loadConfig({ DATA_DIR: dataDir }));
    await store.close();

    expect(store).toBeInstanceOf(SqliteIdempotencyStore);
  });

  (mongoUrl ? it : it.skip)(
    `is in MongoDB, shared by every instance, when the read models are${mongoUrl ? '' : ' (skipped: MONGO_URL is not set)'}`,
    async () => {
      const store = await openIdempotencyStore(
        loadConfig({ DATA_DIR: dataDir, READ_STORE: 'mongo', MONGO_URL: mongoUrl }),
      );
      await store.close();

      expect(store).toBeInstanceOf(MongoIdempotencyStore);
    },
  );
});

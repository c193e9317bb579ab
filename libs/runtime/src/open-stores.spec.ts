import { MongoReadStore, NoTransactionsError } from '@ledger/read-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config/app-config';
import { openStores } from './open-stores';

describe('opening the MongoDB read store', () => {
  let dataDir: string;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'ledger-open-stores-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stops with one line naming MONGO_URL when the server runs no transactions', async () => {
    const url = 'mongodb://localhost:27017/';
    jest
      .spyOn(MongoReadStore, 'connect')
      .mockRejectedValue(new NoTransactionsError('is a standalone mongod: no transactions'));
    const config = loadConfig({ DATA_DIR: dataDir, READ_STORE: 'mongo', MONGO_URL: url });

    const opening = openStores(config);

    await expect(opening).rejects.toThrow(ConfigError);
    await expect(opening).rejects.toThrow(
      `MONGO_URL=${url} is a standalone mongod: no transactions`,
    );
  });
});

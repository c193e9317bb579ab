import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IdempotencyStore } from '../../apps/api/src/idempotency/idempotency-store';
import { SqliteIdempotencyStore } from '../../apps/api/src/idempotency/sqlite-idempotency-store';
import { describeIdempotencyStoreContract } from './idempotency-store.contract';

describeIdempotencyStoreContract('SQLite', async () => {
  const dir = join(tmpdir(), `ledger-idempotency-${randomUUID()}`);
  const file = join(dir, 'ledger.sqlite');
  const opened: IdempotencyStore[] = [SqliteIdempotencyStore.open(file)];
  return {
    store: opened[0],
    reopen: async () => {
      const store = SqliteIdempotencyStore.open(file);
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      await Promise.all(opened.map((store) => store.close()));
      await rm(dir, { recursive: true, force: true });
    },
  };
});

import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IdempotencyStore } from '../../apps/api/src/idempotency/idempotency-store';
import { SqliteIdempotencyStore } from '../../apps/api/src/idempotency/sqlite-idempotency-store';
import { describeIdempotencyStoreContract } from './idempotency-store.contract';
import { reopenableStore } from './reopenable-store';

describeIdempotencyStoreContract('SQLite', async () => {
  const dir = join(tmpdir(), `ledger-idempotency-${randomUUID()}`);
  const file = join(dir, 'ledger.sqlite');
  return reopenableStore<IdempotencyStore>(
    () => SqliteIdempotencyStore.open(file),
    () => rm(dir, { recursive: true, force: true }),
  );
});

import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import type { IdempotencyStore } from '../../apps/api/src/idempotency/idempotency-store';
import { MongoIdempotencyStore } from '../../apps/api/src/idempotency/mongo-idempotency-store';
import { describeIdempotencyStoreContract } from './idempotency-store.contract';
import { reopenableStore } from './reopenable-store';
import { describeUnless } from '../support/describe-unless';

const url = process.env.MONGO_URL;
const skipReason = url ? undefined : 'MONGO_URL is not set';

/** A database of its own on the shared server, dropped afterwards. */
function freshDatabase() {
  const database = `ledger_idempotency_${randomUUID().replace(/-/g, '')}`;
  const drop = async () => {
    const client = await MongoClient.connect(url!);
    await client.db(database).dropDatabase();
    await client.close();
  };
  return { database, drop };
}

describeIdempotencyStoreContract(
  'MongoDB',
  async () => {
    const { database, drop } = freshDatabase();
    return reopenableStore<IdempotencyStore>(
      () => MongoIdempotencyStore.connect(url!, { database }),
      drop,
    );
  },
  skipReason,
);

describeUnless(skipReason, 'MongoIdempotencyStore collection', () => {
  it('lets the server delete each answer once its expiresAt has passed (a TTL index)', async () => {
    const { database, drop } = freshDatabase();
    const store = await MongoIdempotencyStore.connect(url!, { database });
    const client = await MongoClient.connect(url!);
    try {
      const indexes = await client.db(database).collection('idempotent_answers').indexes();
      expect(indexes).toContainEqual(
        expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }),
      );
    } finally {
      await client.close();
      await store.close();
      await drop();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoReadStore } from '@ledger/read-store';
import { describeReadStoreContract } from './read-store.contract';

const url = process.env.MONGO_URL;

describeReadStoreContract(
  'MongoDB',
  async () => {
    // Every test gets a database of its own on the shared server: an empty store.
    const database = `ledger_contract_${randomUUID().replace(/-/g, '')}`;
    const store = await MongoReadStore.connect(url!, { database });
    return {
      store,
      cleanup: async () => {
        await store.close();
        const client = await MongoClient.connect(url!);
        await client.db(database).dropDatabase();
        await client.close();
      },
    };
  },
  url ? undefined : 'MONGO_URL is not set',
);

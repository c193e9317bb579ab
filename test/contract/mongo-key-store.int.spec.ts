import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { MongoKeyStore, type KeyStore } from '@ledger/personal-data';
import { describeKeyStoreContract } from './key-store.contract';
import { reopenableStore } from './reopenable-store';

const url = process.env.MONGO_URL;

describeKeyStoreContract(
  'MongoDB',
  async () => {
    const database = `ledger_keys_${randomUUID().replace(/-/g, '')}`;
    return reopenableStore<KeyStore>(
      () => MongoKeyStore.connect(url!, { database }),
      async () => {
        const client = await MongoClient.connect(url!);
        await client.db(database).dropDatabase();
        await client.close();
      },
    );
  },
  url ? undefined : 'MONGO_URL is not set',
);

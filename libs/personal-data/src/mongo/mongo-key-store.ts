import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import type { KeyStore, StoredKey } from '../key-store';

interface KeyDocument {
  /** The key id. */
  _id: string;
  wrapped?: string;
  destroyedAt?: string;
}

const DUPLICATE_KEY = 11000;

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

export interface MongoKeyStoreOptions {
  database: string;
  serverSelectionTimeoutMs?: number;
}

/**
 * The data keys in MongoDB (`data_keys`), shared by every process on the
 * database. Writes wait for a majority, so a key a process used is not lost
 * to a failover. A destroyed key's document keeps no key material; the
 * server's oplog and backups keep the old version until they roll over, and
 * that copy is still wrapped by the master key.
 */
export class MongoKeyStore implements KeyStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<KeyDocument>,
  ) {}

  static async connect(url: string, options: MongoKeyStoreOptions): Promise<MongoKeyStore> {
    const client = new MongoClient(url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      writeConcern: { w: 'majority' },
      readConcern: { level: 'majority' },
      ignoreUndefined: true,
    });
    await client.connect();
    return new MongoKeyStore(client, client.db(options.database).collection('data_keys'));
  }

  async find(kid: string): Promise<StoredKey | undefined> {
    const found = await this.keys.findOne({ _id: kid });
    return found ? toStoredKey(found) : undefined;
  }

  async keep(kid: string, wrapped: string): Promise<StoredKey> {
    try {
      // One round trip: the key as stored, whether this call inserted it or found it.
      const kept = await this.keys.findOneAndUpdate(
        { _id: kid },
        { $setOnInsert: { wrapped } },
        { upsert: true, returnDocument: 'after' },
      );
      if (kept) return toStoredKey(kept);
    } catch (error) {
      // Two upserts of a new kid at once: one inserts, the other collides; the first stays.
      if (!isDuplicateKey(error)) throw error;
    }
    return toStoredKey((await this.keys.findOne({ _id: kid }))!);
  }

  async destroy(kid: string, at: Date): Promise<void> {
    try {
      // Matches a live key or nothing (then inserts the tombstone); a tombstone
      // does not match, the insert collides with it, and its date stays.
      await this.keys.updateOne(
        { _id: kid, destroyedAt: { $exists: false } },
        { $set: { destroyedAt: at.toISOString() }, $unset: { wrapped: '' } },
        { upsert: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function toStoredKey(document: KeyDocument): StoredKey {
  return document.wrapped !== undefined
    ? { kid: document._id, wrapped: document.wrapped }
    : { kid: document._id, destroyedAt: document.destroyedAt! };
}

import { MongoClient, MongoServerError, type Collection } from 'mongodb';
import {
  answerOf,
  storedAnswer,
  type IdempotencyStore,
  type IdempotentAnswer,
  type StoredAnswer,
} from './idempotency-store';

interface AnswerDocument extends StoredAnswer {
  /** The scope. */
  _id: string;
}

const DUPLICATE_KEY = 11000;

/**
 * Answers in MongoDB, shared by every API instance using the database. A TTL
 * index deletes the expired ones; its monitor passes about once a minute, so
 * reads skip an expired answer that is still there.
 */
export class MongoIdempotencyStore implements IdempotencyStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly answers: Collection<AnswerDocument>,
  ) {}

  static async connect(url: string, options: { database: string }): Promise<MongoIdempotencyStore> {
    const client = new MongoClient(url);
    await client.connect();
    try {
      const answers = client.db(options.database).collection<AnswerDocument>('idempotent_answers');
      // 0 seconds: each answer is deleted once its own `expiresAt` has passed.
      await answers.createIndex({ expiresAt: 1 }, { name: 'expiry', expireAfterSeconds: 0 });
      return new MongoIdempotencyStore(client, answers);
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  async find(scope: string, now: Date): Promise<IdempotentAnswer | undefined> {
    const row = await this.answers.findOne({ _id: scope, expiresAt: { $gt: now } });
    return row ? answerOf(scope, row) : undefined;
  }

  async save(answer: IdempotentAnswer, now: Date): Promise<void> {
    const { requestHash, status, body, expiresAt } = storedAnswer(answer);
    try {
      // Replaces an expired answer of the scope, or inserts the first one; a
      // live answer does not match, the insert collides with it, and it stays.
      await this.answers.updateOne(
        { _id: answer.scope, expiresAt: { $lte: now } },
        { $set: { requestHash, status, body, expiresAt } },
        { upsert: true },
      );
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

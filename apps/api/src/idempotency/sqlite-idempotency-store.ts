import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { IdempotencyStore, IdempotentAnswer } from './idempotency-store';

interface Row {
  request_hash: string;
  status: number;
  body: string;
}

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly selectAnswer: Database.Statement<[string], Row>;
  private readonly insertAnswer: Database.Statement<[string, string, number, string]>;

  private constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      key TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL
    )`);
    this.selectAnswer = db.prepare(
      'SELECT request_hash, status, body FROM idempotency_keys WHERE key = ?',
    );
    this.insertAnswer = db.prepare(
      'INSERT INTO idempotency_keys (key, request_hash, status, body) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO NOTHING',
    );
  }

  static open(filePath: string): SqliteIdempotencyStore {
    mkdirSync(dirname(filePath), { recursive: true });
    const db = new Database(filePath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    return new SqliteIdempotencyStore(db);
  }

  async find(scope: string): Promise<IdempotentAnswer | undefined> {
    const row = this.selectAnswer.get(scope);
    if (!row) return undefined;
    return { scope, requestHash: row.request_hash, status: row.status, body: JSON.parse(row.body) };
  }

  async save(answer: IdempotentAnswer): Promise<void> {
    this.insertAnswer.run(
      answer.scope,
      answer.requestHash,
      answer.status,
      JSON.stringify(answer.body),
    );
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

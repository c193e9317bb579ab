import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  answerOf,
  storedAnswer,
  type IdempotencyStore,
  type IdempotentAnswer,
  type StoredAnswer,
} from './idempotency-store';

type Row = Omit<StoredAnswer, 'expiresAt'> & { expiresAt: number };

export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly selectAnswer: Database.Statement<[string, number], Row>;
  private readonly insertAnswer: Database.Statement<[string, string, number, string, number]>;
  private readonly deleteExpired: Database.Statement<[number]>;

  private constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS idempotent_answers (
      scope TEXT PRIMARY KEY,
      request_hash TEXT NOT NULL,
      status INTEGER NOT NULL,
      body TEXT NOT NULL,
      expires_at INTEGER NOT NULL
    )`);
    db.exec(
      'CREATE INDEX IF NOT EXISTS idempotent_answers_expiry ON idempotent_answers (expires_at)',
    );
    // Where answers were kept before keys were scoped and expired: no scope can
    // be read back into them, so they go.
    db.exec('DROP TABLE IF EXISTS idempotency_keys');
    this.selectAnswer = db.prepare(
      'SELECT request_hash AS requestHash, status, body, expires_at AS expiresAt FROM idempotent_answers WHERE scope = ? AND expires_at > ?',
    );
    this.insertAnswer = db.prepare(
      'INSERT INTO idempotent_answers (scope, request_hash, status, body, expires_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(scope) DO NOTHING',
    );
    this.deleteExpired = db.prepare('DELETE FROM idempotent_answers WHERE expires_at <= ?');
  }

  static open(filePath: string): SqliteIdempotencyStore {
    mkdirSync(dirname(filePath), { recursive: true });
    const db = new Database(filePath);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    return new SqliteIdempotencyStore(db);
  }

  async find(scope: string, now: Date): Promise<IdempotentAnswer | undefined> {
    const row = this.selectAnswer.get(scope, now.getTime());
    return row ? answerOf(scope, { ...row, expiresAt: new Date(row.expiresAt) }) : undefined;
  }

  async save(answer: IdempotentAnswer, now: Date): Promise<void> {
    // Each save clears what expired since the one before, so the table holds
    // about one TTL's worth of answers; an expired answer of the same scope
    // goes first and the new one takes its place.
    const { requestHash, status, body, expiresAt } = storedAnswer(answer);
    this.db.transaction(() => {
      this.deleteExpired.run(now.getTime());
      this.insertAnswer.run(answer.scope, requestHash, status, body, expiresAt.getTime());
    })();
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

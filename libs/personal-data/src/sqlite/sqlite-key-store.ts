import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyStore, StoredKey } from '../key-store';

type KeyRow = [kid: string, wrapped: string | null, destroyedAt: string | null];

/**
 * The data keys in a SQLite file of their own, beside the log but not in it:
 * a copy of the log's file holds no key. `secure_delete` zeroes a destroyed
 * key's bytes in the page that held it, and each destruction is checkpointed
 * at once, so the key leaves the write-ahead log too.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly select: Database.Statement<[string], KeyRow>;
  private readonly insert: Database.Statement<[string, string]>;
  private readonly tombstone: Database.Statement<[string, string]>;

  private constructor(private readonly db: Database.Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS data_keys (
      kid TEXT PRIMARY KEY,
      wrapped TEXT,
      destroyed_at TEXT,
      CHECK ((wrapped IS NULL) <> (destroyed_at IS NULL))
    )`);
    this.select = db
      .prepare<[string], KeyRow>('SELECT kid, wrapped, destroyed_at FROM data_keys WHERE kid = ?')
      .raw();
    this.insert = db.prepare(
      'INSERT INTO data_keys (kid, wrapped) VALUES (?, ?) ON CONFLICT(kid) DO NOTHING',
    );
    this.tombstone = db.prepare(
      `INSERT INTO data_keys (kid, destroyed_at) VALUES (?, ?)
       ON CONFLICT(kid) DO UPDATE SET wrapped = NULL, destroyed_at = excluded.destroyed_at
       WHERE destroyed_at IS NULL`,
    );
  }

  static open(filePath: string): SqliteKeyStore {
    mkdirSync(dirname(filePath), { recursive: true });
    const db = new Database(filePath);
    try {
      db.pragma('journal_mode = WAL');
      // A key kept must survive a power cut: the data sealed with it is already in the log.
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.pragma('secure_delete = ON');
      return new SqliteKeyStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async find(kid: string): Promise<StoredKey | undefined> {
    const row = this.select.get(kid);
    return row && toStoredKey(row);
  }

  async keep(kid: string, wrapped: string): Promise<StoredKey> {
    this.insert.run(kid, wrapped);
    return toStoredKey(this.select.get(kid)!);
  }

  async destroy(kid: string, at: Date): Promise<void> {
    this.tombstone.run(kid, at.toISOString());
    // Best effort: a reader in another process may hold the old frames a while longer.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }
}

function toStoredKey([kid, wrapped, destroyedAt]: KeyRow): StoredKey {
  return wrapped !== null ? { kid, wrapped } : { kid, destroyedAt: destroyedAt! };
}

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyStore, StoredKey } from '../key-store';

type KeyRow = [kid: string, wrapped: string | null, destroyedAt: string | null];

interface PendingKeep {
  kid: string;
  wrapped: string;
  resolve(key: StoredKey): void;
  reject(error: unknown): void;
}

export interface SqliteKeyStoreOptions {
  /**
   * FULL (the default) syncs every commit. NORMAL is enough where the log
   * is in the same file with FULL: a key is kept before anything sealed with
   * it is appended, and that append's sync of the shared WAL makes the key
   * durable with it.
   */
  synchronous?: 'FULL' | 'NORMAL';
}

/**
 * The data keys in a SQLite table, `data_keys`. `secure_delete` zeroes a
 * destroyed key's bytes in the page that held it; closing empties the WAL,
 * which still holds the page as it was. Keys asked for together (new
 * customers' tickets opened at once) are kept in one transaction.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly select: Database.Statement<[string], KeyRow>;
  private readonly insert: Database.Statement<[string, string]>;
  private readonly tombstone: Database.Statement<[string, string]>;
  private readonly keepAll: (batch: PendingKeep[]) => { pending: PendingKeep; kept: StoredKey }[];
  private pending: PendingKeep[] = [];

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
    const keepBatch = db.transaction((batch: PendingKeep[]) =>
      batch.map((pending) => {
        this.insert.run(pending.kid, pending.wrapped);
        return { pending, kept: toStoredKey(this.select.get(pending.kid)!) };
      }),
    );
    this.keepAll = (batch) => keepBatch.immediate(batch);
  }

  static open(filePath: string, options: SqliteKeyStoreOptions = {}): SqliteKeyStore {
    mkdirSync(dirname(filePath), { recursive: true });
    const db = new Database(filePath);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
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

  keep(kid: string, wrapped: string): Promise<StoredKey> {
    return new Promise((resolve, reject) => {
      this.pending.push({ kid, wrapped, resolve, reject });
      // After this tick's other keeps: they share the transaction.
      if (this.pending.length === 1) setImmediate(() => this.flush());
    });
  }

  async destroy(kid: string, at: Date): Promise<void> {
    this.tombstone.run(kid, at.toISOString());
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    if (this.pending.length > 0) this.flush();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      for (const { pending, kept } of this.keepAll(batch)) pending.resolve(kept);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}

function toStoredKey([kid, wrapped, destroyedAt]: KeyRow): StoredKey {
  return wrapped !== null ? { kid, wrapped } : { kid, destroyedAt: destroyedAt! };
}

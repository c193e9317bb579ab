import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

function isSqliteDatabase(file: string): boolean {
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    return (
      readSync(fd, header, 0, header.length, 0) === header.length && header.equals(SQLITE_HEADER)
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * The SQLite databases a data directory holds, by their header rather than
 * their name, so a database added beside `ledger.sqlite` is backed up too.
 * A database's `-wal` and `-shm` files are its own, not databases.
 */
export function databasesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => !/-(wal|shm|journal)$/.test(name))
    .filter((name) => statSync(join(dir, name)).isFile() && isSqliteDatabase(join(dir, name)))
    .sort();
}

/**
 * Whether another process has the database open. A connection that asks for
 * the file exclusively, without waiting, is refused while any other
 * connection is open on it, busy or idle (in WAL mode every open connection
 * holds a shared lock). When it is granted, closing it also folds a WAL left
 * by a killed process into the file.
 */
export function databaseInUse(file: string): boolean {
  let db: Database.Database;
  try {
    db = new Database(file, { fileMustExist: true, timeout: 0 });
  } catch {
    return false;
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
  } finally {
    db.close();
  }
}

export interface DatabaseCopy {
  /** Events in the copy's log, and its last position, when it holds the log. */
  log: { events: number; head: string | null } | null;
}

/**
 * A consistent copy of a live database through SQLite's online backup API,
 * taken in one step: one read transaction from the first page to the last,
 * so writers carry on (WAL) and the copy is one moment of the file. Copied a
 * few pages at a time instead, the backup would start over at every write
 * another process made meanwhile, and under steady load never finish.
 */
export async function copyDatabase(source: string, target: string): Promise<DatabaseCopy> {
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(target, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  return checkDatabase(target);
}

/** Checks a database file: the integrity check passes and what log it holds. */
export function checkDatabase(file: string): DatabaseCopy {
  const db = new Database(file, { fileMustExist: true });
  try {
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`${file} fails its integrity check: ${String(check)}`);
    return { log: logOf(db) };
  } finally {
    db.close();
  }
}

function logOf(db: Database.Database): DatabaseCopy['log'] {
  const hasLog = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'")
    .get();
  if (!hasLog) return null;
  const { events, head } = db
    .prepare('SELECT COUNT(*) AS events, MAX(position) AS head FROM events')
    .get() as { events: number; head: number | null };
  return { events, head: head === null ? null : String(head) };
}

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  AppendListener,
  AppendResult,
  ConcurrencyConflictError,
  EventMetadata,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
} from '../event-store';
import { AppendListeners } from '../append-listeners';
import { eventHash, GENESIS_HASH } from '../chain/event-hash';
import {
  assertExpectedVersion,
  assertReadLimit,
  assertStreamVersion,
  satisfies,
} from '../expected-version';
import { SqliteLogChain } from './sqlite-chain';
import { chainUnchainedLog } from './sqlite-chain-migration';
import { EVENT_COLUMNS, EVENTS_SCHEMA, type EventRow } from './sqlite-event-store.schema';
import {
  compareSqlitePositions,
  isValidSqlitePosition,
  parseSqlitePosition,
} from './sqlite-position';

export interface SqliteEventStoreOptions {
  /** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /**
   * While anyone listens to `onAppended`, how often the file is checked for
   * appends made by other processes (this process's own notify at once).
   */
  pollIntervalMs?: number;
}

/** Counters since the store was opened; read-only snapshots. */
export interface SqliteEventStoreStats {
  /** Committed write transactions, one per flushed batch. */
  transactions: number;
  /** Appends that resolved, however many shared a transaction. */
  appends: number;
}

type StreamHeadRow = [version: number, position: number];

interface SerializedEvent {
  type: string;
  data: string;
  metadata: string;
}

interface PendingAppend {
  streamId: string;
  events: SerializedEvent[];
  expected: ExpectedVersion;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

type AppendOutcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

interface SettledAppend {
  pending: PendingAppend;
  outcome: AppendOutcome;
}

interface InsertedAppend {
  result: AppendResult;
  /** The hash of the append's last event: what the next event of the batch is chained to. */
  chainHead: string;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_POLL_INTERVAL_MS = 100;

/**
 * The event log in one SQLite file.
 *
 * Appends are group-committed: with `synchronous=FULL` every commit costs an
 * fsync, which dwarfs the cost of the inserts, so every append that arrives
 * before the next flush shares one transaction and one fsync. Each append in
 * the batch is still checked and settled on its own.
 *
 * Every event is chained to the one before it in the log as it is inserted
 * (`chain`, docs/audit.md): the batch reads the newest hash once, inside its
 * transaction, so appends from other processes to the same file chain in
 * the order the file records them.
 */
export class SqliteEventStore implements EventStore {
  private readonly insertEvent: Database.Statement<
    [string, number, string, string, string, string]
  >;
  private readonly selectChainHead: Database.Statement<[], string | null>;
  private readonly selectStreamHead: Database.Statement<[string], StreamHeadRow>;
  private readonly selectStream: Database.Statement<[string, number, number], EventRow>;
  private readonly selectAll: Database.Statement<[number, number], EventRow>;
  private readonly selectHead: Database.Statement<[], number | null>;
  private readonly selectDataVersion: Database.Statement<[], number>;
  private readonly commitBatch: (batch: PendingAppend[]) => SettledAppend[];
  private readonly insertInSavepoint: (
    pending: PendingAppend,
    fromVersion: number,
  ) => InsertedAppend;
  /** The hash the next event inserted by the running batch is chained to. */
  private batchChainHead = GENESIS_HASH;
  /** The log's hash chain: its head and its verification. */
  readonly chain: SqliteLogChain;

  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private idleWaiters: Array<() => void> = [];
  private closing: Promise<void> | undefined;
  private readonly listeners = new AppendListeners();
  private readonly counters: SqliteEventStoreStats = { transactions: 0, appends: 0 };
  readonly origin = '0';
  private pollTimer: NodeJS.Timeout | undefined;
  /** The newest position this store knows of, written by it or seen by polling. */
  private knownHead = 0;

  private constructor(
    private readonly db: Database.Database,
    private readonly pollIntervalMs: number,
    /** The file, for what reads it through connections of its own; undefined in memory. */
    file: string | undefined,
  ) {
    db.exec(EVENTS_SCHEMA);
    chainUnchainedLog(db);
    this.chain = new SqliteLogChain(
      db,
      () => this.assertOpen(),
      file === undefined ? undefined : { file },
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (stream_id, version, type, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.selectChainHead = db
      .prepare<[], string | null>('SELECT hash FROM events ORDER BY position DESC LIMIT 1')
      .pluck();
    this.selectStreamHead = db
      .prepare<[string], StreamHeadRow>(
        'SELECT version, position FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1',
      )
      .raw();
    // A limit of -1 is SQLite's "no limit".
    this.selectStream = db
      .prepare<[string, number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE stream_id = ? AND version > ? ORDER BY version LIMIT ?`,
      )
      .raw();
    this.selectAll = db
      .prepare<[number, number], EventRow>(
        `SELECT ${EVENT_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      )
      .raw();
    this.selectHead = db.prepare<[], number | null>('SELECT MAX(position) FROM events').pluck();
    this.selectDataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();

    // IMMEDIATE takes the write lock before the first read: a deferred
    // transaction that read first and then found the read store's connection
    // writing could not upgrade and would fail without waiting for busy_timeout.
    const appendBatch = db.transaction((batch: PendingAppend[]) => {
      // A row without a hash has already broken the chain; verification names it.
      this.batchChainHead = this.selectChainHead.get() ?? GENESIS_HASH;
      return batch.map((pending) => ({ pending, outcome: this.appendOne(pending) }));
    });
    this.commitBatch = (batch) => appendBatch.immediate(batch);
    // Called inside the batch transaction, better-sqlite3 runs this in a
    // SAVEPOINT: if the database refuses one append, only that append is undone.
    this.insertInSavepoint = db.transaction((pending: PendingAppend, fromVersion: number) =>
      this.insertEvents(pending, fromVersion),
    );
  }

  /** Opens (and creates, with its folder, if missing) the log stored in `filePath`. */
  static open(filePath: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
    mkdirSync(dirname(filePath), { recursive: true });
    const db = new Database(filePath);
    try {
      db.pragma('journal_mode = WAL');
      // FULL fsyncs the WAL on every commit: a resolved append survives a power cut.
      db.pragma('synchronous = FULL');
      // The read store writes to the same file through its own connection.
      db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      // Freed space is zeroed, not left readable in the file.
      db.pragma('secure_delete = ON');
      return new SqliteEventStore(
        db,
        options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
        db.memory ? undefined : filePath,
      );
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get stats(): Readonly<SqliteEventStoreStats> {
    return { ...this.counters };
  }

  async append(
    streamId: string,
    events: NewEvent[],
    expected: ExpectedVersion,
  ): Promise<AppendResult> {
    if (this.closing) throw closedError();
    assertExpectedVersion(expected);
    const serialized = events.map(serializeEvent);
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events: serialized, expected, resolve, reject });
      this.scheduleFlush();
    });
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { after = 0, limit } = options;
    assertStreamVersion(after);
    if (limit !== undefined) assertReadLimit(limit);
    return this.selectStream.all(streamId, after, limit ?? -1).map(toRecordedEvent);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const after = options.after === undefined ? 0 : parseSqlitePosition(options.after);
    assertReadLimit(options.limit);
    return this.selectAll.all(after, options.limit).map(toRecordedEvent);
  }

  async headPosition(): Promise<string | undefined> {
    this.assertOpen();
    const head = this.selectHead.get();
    return head === null || head === undefined ? undefined : String(head);
  }

  /**
   * SQLite's `data_version`: it moves with every commit another connection
   * makes to the file (the read models' and the keys' included), never with
   * this connection's own, which `onAppended` tells of with their streams.
   */
  foreignWritesMark(): number {
    this.assertOpen();
    return this.selectDataVersion.get()!;
  }

  onAppended(listener: AppendListener): () => void {
    const unsubscribe = this.listeners.add(listener);
    this.startPolling();
    return () => {
      unsubscribe();
      if (this.listeners.size === 0) this.stopPolling();
    };
  }

  comparePositions(a: string, b: string): number {
    return compareSqlitePositions(a, b);
  }

  isValidPosition(position: string): boolean {
    return isValidSqlitePosition(position);
  }

  /** Waits for queued appends to be written, then closes the file. Safe to call twice. */
  close(): Promise<void> {
    this.closing ??= this.drainAndClose();
    return this.closing;
  }

  private async drainAndClose(): Promise<void> {
    this.stopPolling();
    if (this.flushScheduled) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    // Emptied into the file first: the WAL keeps old versions of pages, rows
    // since rewritten or deleted among them, until it is checkpointed.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
  }

  private startPolling(): void {
    if (this.pollTimer || this.closing) return;
    this.knownHead = Math.max(this.knownHead, this.selectHead.get() ?? 0);
    this.pollTimer = setInterval(() => this.pollHead(), this.pollIntervalMs);
    this.pollTimer.unref();
  }

  private stopPolling(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /** Another process appended to the file: the listeners hear of it as of an append of ours. */
  private pollHead(): void {
    if (this.closing || !this.db.open) return;
    const head = this.selectHead.get() ?? 0;
    if (head > this.knownHead) {
      this.knownHead = head;
      this.listeners.notify();
    }
  }

  private assertOpen(): void {
    if (!this.db.open) throw closedError();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after the current tick's microtasks, so appends
    // issued together (Promise.all, several handlers awaiting) share a batch.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    try {
      this.writeBatch(batch);
    } finally {
      this.flushScheduled = false;
      // A listener may have appended while being notified.
      if (this.queue.length > 0) this.scheduleFlush();
      else this.resolveIdleWaiters();
    }
  }

  private resolveIdleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private writeBatch(batch: PendingAppend[]): void {
    let settled: SettledAppend[];
    try {
      settled = this.commitBatch(batch);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.counters.transactions += 1;
    const streams = new Set<string>();
    for (const { pending, outcome } of settled) {
      if (outcome.ok) {
        this.counters.appends += 1;
        if (pending.events.length > 0) {
          streams.add(pending.streamId);
          this.knownHead = Math.max(this.knownHead, Number(outcome.result.position));
        }
        pending.resolve(outcome.result);
      } else {
        pending.reject(outcome.error);
      }
    }
    if (streams.size > 0) this.listeners.notify([...streams]);
  }

  /** Runs inside the batch transaction, so it sees the batch's earlier appends. */
  private appendOne(pending: PendingAppend): AppendOutcome {
    const head = this.streamHead(pending.streamId);
    if (!satisfies(pending.expected, head.version)) {
      return { ok: false, error: this.conflict(pending, head.version) };
    }
    if (pending.events.length === 0) return { ok: true, result: head };
    try {
      const inserted = this.insertInSavepoint(pending, head.version);
      this.batchChainHead = inserted.chainHead;
      return { ok: true, result: inserted.result };
    } catch (error) {
      // Only the unique (stream_id, version) constraint is this append's own
      // problem; anything else (disk full, I/O) may have ended the whole
      // transaction, so it must fail the batch rather than let later appends
      // run outside it.
      if (isUniqueViolation(error) && this.db.inTransaction) {
        return {
          ok: false,
          error: this.conflict(pending, this.streamHead(pending.streamId).version),
        };
      }
      throw error;
    }
  }

  private insertEvents(pending: PendingAppend, fromVersion: number): InsertedAppend {
    let version = fromVersion;
    let position = 0;
    let chainHead = this.batchChainHead;
    for (const event of pending.events) {
      version += 1;
      const { streamId } = pending;
      chainHead = eventHash(chainHead, { streamId, version, ...event });
      const info = this.insertEvent.run(
        streamId,
        version,
        event.type,
        event.data,
        event.metadata,
        chainHead,
      );
      position = Number(info.lastInsertRowid);
    }
    return { result: { version, position: String(position) }, chainHead };
  }

  private streamHead(streamId: string): AppendResult {
    const row = this.selectStreamHead.get(streamId);
    return row
      ? { version: row[0], position: String(row[1]) }
      : { version: 0, position: this.origin };
  }

  private conflict(pending: PendingAppend, actual: number): ConcurrencyConflictError {
    return new ConcurrencyConflictError(pending.streamId, pending.expected, actual);
  }
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    type: row[3],
    data: JSON.parse(row[4]) as unknown,
    metadata: JSON.parse(row[5]) as EventMetadata,
    streamId: row[1],
    version: row[2],
    position: String(row[0]),
  };
}

function serializeEvent(event: NewEvent): SerializedEvent {
  const data = JSON.stringify(event.data);
  const metadata = JSON.stringify(event.metadata);
  if (data === undefined || metadata === undefined) {
    throw new TypeError(`Event ${event.type} has no JSON-serialisable data or metadata`);
  }
  return { type: event.type, data, metadata };
}

/**
 * By code rather than `instanceof SqliteError`: the native addon keeps the
 * error class of the first copy of the module loaded in the process, so where
 * the module is loaded more than once (test runners do) the check would fail.
 */
function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE'
  );
}

function closedError(): Error {
  return new Error('The SQLite event store is closed');
}

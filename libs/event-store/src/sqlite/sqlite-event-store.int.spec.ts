import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConcurrencyConflictError, NewEvent } from '../event-store';
import { SqliteEventStore } from './sqlite-event-store';

function note(body = 'note'): NewEvent {
  return {
    type: 'TicketNoteAdded',
    data: { body },
    metadata: {
      eventId: randomUUID(),
      occurredAt: '2024-05-01T10:00:00.000Z',
      actor: 'agent-7',
      correlationId: 'correlation-1',
      causationId: 'causation-1',
      schemaVersion: 1,
    },
  };
}

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let other: Database.Database | undefined;

  beforeEach(() => {
    dir = join(tmpdir(), `ledger-sqlite-event-store-${randomUUID()}`);
    file = join(dir, 'events.sqlite');
    store = SqliteEventStore.open(file);
  });

  afterEach(async () => {
    other?.close();
    other = undefined;
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A second connection to the same file, like the read store's. */
  function otherConnection(): Database.Database {
    other = new Database(file);
    return other;
  }

  describe('telling readers what changed', () => {
    it('moves its foreign-writes mark with another connection’s commit, never with its own', async () => {
      const db = otherConnection();
      db.exec('CREATE TABLE IF NOT EXISTS elsewhere (id INTEGER PRIMARY KEY)');
      const first = store.foreignWritesMark();
      await store.append('ticket-1', [note()], 'no_stream');
      const afterOwn = store.foreignWritesMark();
      db.prepare('INSERT INTO elsewhere DEFAULT VALUES').run();

      expect(afterOwn).toBe(first);
      expect(store.foreignWritesMark()).not.toBe(afterOwn);
    });

    it('names the streams of its own appends to the listeners', async () => {
      const heard: (readonly string[] | undefined)[] = [];
      const unsubscribe = store.onAppended((streams) => heard.push(streams));

      await Promise.all([
        store.append('ticket-1', [note()], 'no_stream'),
        store.append('access', [note()], 'no_stream'),
      ]);
      unsubscribe();

      expect(heard).toEqual([['ticket-1', 'access']]);
    });
  });

  describe('group commit', () => {
    it('writes appends issued in the same tick in one transaction', async () => {
      const before = store.stats.transactions;

      await Promise.all(
        Array.from({ length: 20 }, (_, index) => store.append(`ticket-${index}`, [note()], 'any')),
      );

      expect(store.stats.transactions - before).toBe(1);
      expect(store.stats.appends).toBe(20);
    });

    it('lets appends to one stream in the same batch build on each other', async () => {
      const results = await Promise.all([
        store.append('ticket-1', [note('first')], 'no_stream'),
        store.append('ticket-1', [note('second'), note('third')], 1),
        store.append('ticket-1', [note('fourth')], 3),
      ]);

      expect(results.map((result) => result.version)).toEqual([1, 3, 4]);
      expect(store.stats.transactions).toBe(1);
    });

    it('rejects only the conflicting append of a batch', async () => {
      await store.append('ticket-1', [note()], 'no_stream');

      const [before, conflicting, after] = await Promise.allSettled([
        store.append('ticket-2', [note()], 'no_stream'),
        store.append('ticket-1', [note()], 'no_stream'),
        store.append('ticket-3', [note()], 'no_stream'),
      ]);

      expect(before.status).toBe('fulfilled');
      expect(conflicting).toMatchObject({
        status: 'rejected',
        reason: expect.any(ConcurrencyConflictError),
      });
      expect(after.status).toBe('fulfilled');
      expect(await store.readAll({ limit: 10 })).toHaveLength(3);
    });

    it('rejects every append of a batch whose transaction fails, then keeps going', async () => {
      await store.close();
      store = SqliteEventStore.open(file, { busyTimeoutMs: 20 });
      const locker = otherConnection();
      locker.exec('BEGIN IMMEDIATE');

      const attempts = await Promise.allSettled([
        store.append('ticket-1', [note()], 'no_stream'),
        store.append('ticket-2', [note()], 'no_stream'),
      ]);
      locker.exec('COMMIT');
      const retried = await store.append('ticket-1', [note()], 'no_stream');

      for (const attempt of attempts) {
        expect(attempt).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_BUSY' } });
      }
      expect(retried.version).toBe(1);
      expect(await store.readAll({ limit: 10 })).toHaveLength(1);
    });
  });

  describe('optimistic concurrency in the database', () => {
    it('refuses a second event with the same stream and version', async () => {
      await store.append('ticket-1', [note()], 'no_stream');

      const insertDuplicate = () =>
        otherConnection()
          .prepare(
            "INSERT INTO events (stream_id, version, type, data, metadata) VALUES ('ticket-1', 1, 'X', '{}', '{}')",
          )
          .run();

      expect(insertDuplicate).toThrow(
        expect.objectContaining({ code: 'SQLITE_CONSTRAINT_UNIQUE' }),
      );
    });

    it('undoes the whole append when the constraint refuses one of its events', async () => {
      // The trigger plays a writer that slips version 2 in between this
      // append's two inserts, which a real concurrent writer cannot do while
      // the store holds the write lock; the constraint must still win.
      otherConnection().exec(`
        CREATE TRIGGER racing_writer BEFORE INSERT ON events
        WHEN NEW.stream_id = 'ticket-raced' AND NEW.version = 1
        BEGIN
          INSERT INTO events (stream_id, version, type, data, metadata)
          VALUES ('ticket-raced', 2, 'Racer', '{}', '{}');
        END
      `);

      const [raced, bystander] = await Promise.allSettled([
        store.append('ticket-raced', [note(), note()], 'no_stream'),
        store.append('ticket-2', [note()], 'no_stream'),
      ]);

      expect(raced).toMatchObject({
        status: 'rejected',
        reason: expect.any(ConcurrencyConflictError),
      });
      expect(bystander.status).toBe('fulfilled');
      expect(await store.readStream('ticket-raced')).toEqual([]);
    });
  });

  describe('storage', () => {
    it('keeps the log in write-ahead-log mode', () => {
      expect(otherConnection().pragma('journal_mode', { simple: true })).toBe('wal');
    });

    it('sees events written to the file by another connection', async () => {
      await store.append('ticket-1', [note()], 'no_stream');
      otherConnection()
        .prepare(
          "INSERT INTO events (stream_id, version, type, data, metadata) VALUES ('ticket-1', 2, 'X', '{}', '{}')",
        )
        .run();

      const conflict = store.append('ticket-1', [note()], 1);

      await expect(conflict).rejects.toMatchObject({ actual: 2 });
    });
  });

  describe('input', () => {
    it('rejects an append whose data is not JSON', async () => {
      const event = { ...note(), data: undefined };

      await expect(store.append('ticket-1', [event], 'any')).rejects.toBeInstanceOf(TypeError);
    });

    it.each([-1, 1.5, Number.NaN])('rejects %p as an expected version', async (expected) => {
      await expect(store.append('ticket-1', [note()], expected)).rejects.toBeInstanceOf(RangeError);
    });

    it('rejects a negative readAll limit', async () => {
      await expect(store.readAll({ limit: -1 })).rejects.toBeInstanceOf(RangeError);
    });

    it('reads nothing with a limit of 0', async () => {
      await store.append('ticket-1', [note()], 'no_stream');

      expect(await store.readAll({ limit: 0 })).toEqual([]);
    });

    it('accepts positions up to the largest safe integer', () => {
      expect(store.isValidPosition(String(Number.MAX_SAFE_INTEGER))).toBe(true);
      expect(store.isValidPosition(String(Number.MAX_SAFE_INTEGER + 1))).toBe(false);
    });
  });

  describe('close', () => {
    it('can be called twice', async () => {
      await store.close();

      await expect(store.close()).resolves.toBeUndefined();
    });

    it('rejects reads after close', async () => {
      await store.close();

      await expect(store.readStream('ticket-1')).rejects.toThrow('closed');
    });
  });
});

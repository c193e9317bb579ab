import Database from 'better-sqlite3';
import { getSQLiteEventStore } from '@event-driven-io/emmett-sqlite';
import sqlite3 from 'sqlite3';
import { SqliteEventStore } from '../../dist/libs/event-store/src/index.js';
import { EVENTS_SCHEMA } from '../../dist/libs/event-store/src/sqlite/sqlite-event-store.schema.js';

/**
 * Each contender opens a fresh file and returns `append(streamId, event,
 * version)`, where `version` is the stream's version the caller read: the
 * append must fail if the stream has moved on. `table` and `extraRows` let the
 * benchmark count, after closing, that every counted append is in the file.
 */
export const CONTENDERS = {
  ours: {
    label: 'SqliteEventStore (ours)',
    async open(file) {
      const store = SqliteEventStore.open(file);
      return {
        append: (streamId, event, version) =>
          store.append(streamId, [event], version === 0 ? 'no_stream' : version),
        stats: () => store.stats,
        table: 'events',
        extraRows: 0,
        close: () => store.close(),
      };
    },
  },

  emmett: {
    label: 'Emmett SQLite 0.38.5',
    open: (file) => openEmmett(file, { holdConnection: false }),
  },

  emmettHeld: {
    label: 'Emmett SQLite, file held open',
    open: (file) => openEmmett(file, { holdConnection: true }),
  },

  ceiling: {
    label: 'better-sqlite3 ceiling',
    async open(file) {
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec(EVENTS_SCHEMA);
      const insert = db.prepare(
        'INSERT INTO events (stream_id, version, type, data, metadata) VALUES (?, ?, ?, ?, ?)',
      );
      // The version check is the unique (stream_id, version) constraint alone.
      const insertRow = (streamId, event, version) =>
        insert.run(
          streamId,
          version + 1,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
        );
      const appendOne = db.transaction(insertRow).immediate;
      const appendBatch = db.transaction((batch) => {
        for (const { streamId, event, version } of batch) insertRow(streamId, event, version);
      }).immediate;
      return {
        append: async (streamId, event, version) => appendOne(streamId, event, version),
        appendBatch,
        table: 'events',
        extraRows: 0,
        close: async () => db.close(),
      };
    },
  },
};

/**
 * Emmett opens a connection per call and closes it after; closing the last
 * connection to a WAL file checkpoints it (more fsyncs) and deletes the WAL.
 * With `holdConnection` another connection keeps the file open, as a running
 * consumer would, which spares Emmett that checkpoint: its best case.
 */
async function openEmmett(file, { holdConnection }) {
  const store = getSQLiteEventStore({ fileName: file });
  // Emmett creates its schema on the first call; not part of the timing.
  await store.appendToStream('warmup-schema', [{ type: 'Warmup', data: {} }], {
    expectedStreamVersion: 0n,
  });
  const held = holdConnection ? await openSqlite3(file) : undefined;
  let retries = 0;
  const append = serialized(async (streamId, event, version) => {
    for (;;) {
      try {
        return await store.appendToStream(streamId, [event], {
          expectedStreamVersion: BigInt(version),
        });
      } catch (error) {
        // Now and then COMMIT finds the INSERT ... RETURNING read through
        // node-sqlite3's get() not yet finalised ("cannot commit transaction -
        // SQL statements in progress"); the transaction is rolled back, so a
        // caller would retry. The row count after the run checks that it was.
        if (error?.code !== 'SQLITE_BUSY') throw error;
        retries += 1;
      }
    }
  });
  return {
    append,
    stats: () => ({ retries }),
    table: 'emt_messages',
    extraRows: 1,
    close: async () => {
      if (held)
        await new Promise((resolve, reject) => held.close((e) => (e ? reject(e) : resolve())));
    },
  };
}

function openSqlite3(file) {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, (error) => (error ? reject(error) : resolve(db)));
  });
}

/**
 * Emmett's file-backed store shares one connection between the calls in
 * flight and closes it when any call ends, and nests concurrent calls into one
 * transaction: concurrent appends on one store fail (SQLITE_MISUSE, "Database
 * handle is closed"). One store per appender is worse: 64 connections racing
 * for BEGIN IMMEDIATE with node-sqlite3's 1 s busy timeout made no progress in
 * a 3 s trial. A service using it must serialise its appends, as here.
 */
function serialized(fn) {
  let tail = Promise.resolve();
  return (...args) => {
    const result = tail.then(() => fn(...args));
    tail = result.catch(() => {});
    return result;
  };
}

/** Whether a second append with the same expected version is refused. */
export async function refusesStaleAppend(contender, file, workload) {
  const opened = await contender.open(file);
  const streamId = workload.newStreamId();
  try {
    await opened.append(streamId, workload.event(0, 0), 0);
    await opened.append(streamId, workload.event(1, 1), 1);
    return await opened.append(streamId, workload.event(2, 1), 1).then(
      () => false,
      () => true,
    );
  } finally {
    await opened.close();
  }
}

/** What a sqlite3 (node-sqlite3, Emmett's driver) connection gets by default. */
export function sqlite3Defaults(file) {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file);
    const out = {};
    db.get('PRAGMA journal_mode = WAL', (e1, journal) => {
      if (e1) return reject(e1);
      out.journalMode = journal.journal_mode;
      db.get('PRAGMA synchronous', (e2, sync) => {
        if (e2) return reject(e2);
        out.synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][sync.synchronous];
        db.close(() => resolve({ ...out, sqliteVersion: sqlite3.VERSION }));
      });
    });
  });
}

/**
 * The whole log is one table: the rowid is the global position, and the
 * unique (stream_id, version) pair is what enforces optimistic concurrency,
 * whatever the code above it believes the stream's version to be.
 * AUTOINCREMENT keeps positions from ever being reused.
 */
export const EVENTS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    UNIQUE (stream_id, version)
  )
`;

/** Column order of every event read; `toRecordedEvent` relies on it. */
export const EVENT_COLUMNS = 'position, stream_id, version, type, data, metadata';

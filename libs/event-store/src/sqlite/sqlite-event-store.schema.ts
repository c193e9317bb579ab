/**
 * The whole log is one table: the rowid is the global position, and the
 * unique (stream_id, version) pair is what enforces optimistic concurrency,
 * whatever the code above it believes the stream's version to be.
 * AUTOINCREMENT keeps positions from ever being reused. `hash` chains each
 * event to the one before it (docs/audit.md); it may be null only so that a
 * file from before the chain can gain the column (sqlite-chain-migration.ts),
 * and a row without one fails verification.
 */
export const EVENTS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position  INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT    NOT NULL,
    version   INTEGER NOT NULL,
    type      TEXT    NOT NULL,
    data      TEXT    NOT NULL,
    metadata  TEXT    NOT NULL,
    hash      TEXT,
    UNIQUE (stream_id, version)
  )
`;

/** Column order of every event read; `toRecordedEvent` relies on it. */
export const EVENT_COLUMNS = 'position, stream_id, version, type, data, metadata';

export type EventRow = [
  position: number,
  streamId: string,
  version: number,
  type: string,
  data: string,
  metadata: string,
];

/** Column order of the chain's reads; `toLinkedEvent` relies on it. */
export const CHAIN_COLUMNS = `${EVENT_COLUMNS}, hash`;

export type ChainRow = [...EventRow, hash: string | null];

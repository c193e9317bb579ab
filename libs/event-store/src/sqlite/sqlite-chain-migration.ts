import type Database from 'better-sqlite3';
import { eventHash, GENESIS_HASH } from '../chain/event-hash';
import { CHAIN_COLUMNS, type ChainRow } from './sqlite-event-store.schema';
import { hasHashColumn, toLinkedEvent } from './sqlite-chain';

/** Rows chained per read while migrating: memory stays flat however long the log. */
const MIGRATION_BATCH = 5000;

/**
 * Gives a log written before the chain existed its `hash` column and chains
 * every event in it, once. The column and every hash are written in one
 * transaction, so a crash leaves the file as it was and the next open starts
 * over; the check for the column is inside it, so two processes opening the
 * same old file chain it once. Rows are read a batch at a time by position.
 * Returns the number of events chained (0 when the file already had the column).
 */
export function chainUnchainedLog(db: Database.Database): number {
  if (hasHashColumn(db)) return 0;
  const migrate = db.transaction((): number => {
    if (hasHashColumn(db)) return 0;
    db.exec('ALTER TABLE events ADD COLUMN hash TEXT');
    const select = db
      .prepare<[number, number], ChainRow>(
        `SELECT ${CHAIN_COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
      )
      .raw();
    const update = db.prepare<[string, number]>('UPDATE events SET hash = ? WHERE position = ?');
    let prev = GENESIS_HASH;
    let after = 0;
    let chained = 0;
    for (;;) {
      const rows = select.all(after, MIGRATION_BATCH);
      for (const row of rows) {
        const event = toLinkedEvent(row);
        prev = eventHash(prev, event);
        update.run(prev, event.position);
        after = event.position;
      }
      chained += rows.length;
      if (rows.length < MIGRATION_BATCH) return chained;
    }
  });
  return migrate.immediate();
}

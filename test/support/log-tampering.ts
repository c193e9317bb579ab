import type Database from 'better-sqlite3';
import { eventHash } from '@ledger/event-store';

/**
 * What someone holding the SQLite file can do to the log behind the store's
 * back, with plain SQL: each names rows by position.
 */
export interface ForgedEvent {
  streamId: string;
  version: number;
  type: string;
  data: string;
  metadata: string;
}

export function editColumn(
  db: Database.Database,
  position: number,
  column: 'data' | 'metadata' | 'type' | 'stream_id' | 'version',
  change: (value: any) => unknown,
): void {
  const value = db.prepare(`SELECT ${column} FROM events WHERE position = ?`).pluck().get(position);
  if (value === undefined) throw new Error(`No event at ${position}`);
  db.prepare(`UPDATE events SET ${column} = ? WHERE position = ?`).run(change(value), position);
}

export function deleteEvent(db: Database.Database, position: number): void {
  const { changes } = db.prepare('DELETE FROM events WHERE position = ?').run(position);
  if (changes !== 1) throw new Error(`No event at ${position}`);
}

/** Exchanges two whole rows, hashes included: the log's order changes, nothing else. */
export function swapEvents(db: Database.Database, a: number, b: number): void {
  db.transaction(() => {
    const move = db.prepare('UPDATE events SET position = ? WHERE position = ?');
    move.run(-1, a);
    move.run(a, b);
    move.run(b, -1);
  })();
}

/**
 * Slips an event in after `position`, moving every later one a place on.
 * `hash: 'rechained'` gives it the hash it would have had if it had been
 * appended there, as someone who knows the algorithm would; else it carries
 * the hash given (or none).
 */
export function insertAfter(
  db: Database.Database,
  position: number,
  event: ForgedEvent,
  hash: string | null,
): number {
  db.transaction(() => {
    db.prepare('UPDATE events SET position = -position - 1 WHERE position > ?').run(position);
    db.prepare('UPDATE events SET position = -position WHERE position < 0').run();
    const prev =
      position === 0
        ? '0'.repeat(64)
        : (db
            .prepare('SELECT hash FROM events WHERE position = ?')
            .pluck()
            .get(position) as string);
    db.prepare(
      'INSERT INTO events (position, stream_id, version, type, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(
      position + 1,
      event.streamId,
      event.version,
      event.type,
      event.data,
      event.metadata,
      hash === 'rechained' ? eventHash(prev, event) : hash,
    );
  })();
  return position + 1;
}

/** Removes every event after `position`: the log ends there. */
export function truncateAfter(db: Database.Database, position: number): void {
  db.prepare('DELETE FROM events WHERE position > ?').run(position);
}

/**
 * Chains the whole log again from the first event, as someone who edited it
 * and knows the algorithm would, so that the chain holds without a receipt.
 */
export function rechainAll(db: Database.Database): void {
  const rows = db
    .prepare(
      'SELECT position, stream_id, version, type, data, metadata FROM events ORDER BY position',
    )
    .all() as Array<{ position: number; stream_id: string } & Omit<ForgedEvent, 'streamId'>>;
  const update = db.prepare('UPDATE events SET hash = ? WHERE position = ?');
  let prev = '0'.repeat(64);
  db.transaction(() => {
    for (const row of rows) {
      prev = eventHash(prev, { ...row, streamId: row.stream_id });
      update.run(prev, row.position);
    }
  })();
}

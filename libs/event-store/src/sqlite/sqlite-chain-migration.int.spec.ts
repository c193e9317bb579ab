import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../event-store';
import { hasHashColumn, verifySqliteLogFile } from './sqlite-chain';
import { SqliteEventStore } from './sqlite-event-store';
import { testMetadata } from '../../../../test/support/test-events';

function note(index: number): NewEvent {
  return {
    type: 'TicketNoteAdded',
    data: { body: `note ${index}` },
    metadata: testMetadata(),
  };
}

/** More than one migration batch (5,000). */
const EVENTS = 12_001;

describe('chaining a log written before the chain', () => {
  let dir: string;
  let file: string;
  let chainedHashes: string[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-chain-migration-'));
    file = join(dir, 'ledger.sqlite');
    const store = SqliteEventStore.open(file);
    for (let start = 0; start < EVENTS; start += 1000) {
      const count = Math.min(1000, EVENTS - start);
      await Promise.all(
        Array.from({ length: count }, (_, i) =>
          store.append(`ticket-${(start + i) % 7}`, [note(start + i)], 'any'),
        ),
      );
    }
    await store.close();
    const db = new Database(file);
    chainedHashes = db
      .prepare('SELECT hash FROM events ORDER BY position')
      .pluck()
      .all() as string[];
    // The file as the store wrote it before the chain existed.
    db.exec('ALTER TABLE events DROP COLUMN hash');
    db.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function storedHashes(): string[] {
    const db = new Database(file, { readonly: true });
    try {
      return db.prepare('SELECT hash FROM events ORDER BY position').pluck().all() as string[];
    } finally {
      db.close();
    }
  }

  it('adds the column at open and chains every event as the store would have', async () => {
    const store = SqliteEventStore.open(file);
    try {
      expect(storedHashes()).toEqual(chainedHashes);
      expect(await store.chain.verify()).toEqual({ ok: true, eventsChecked: EVENTS });
    } finally {
      await store.close();
    }
  });

  it('is verified, read-only and unchanged, as written outside the chain', async () => {
    const answer = await verifySqliteLogFile(file);

    expect(answer).toMatchObject({
      ok: false,
      eventsChecked: 1,
      firstBroken: { position: '1', reason: 'hash_missing' },
    });
    const db = new Database(file, { readonly: true });
    expect(hasHashColumn(db)).toBe(false);
    db.close();
  });

  it('leaves the file as it was when chaining fails half-way, and chains it at the next open', () => {
    const db = new Database(file);
    db.exec(`CREATE TRIGGER failing_disk BEFORE UPDATE OF hash ON events WHEN NEW.position = 7000
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);

    expect(() => SqliteEventStore.open(file)).toThrow('disk I/O error');
    expect(hasHashColumn(db)).toBe(false);

    db.exec('DROP TRIGGER failing_disk');
    db.close();
    return SqliteEventStore.open(file)
      .close()
      .then(() => expect(storedHashes()).toEqual(chainedHashes));
  });

  it('chains once: a later open does not chain again, so it cannot hide an edit', async () => {
    await SqliteEventStore.open(file).close();
    const db = new Database(file);
    db.prepare('UPDATE events SET data = \'{"body":"edited"}\' WHERE position = 10').run();
    db.close();

    const store = SqliteEventStore.open(file);
    try {
      expect((await store.chain.verify()).firstBroken).toMatchObject({
        position: '10',
        reason: 'hash_mismatch',
      });
    } finally {
      await store.close();
    }
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SqliteEventStore,
  verifySqliteLogFile,
  type ChainReceipt,
  type ChainVerification,
  type NewEvent,
} from '@ledger/event-store';
import {
  deleteEvent,
  editColumn,
  insertAfter,
  rechainAll,
  swapEvents,
  truncateAfter,
} from '../support/log-tampering';
import { testMetadata } from '../support/test-events';

function note(body: string): NewEvent {
  return {
    type: 'TicketNoteAdded',
    data: { body },
    metadata: testMetadata(),
  };
}

const FORGED = {
  streamId: 'ticket-forged',
  version: 1,
  type: 'TicketNoteAdded',
  data: '{"body":"never written by the API"}',
  metadata: '{"eventId":"forged","occurredAt":"2025-03-01T10:00:00.000Z"}',
};

/** The stream and version stored at `position`, as verification should name them. */
function eventAt(db: Database.Database, position: number) {
  const row = db
    .prepare('SELECT stream_id AS streamId, version FROM events WHERE position = ?')
    .get(position) as { streamId: string; version: number };
  return { ...row, position: String(position) };
}

describe('the SQLite log chain against tampering', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let db: Database.Database;
  let receipt: ChainReceipt;

  /** Twelve events in three interleaved streams, one append of three among them. */
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-tamper-'));
    file = join(dir, 'ledger.sqlite');
    store = SqliteEventStore.open(file);
    for (let round = 0; round < 3; round++) {
      for (const stream of ['ticket-a', 'ticket-b', 'ticket-c']) {
        await store.append(stream, [note(`${stream} ${round}`)], 'any');
      }
    }
    await store.append('ticket-b', [note('x'), note('y'), note('z')], 3);
    const head = await store.chain.head();
    receipt = { position: head.position, hash: head.hash! };
    db = new Database(file);
  });

  afterEach(async () => {
    db.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The store's answer, after checking that reading the file alone answers the same. */
  async function verify(withReceipt?: ChainReceipt): Promise<ChainVerification> {
    const answer = await store.chain.verify(withReceipt);
    expect(await verifySqliteLogFile(file, withReceipt)).toEqual(answer);
    return answer;
  }

  function brokenAt(position: number, reason: string, eventsChecked = position) {
    return {
      ok: false,
      eventsChecked,
      firstBroken: { ...eventAt(db, position), reason, detail: expect.any(String) },
    };
  }

  it('holds on the log as written, with and without the head as receipt', async () => {
    expect(receipt).toEqual({ position: '12', hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await verify()).toEqual({ ok: true, eventsChecked: 12 });
    expect(await verify(receipt)).toEqual({ ok: true, eventsChecked: 12 });
  });

  it('finds edited data at the edited event', async () => {
    editColumn(db, 5, 'data', (data: string) => data.replace('"}', ' (edited)"}'));

    expect(await verify()).toEqual(brokenAt(5, 'hash_mismatch'));
  });

  it('finds data edited to the same JSON written differently', async () => {
    editColumn(db, 5, 'data', (data: string) => data.replace(':', ': '));

    expect(await verify()).toEqual(brokenAt(5, 'hash_mismatch'));
  });

  it('finds edited metadata at the edited event', async () => {
    editColumn(db, 7, 'metadata', (metadata: string) =>
      metadata.replace('"actor":"test"', '"actor":"agent-8"'),
    );

    expect(await verify()).toEqual(brokenAt(7, 'hash_mismatch'));
  });

  it.each(['type', 'stream_id', 'version'] as const)('finds an edited %s', async (column) => {
    editColumn(db, 4, column, (value) => (typeof value === 'number' ? value + 100 : `${value}x`));

    expect(await verify()).toEqual(brokenAt(4, 'hash_mismatch'));
  });

  it('finds an event deleted in the middle at the event after it', async () => {
    deleteEvent(db, 6);

    expect(await verify()).toEqual(brokenAt(7, 'hash_mismatch', 6));
  });

  it('finds the first event deleted at the second', async () => {
    deleteEvent(db, 1);

    expect(await verify()).toEqual(brokenAt(2, 'hash_mismatch', 1));
  });

  it('cannot see the last event deleted without a receipt, and sees it with one', async () => {
    deleteEvent(db, 12);

    expect(await verify()).toEqual({ ok: true, eventsChecked: 11 });
    expect(await verify(receipt)).toEqual({
      ok: false,
      eventsChecked: 11,
      firstBroken: {
        streamId: null,
        version: null,
        position: '12',
        reason: 'receipt_beyond_log',
        detail: expect.any(String),
      },
    });
  });

  it('finds a truncation past an older receipt, and passes the receipt it kept', async () => {
    const older = {
      position: '8',
      hash: db.prepare('SELECT hash FROM events WHERE position = 8').pluck().get() as string,
    };
    truncateAfter(db, 8);

    expect(await verify(older)).toEqual({ ok: true, eventsChecked: 8 });
    expect((await verify(receipt)).firstBroken).toMatchObject({
      position: '12',
      reason: 'receipt_beyond_log',
    });
  });

  it('finds two events swapped at the first of them', async () => {
    swapEvents(db, 4, 9);

    expect(await verify()).toEqual(brokenAt(4, 'hash_mismatch'));
  });

  it('finds an event inserted without a hash at the inserted event', async () => {
    const inserted = insertAfter(db, 5, FORGED, null);

    expect(await verify()).toEqual(brokenAt(inserted, 'hash_missing'));
  });

  it('finds an event inserted with another event’s hash at the inserted event', async () => {
    const copied = db.prepare('SELECT hash FROM events WHERE position = 6').pluck().get() as string;
    const inserted = insertAfter(db, 5, FORGED, copied);

    expect(await verify()).toEqual(brokenAt(inserted, 'hash_mismatch'));
  });

  it('finds an event inserted with the hash it would have had at the event after it', async () => {
    const inserted = insertAfter(db, 5, FORGED, 'rechained');

    expect(await verify()).toEqual(brokenAt(inserted + 1, 'hash_mismatch'));
  });

  it('finds a log edited and chained again only through a receipt taken before', async () => {
    editColumn(db, 3, 'data', (data: string) => data.replace('"}', ' (rewritten)"}'));
    rechainAll(db);

    expect(await verify()).toEqual({ ok: true, eventsChecked: 12 });
    expect(await verify(receipt)).toEqual(brokenAt(12, 'receipt_mismatch'));
  });

  it('names the first of several breaks', async () => {
    editColumn(db, 9, 'data', (data: string) => data.replace('"}', '!"}'));
    deleteEvent(db, 3);

    expect(await verify(receipt)).toEqual(brokenAt(4, 'hash_mismatch', 3));
  });

  it('keeps appending on a broken log, and still names where it broke', async () => {
    editColumn(db, 2, 'data', (data: string) => data.replace('"}', '!"}'));

    const appended = await store.append('ticket-d', [note('after the edit')], 'no_stream');

    expect(appended.position).toBe('13');
    expect(await verify()).toEqual(brokenAt(2, 'hash_mismatch'));
  });

  it('chains appends on to the head it answered', async () => {
    await store.append('ticket-d', [note('later')], 'no_stream');

    expect(await verify(receipt)).toEqual({ ok: true, eventsChecked: 13 });
    expect((await store.chain.head()).position).toBe('13');
  });
});

import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  customerStreamId,
  ERASED,
  isCustomerErased,
  postMortemStreamId,
  ticketStreamId,
  type PostMortemEvent,
  type TicketEvent,
} from '@ledger/domain';
import {
  RecentEvents,
  SqliteEventStore,
  type NewEvent,
  type RecordedEvent,
} from '@ledger/event-store';
import { testMetadata, ticketOpened } from '../../../test/support/test-events';
import { UnreadablePersonalDataError, MasterKeyMismatchError } from './errors';
import { customerKeyId, KeyRing } from './key-ring';
import { PersonalDataEventStore } from './personal-data-event-store';
import { RecentlySealed } from './recently-sealed';
import { SqliteKeyStore } from './sqlite/sqlite-key-store';

const T1 = ticketStreamId('t-1');
const T2 = ticketStreamId('t-2');

function opening(ticketId: string, customerId: string, name?: string): TicketEvent {
  const opened = ticketOpened(ticketId);
  return {
    ...opened,
    data: {
      ...opened.data,
      subject: `Invoice for ${name ?? customerId} is wrong`,
      description: 'Charged twice in March',
      customer: { id: customerId, ...(name !== undefined && { name }), tier: 'vip' },
    },
  };
}

const note = (body: string): TicketEvent => ({ type: 'TicketNoteAdded', data: { body } });
const resolved: TicketEvent = {
  type: 'TicketResolved',
  data: {
    resolution: 'Refunded the second charge',
    rootCause: 'double-charge',
    resolvedTier: 'L1',
  },
};

function stamped(event: TicketEvent | PostMortemEvent, schemaVersion = 2): NewEvent {
  return { ...event, metadata: testMetadata({ schemaVersion }) };
}

let dir: string;
let log: SqliteEventStore;
let keys: KeyRing;
let store: PersonalDataEventStore;
const master = randomBytes(32);

async function openStore(): Promise<PersonalDataEventStore> {
  log = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
  keys = await KeyRing.open(SqliteKeyStore.open(join(dir, 'keys.sqlite')), master);
  return new PersonalDataEventStore(log, keys);
}

/** The log as the adapter below stores it. */
async function stored(streamId: string): Promise<RecordedEvent[]> {
  return log.readStream(streamId);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'personal-data-'));
  store = await openStore();
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the personal data of events', () => {
  it('keeps no text of what it sealed where it does not read it back (projections elsewhere), and reads back as written', async () => {
    const remembered = jest.spyOn(RecentlySealed.prototype, 'remember');
    const forgetful = new PersonalDataEventStore(log, keys, { readsBackWhatItSeals: false });
    const events = [opening('t-1', 'c-1', 'Ada Lovelace'), note('Called her back')];

    try {
      await forgetful.append(
        T1,
        events.map((event) => stamped(event)),
        'no_stream',
      );
      const keptByForgetful = remembered.mock.calls.length;
      await store.append(T2, [stamped(opening('t-2', 'c-2', 'Grace Hopper'))], 'no_stream');

      expect(keptByForgetful).toBe(0);
      expect(remembered).toHaveBeenCalled();
      expect((await forgetful.readStream(T1)).map(({ type, data }) => ({ type, data }))).toEqual(
        events,
      );
      expect(JSON.stringify(await stored(T1))).not.toContain('Called her back');
    } finally {
      remembered.mockRestore();
    }
  });

  it('is stored sealed and read back as written, by stream and by position', async () => {
    const events = [opening('t-1', 'c-1', 'Ada Lovelace'), note('Called her back'), resolved];
    await store.append(
      T1,
      events.slice(0, 1).map((event) => stamped(event)),
      'no_stream',
    );
    await store.append(
      T1,
      events.slice(1).map((event) => stamped(event)),
      1,
    );

    expect((await store.readStream(T1)).map(({ type, data }) => ({ type, data }))).toEqual(events);
    expect((await store.readAll({ limit: 10 })).map(({ type, data }) => ({ type, data }))).toEqual(
      events,
    );
    const raw = JSON.stringify(await stored(T1));
    for (const text of ['Ada Lovelace', 'Invoice for', 'Charged twice', 'Called her', 'Refunded']) {
      expect(raw).not.toContain(text);
    }
    const [sealedOpening, sealedNote] = await stored(T1);
    expect(sealedOpening?.data).toMatchObject({
      ticketId: 't-1',
      subject: { enc: 'v1', kid: 'customer:c-1' },
      customer: { id: 'c-1', tier: 'vip', name: { enc: 'v1', kid: 'customer:c-1' } },
      category: 'account',
      priority: 'medium',
    });
    expect(sealedNote?.metadata.schemaVersion).toBe(2);
    expect((await stored(T1))[2]?.data).toMatchObject({
      rootCause: 'double-charge',
      resolvedTier: 'L1',
    });
  });

  it('seals each field with its own IV, and leaves the caller’s events as they were', async () => {
    const first = stamped(note('Same words'));
    const event = stamped(opening('t-1', 'c-1'));
    await store.append(T1, [event], 'no_stream');
    await store.append(T1, [first, stamped(note('Same words'))], 1);

    expect(event.data).toEqual(opening('t-1', 'c-1').data);
    const [, one, two] = await stored(T1);
    if (!one || !two) throw new Error('The notes were not stored');
    expect((one.data as { body: { iv: string } }).body.iv).not.toBe(
      (two.data as { body: { iv: string } }).body.iv,
    );
  });

  it('seals a ticket’s later events with its customer’s key, found in the log after a restart', async () => {
    await store.append(T1, [stamped(opening('t-1', 'c-1'))], 'no_stream');
    await store.close();
    store = await openStore();

    await store.append(T1, [stamped(note('After the restart'))], 1);

    expect((await stored(T1))[1]?.data).toMatchObject({ body: { kid: 'customer:c-1' } });
    expect((await store.readStream(T1))[1]?.data).toEqual({ body: 'After the restart' });
  });

  it('passes events without personal data through untouched', async () => {
    const agent = {
      type: 'AgentRegistered',
      data: { agentId: 'ana', name: 'Ana', tier: 'L1', capacity: 2 },
      metadata: testMetadata(),
    };
    await store.append('agent-ana', [agent], 'no_stream');

    expect((await stored('agent-ana'))[0]).toMatchObject({
      data: agent.data,
      metadata: agent.metadata,
    });
  });
});

describe('an erased customer', () => {
  beforeEach(async () => {
    await store.append(
      T1,
      [stamped(opening('t-1', 'c-1', 'Ada')), stamped(note('Private'))],
      'no_stream',
    );
    await store.append(T2, [stamped(opening('t-2', 'c-2', 'Grace'))], 'no_stream');
    await keys.destroy(customerKeyId('c-1'));
  });

  it('reads as erased, personal fields only, and the other customers as they were', async () => {
    const [opened, noted] = await store.readStream(T1);

    expect(opened?.data).toMatchObject({
      subject: ERASED,
      description: ERASED,
      customer: { id: 'c-1', name: ERASED, tier: 'vip' },
      category: 'account',
      priority: 'medium',
    });
    expect(noted?.data).toEqual({ body: ERASED });
    expect((await store.readStream(T2))[0]?.data).toMatchObject({ customer: { name: 'Grace' } });
  });

  it('reads as erased from a store opened afterwards, and by position', async () => {
    await store.close();
    store = await openStore();

    const all = await store.readAll({ limit: 10 });
    expect(all.filter((event) => event.streamId === T1).map((event) => event.data)).toEqual([
      expect.objectContaining({ subject: ERASED }),
      { body: ERASED },
    ]);
  });

  it('keeps nothing of what is written about them afterwards', async () => {
    await store.append(T1, [stamped(note('Written after the erasure'))], 2);

    expect((await stored(T1))[2]?.data).toEqual({ body: { enc: 'erased', kid: 'customer:c-1' } });
    expect((await store.readStream(T1))[2]?.data).toEqual({ body: ERASED });
  });
});

describe('events written before personal data was sealed (schema 1)', () => {
  const v1 = [opening('t-1', 'c-1', 'Ada'), note('Plain note'), resolved];

  beforeEach(async () => {
    // Straight into the adapter, as the code of the time wrote them.
    await log.append(
      T1,
      v1.map((event) => stamped(event, 1)),
      'no_stream',
    );
  });

  it('are upcast and read as they were written, and stay as stored', async () => {
    expect((await store.readStream(T1)).map((event) => event.data)).toEqual(v1.map((e) => e.data));
    expect((await store.readStream(T1, { after: 1 })).map((event) => event.data)).toEqual(
      v1.slice(1).map((e) => e.data),
    );
    expect((await stored(T1)).map((event) => event.data)).toEqual(v1.map((e) => e.data));
    expect((await store.readStream(T1))[0]?.metadata.schemaVersion).toBe(1);
  });

  it('read as erased once their customer is erased, though the log keeps their text', async () => {
    await keys.destroy(customerKeyId('c-1'));
    await store.close();
    store = await openStore();

    expect((await store.readStream(T1, { after: 1 }))[0]?.data).toEqual({ body: ERASED });
    expect((await store.readAll({ limit: 10 }))[0]?.data).toMatchObject({
      subject: ERASED,
      customer: { name: ERASED },
    });
  });

  it('are followed by sealed events on the same ticket', async () => {
    await store.append(T1, [stamped(note('Sealed now'))], 3);

    expect((await stored(T1))[3]?.data).toMatchObject({ body: { enc: 'v1', kid: 'customer:c-1' } });
    expect((await store.readStream(T1))[3]?.data).toEqual({ body: 'Sealed now' });
  });
});

describe('a log that was altered', () => {
  beforeEach(async () => {
    await store.append(
      T1,
      [stamped(opening('t-1', 'c-1', 'Ada')), stamped(note('Private'))],
      'no_stream',
    );
  });

  function tamper(version: number, change: (data: Record<string, any>) => void): void {
    const db = new Database(join(dir, 'ledger.sqlite'));
    const row = db
      .prepare('SELECT data FROM events WHERE stream_id = ? AND version = ?')
      .get(T1, version) as { data: string };
    const data = JSON.parse(row.data);
    change(data);
    db.prepare('UPDATE events SET data = ? WHERE stream_id = ? AND version = ?').run(
      JSON.stringify(data),
      T1,
      version,
    );
    db.close();
  }

  function withFirstBitFlipped(base64: string): string {
    const bytes = Buffer.from(base64, 'base64');
    bytes.writeUInt8(bytes.readUInt8(0) ^ 1, 0);
    return bytes.toString('base64');
  }

  async function readError(): Promise<unknown> {
    return store.readStream(T1).then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  it('names the event and the field whose ciphertext does not authenticate', async () => {
    tamper(2, (data) => {
      data.body.ct = withFirstBitFlipped(data.body.ct);
    });

    const error = await readError();
    expect(error).toBeInstanceOf(UnreadablePersonalDataError);
    expect(error).toMatchObject({
      code: 'PERSONAL_DATA_UNREADABLE',
      streamId: T1,
      version: 2,
      field: 'body',
      message: expect.stringContaining('does not authenticate'),
    });
  });

  it.each(['iv', 'tag'])(
    'refuses a field whose %s was altered, though this process sealed it moments before',
    async (part) => {
      tamper(2, (data) => {
        data.body[part] = withFirstBitFlipped(data.body[part]);
      });

      expect(await readError()).toMatchObject({
        code: 'PERSONAL_DATA_UNREADABLE',
        field: 'body',
        message: expect.stringContaining('does not authenticate'),
      });
    },
  );

  it('refuses a field moved under another customer’s key id', async () => {
    await store.append(T2, [stamped(opening('t-2', 'c-2', 'Grace'))], 'no_stream');
    tamper(2, (data) => {
      data.body.kid = 'customer:c-2';
    });

    expect(await readError()).toBeInstanceOf(UnreadablePersonalDataError);
  });

  it('refuses a sealed field replaced by plain text', async () => {
    tamper(2, (data) => {
      data.body = 'Forged note';
    });

    expect(await readError()).toMatchObject({ message: expect.stringContaining('not a sealed') });
  });

  it('refuses a key store that is not the log’s, rather than show the data as erased', async () => {
    await store.close();
    rmSync(join(dir, 'keys.sqlite'));
    store = await openStore();

    expect(await readError()).toMatchObject({ message: expect.stringContaining('has no key') });
  });

  it('refuses a master key that did not wrap the stored keys', async () => {
    const keyStore = SqliteKeyStore.open(join(dir, 'keys.sqlite'));
    await expect(KeyRing.open(keyStore, randomBytes(32))).rejects.toBeInstanceOf(
      MasterKeyMismatchError,
    );
    await keyStore.close();
  });
});

describe('an erased customer, read through the newest events held for the log’s followers', () => {
  it('reads as erased once the erasure is appended, however many events came between', async () => {
    const recent = new RecentEvents(store, { dropsEarlier: isCustomerErased });
    await recent.append(T1, [stamped(opening('t-1', 'c-1', 'Ada'))], 'no_stream');
    const [held] = await recent.readAll({ after: log.origin, limit: 200 });
    expect(held!.data).toMatchObject({ customer: { name: 'Ada' } });

    // More than one read of the log ahead of what is held, then the erasure.
    await recent.append(T2, [stamped(opening('t-2', 'c-2', 'Grace'))], 'no_stream');
    const notes = Array.from({ length: 1500 }, (_, i) => stamped(note(`Note ${i}`)));
    await recent.append(T2, notes, 'any');
    await keys.destroy(customerKeyId('c-1'));
    await recent.append(
      customerStreamId('c-1'),
      [{ type: 'CustomerErased', data: { customerId: 'c-1' }, metadata: testMetadata() }],
      'no_stream',
    );

    const [replayed] = await recent.readAll({ after: log.origin, limit: 200 });
    expect(replayed!.data).toMatchObject({ subject: ERASED, customer: { name: ERASED } });
  });
});

describe('a post-mortem’s free text', () => {
  const PM = postMortemStreamId('t-1');
  const recorded: PostMortemEvent = {
    type: 'PostMortemRecorded',
    data: {
      ticketId: 't-1',
      customerId: 'c-1',
      participants: [
        { agentId: 'ag-1', role: 'Ran the bridge call' },
        { agentId: 'ag-2', role: 'Wrote to Ada' },
      ],
      rootCause: 'double-charge',
      wentWell: 'Refund in an hour',
      toImprove: 'Catch duplicate charges',
    },
  };
  const planned: PostMortemEvent = {
    type: 'PostMortemActionPlanned',
    data: {
      actionId: 'a1',
      kind: 'training',
      description: 'Deduplicate charges',
      owner: 'ag-1',
      dueDate: '2026-04-01',
    },
  };
  const dropped: PostMortemEvent = {
    type: 'PostMortemActionDropped',
    data: { actionId: 'a1', reason: 'Ada asked us not to' },
  };
  const done: PostMortemEvent = { type: 'PostMortemActionDone', data: { actionId: 'a1' } };

  async function appendPostMortem() {
    await store.append(
      PM,
      [recorded].map((event) => stamped(event)),
      'no_stream',
    );
    // Without a recording: the customer is found from the stream's first event.
    await store.append(
      PM,
      [planned, done].map((event) => stamped(event)),
      1,
    );
    await store.append(
      PM,
      [dropped].map((event) => stamped(event)),
      3,
    );
  }

  it('is stored sealed with the ticket’s customer’s key, each participant’s role too, and read back as written', async () => {
    await appendPostMortem();
    const store2 = await openStore();
    const events = [recorded, planned, done, dropped];

    expect((await store2.readStream(PM)).map(({ type, data }) => ({ type, data }))).toEqual(events);
    const raw = JSON.stringify(await stored(PM));
    for (const text of [
      'bridge call',
      'Wrote to Ada',
      'Refund in',
      'Catch dup',
      'Deduplicate',
      'asked us',
    ]) {
      expect(raw).not.toContain(text);
    }
    const [sealedRecorded] = await stored(PM);
    if (!sealedRecorded) throw new Error('The post-mortem was not stored');
    expect(sealedRecorded.data).toMatchObject({
      customerId: 'c-1',
      rootCause: 'double-charge',
      participants: [
        { agentId: 'ag-1', role: { enc: 'v1', kid: 'customer:c-1' } },
        { agentId: 'ag-2', role: { enc: 'v1', kid: 'customer:c-1' } },
      ],
      wentWell: { enc: 'v1', kid: 'customer:c-1' },
    });
    expect(Array.isArray((sealedRecorded.data as { participants: unknown }).participants)).toBe(
      true,
    );
    expect((await stored(PM)).map((event) => event.metadata.schemaVersion)).toEqual([2, 2, 2, 2]);
    await store2.close();
  });

  it('reads as erased once the customer is erased; written in the clear (schema 1), likewise', async () => {
    await appendPostMortem();
    const PM2 = postMortemStreamId('t-2');
    await log.append(
      PM2,
      [{ ...recorded, data: { ...recorded.data, ticketId: 't-2' } }].map((event) =>
        stamped(event, 1),
      ),
      'no_stream',
    );
    expect((await store.readStream(PM2))[0]?.data).toEqual({ ...recorded.data, ticketId: 't-2' });

    await keys.destroy(customerKeyId('c-1'));

    for (const streamId of [PM, PM2]) {
      const [first] = await store.readStream(streamId);
      expect(first?.data).toMatchObject({
        customerId: 'c-1',
        rootCause: 'double-charge',
        participants: [
          { agentId: 'ag-1', role: ERASED },
          { agentId: 'ag-2', role: ERASED },
        ],
        wentWell: ERASED,
        toImprove: ERASED,
      });
    }
    const [, plannedRead, , droppedRead] = await store.readStream(PM);
    expect(plannedRead?.data).toMatchObject({ description: ERASED, owner: 'ag-1' });
    expect(droppedRead?.data).toEqual({ actionId: 'a1', reason: ERASED });
  });
});

import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type ChainReceipt, type NewEvent } from '@ledger/event-store';
import { SqliteLogChain } from '../../libs/event-store/src/sqlite/sqlite-chain';
import { verifyInThread } from '../../libs/event-store/src/sqlite/verify-in-thread';
import { ensureServerBuilt, REPO_ROOT } from '../support/api-process';
import { deleteEvent, editColumn } from '../support/log-tampering';
import { testMetadata } from '../support/test-events';

/** The thread as `npm run build` makes it. */
const BUILT_ENTRY = join(
  REPO_ROOT,
  'dist',
  'libs',
  'event-store',
  'src',
  'sqlite',
  'chain-thread.js',
);
const ANSWERING_ENTRY = join(__dirname, 'support', 'answering-thread.mjs');

function note(body: string): NewEvent {
  return { type: 'TicketNoteAdded', data: { body }, metadata: testMetadata() };
}

describe('verifying the SQLite log in a thread of its own', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  let receipt: ChainReceipt;

  beforeAll(() => ensureServerBuilt(), 180_000);

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-chain-thread-'));
    file = join(dir, 'ledger.sqlite');
    store = SqliteEventStore.open(file);
    for (let n = 0; n < 30; n++) {
      await store.append(`ticket-${n % 4}`, [note(`note ${n}`)], 'any');
    }
    const head = await store.chain.head();
    receipt = { position: head.position, hash: head.hash! };
    await store.append('ticket-0', [note('after the receipt')], 'any');
  });

  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const both = (given?: ChainReceipt) =>
    Promise.all([verifyInThread(file, given, {}, BUILT_ENTRY), store.chain.verifyHere(given)]);

  it('gives the answers of this thread on an intact log, with and without a receipt', async () => {
    const [whole, wholeHere] = await both();
    const [kept, keptHere] = await both(receipt);

    expect(whole).toEqual({ ok: true, eventsChecked: 31 });
    expect(wholeHere).toEqual(whole);
    expect(kept).toEqual({ ok: true, eventsChecked: 31 });
    expect(keptHere).toEqual(kept);
  });

  it('names the same first broken event once the file is edited behind the store', async () => {
    const db = new Database(file);
    editColumn(db, 12, 'data', () => '{"body":"rewritten"}');
    deleteEvent(db, 20);
    db.close();

    const [inThread, here] = await both();
    const [withReceipt, withReceiptHere] = await both(receipt);

    expect(inThread).toMatchObject({
      ok: false,
      eventsChecked: 12,
      firstBroken: { position: '12', reason: here.firstBroken!.reason },
    });
    expect(here).toEqual(inThread);
    expect(withReceiptHere).toEqual(withReceipt);
  });

  it('stops the thread when the verification is aborted', async () => {
    const stop = new AbortController();
    const verifying = verifyInThread(file, undefined, { signal: stop.signal }, BUILT_ENTRY);
    stop.abort(new Error('shutting down'));

    await expect(verifying).rejects.toThrow('shutting down');
  });

  it('rejects with the reason when the file cannot be opened', async () => {
    await expect(
      verifyInThread(join(dir, 'missing.sqlite'), undefined, {}, BUILT_ENTRY),
    ).rejects.toThrow(/unable to open|does not exist|directory does not exist/i);
  });

  it('hands a store’s verification to the thread once its entry is built, checking the receipt here first', async () => {
    const db = new Database(file);
    const chain = new SqliteLogChain(db, undefined, { file, entry: ANSWERING_ENTRY });
    const unbuilt = new SqliteLogChain(db, undefined, { file, entry: join(dir, 'not-built.js') });

    const handed = await chain.verify(receipt);
    const here = await unbuilt.verify();
    const badReceipt = chain.verify({ position: '-3', hash: receipt.hash });

    expect(handed).toEqual({
      ok: true,
      eventsChecked: -1,
      handedOver: { file, receipt },
    });
    expect(here).toEqual({ ok: true, eventsChecked: 31 });
    await expect(badReceipt).rejects.toMatchObject({ name: 'InvalidPositionError' });
    db.close();
  });
});

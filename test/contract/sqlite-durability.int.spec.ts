import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForwardingEventStore, type EventStore } from '@ledger/event-store';
import { loadConfig, openStores, type Stores } from '@ledger/runtime';
import { openIdempotencyStore } from '../../apps/api/src/idempotency/open-idempotency-store';
import type { IdempotencyStore } from '../../apps/api/src/idempotency/idempotency-store';

/** A store's connection: its own, reached here only to read how it writes. */
const connectionOf = (store: unknown): Database.Database => (store as { db: Database.Database }).db;

const SYNCHRONOUS = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];

function settingsOf(db: Database.Database) {
  return {
    journalMode: db.pragma('journal_mode', { simple: true }),
    synchronous: SYNCHRONOUS[db.pragma('synchronous', { simple: true }) as number],
    secureDelete: db.pragma('secure_delete', { simple: true }),
  };
}

/** The key store below the personal-data decorator, wherever it sits among the log's decorators. */
function keyStoreOf(events: EventStore): unknown {
  for (let store: unknown = events; store instanceof ForwardingEventStore;) {
    const keys = (store as unknown as { keys?: { store: unknown } }).keys;
    if (keys !== undefined) return keys.store;
    store = (store as unknown as { inner: unknown }).inner;
  }
  throw new Error('the log has no personal-data decorator');
}

describe('the embedded stores, as a start opens them under DATA_DIR', () => {
  let dataDir: string;
  let stores: Stores;
  let answers: IdempotencyStore;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-durability-'));
    const config = loadConfig({ DATA_DIR: dataDir });
    stores = await openStores(config);
    answers = await openIdempotencyStore(config);
  });

  afterAll(async () => {
    await answers.close();
    await stores.events.close();
    await stores.readStore.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('commit the log with a full sync: an append answered survives a power loss', () => {
    const log = connectionOf(ForwardingEventStore.innermost(stores.events));
    expect(settingsOf(log)).toEqual({ journalMode: 'wal', synchronous: 'FULL', secureDelete: 1 });
  });

  it('commit the answers kept for retries with a full sync: a retry after a power loss gets the same answer', () => {
    expect(settingsOf(connectionOf(answers))).toEqual({
      journalMode: 'wal',
      synchronous: 'FULL',
      secureDelete: 1,
    });
  });

  it('commit data keys with a normal sync in the log’s file, whose next append syncs the WAL they are in', () => {
    expect(settingsOf(connectionOf(keyStoreOf(stores.events)))).toEqual({
      journalMode: 'wal',
      synchronous: 'NORMAL',
      secureDelete: 1,
    });
  });

  it('commit read models with a normal sync: a power loss may cost their last commits, which are replayed from the log', () => {
    expect(settingsOf(connectionOf(stores.readStore))).toEqual({
      journalMode: 'wal',
      synchronous: 'NORMAL',
      secureDelete: 1,
    });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore, type LogChain } from '@ledger/event-store';
import { SqliteReadStore } from '@ledger/read-store';
import { LedgerSealer } from './ledger-sealer';

/** The SQLite log, with a chain that counts the seals asked of it, as EventStoreDB's would write them. */
function sealingStore(store: SqliteEventStore, sealed: string[]): EventStore {
  const chain: LogChain = {
    head: () => store.chain.head(),
    verify: (receipt) => store.chain.verify(receipt),
    seal: async (sealedAt) => {
      sealed.push(sealedAt);
      return 1;
    },
  };
  return Object.assign(Object.create(store) as EventStore, { chain });
}

describe('LedgerSealer', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-sealer-'));
    events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    readStore = SqliteReadStore.open(join(dir, 'ledger.sqlite'));
  });

  afterEach(async () => {
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('seals in one process at a time: the lease holder', async () => {
    const sealed: string[] = [];
    const first = new LedgerSealer(sealingStore(events, sealed), readStore);
    const second = new LedgerSealer(sealingStore(events, sealed), readStore);

    expect(await first.sealOnce()).toBe(1);
    expect(await second.sealOnce()).toBe(0);
    expect(await first.sealOnce()).toBe(1);
    await first.onApplicationShutdown();
    expect(await second.sealOnce()).toBe(1);
    expect(sealed).toHaveLength(3);
  });

  it('does nothing for a store whose chain needs no seals', async () => {
    const sealer = new LedgerSealer(events, readStore);

    expect(await sealer.sealOnce()).toBe(0);
    expect(await readStore.claimLease('ledger-seals', 'someone-else', 1000)).toBe(true);
  });
});

import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@ledger/read-store';
import { describeReadStoreContract } from './read-store.contract';

/** A path in a directory that does not exist yet: open must create it. */
function freshPath(): { dir: string; file: string } {
  const dir = join(tmpdir(), `read-store-${randomUUID()}`);
  return { dir, file: join(dir, 'data', 'ledger.sqlite') };
}

describeReadStoreContract('sqlite', async () => {
  const { dir, file } = freshPath();
  const store = SqliteReadStore.open(file);
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe('SqliteReadStore file', () => {
  const { dir, file } = freshPath();

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps generations, checkpoints and documents across a reopen', async () => {
    const first = SqliteReadStore.open(file);
    const { generation } = await first.createGeneration('escalation-kpis', 2);
    await first.commit('escalation-kpis', generation, [], '12');
    await first.activateGeneration('escalation-kpis', generation);
    await first.close();

    const reopened = SqliteReadStore.open(file);
    const registration = await reopened.registration('escalation-kpis');
    await reopened.close();

    expect(registration.active).toEqual({
      name: 'escalation-kpis',
      generation,
      projectionVersion: 2,
      position: '12',
    });
  });

  it('builds a generation without secondary indexes but the customer one, made at its first erasure', async () => {
    const store = SqliteReadStore.open(file);
    const { generation } = await store.createGeneration('ticket-view', 1);
    const indexes = () => {
      const db = new Database(file, { readonly: true });
      const names = db
        .prepare<[string], string>(
          "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?",
        )
        .pluck()
        .all(`rm_ticket_view_g${generation}`)
        .filter((name) => !name.startsWith('sqlite_autoindex'));
      db.close();
      return names;
    };
    const before = indexes();

    expect(await store.ticketIdsOfCustomer('ticket-view', generation, 'c-1')).toEqual([]);
    const after = indexes();
    await store.close();

    expect(before).toEqual([]);
    expect(after).toEqual([`rm_ticket_view_g${generation}_customer`]);
  });

  it('keeps secrets across a reopen, so cursors outlive a restart', async () => {
    const first = SqliteReadStore.open(file);
    const secret = await first.secret('queue-cursors');
    await first.close();

    const reopened = SqliteReadStore.open(file);
    const again = await reopened.secret('queue-cursors');
    await reopened.close();

    expect(again).toBe(secret);
  });
});

import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadStore } from '@ledger/read-store';
import { escalatedTicketPostMortem, openedTicketFacts } from '../support/escalation-facts';
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

  it('sums the KPI facts per day in rollups kept by triggers, built at the next open for a read model activated before they existed', async () => {
    const store = SqliteReadStore.open(file);
    const { generation } = await store.createGeneration('escalation-kpis', 1);
    const facts = ['2025-03-01T10:00:00.000Z', '2025-03-02T10:00:00.000Z'].map((openedAt, i) =>
      openedTicketFacts({ ticketId: `t-${i}`, openedAt }),
    );
    await store.commit(
      'escalation-kpis',
      generation,
      facts.map((doc) => ({ id: doc.ticketId, doc })),
      '2',
    );
    await store.activateGeneration('escalation-kpis', generation);
    const table = `rm_escalation_kpis_g${generation}`;
    const db = new Database(file);
    const dayRows = () =>
      db.prepare(`SELECT day, SUM(share_ticketsOpened) AS n FROM ${table}_days GROUP BY day`).all();
    expect(dayRows()).toEqual([
      { day: '2025-03-01', n: 1 },
      { day: '2025-03-02', n: 1 },
    ]);
    // As a read model activated by an earlier version holds it: no rollups, no triggers.
    db.exec(`DROP TABLE ${table}_days; DROP TABLE ${table}_agent_days`);
    db.exec(
      ['insert', 'update', 'move', 'delete']
        .flatMap((event) => [
          `DROP TRIGGER ${table}_days_on_${event}`,
          `DROP TRIGGER ${table}_agent_days_on_${event}`,
        ])
        .join('; '),
    );
    await store.close();

    const reopened = SqliteReadStore.open(file);
    const third = openedTicketFacts({ ticketId: 't-2', openedAt: '2025-03-02T11:00:00.000Z' });
    await reopened.commit('escalation-kpis', generation, [{ id: third.ticketId, doc: third }], '3');
    const { totals, groups } = await reopened.escalationTallies({}, 'day');
    const rows = dayRows();
    db.close();
    await reopened.close();

    expect(totals.ticketsOpened).toBe(3);
    expect(groups.map(({ key, tally }) => [key, tally.ticketsOpened])).toEqual([
      ['2025-03-01', 1],
      ['2025-03-02', 2],
    ]);
    // Built at the open from the rows, and kept by the triggers since.
    expect(rows).toEqual([
      { day: '2025-03-01', n: 1 },
      { day: '2025-03-02', n: 2 },
    ]);
  });

  it('reads the KPI facts without rollups while they are missing', async () => {
    const store = SqliteReadStore.open(file);
    const { generation } = await store.createGeneration('escalation-kpis', 1);
    const facts = openedTicketFacts({ ticketId: 'u-1', openedAt: '2025-03-01T10:00:00.000Z' });
    await store.commit('escalation-kpis', generation, [{ id: facts.ticketId, doc: facts }], '2');
    await store.activateGeneration('escalation-kpis', generation);
    const table = `rm_escalation_kpis_g${generation}`;
    const db = new Database(file);
    db.exec(`DROP TABLE ${table}_days; DROP TABLE ${table}_agent_days`);
    db.close();

    const { totals, groups } = await store.escalationTallies({}, 'category');
    await store.close();

    expect(totals.ticketsOpened).toBe(1);
    expect(groups.map(({ key }) => key)).toEqual([facts.category]);
  });

  it('counts post-mortems from the documents of a table written before it had the columns to count them by', async () => {
    const store = SqliteReadStore.open(file);
    const { generation } = await store.createGeneration('post-mortems', 1);
    const doc = (ticketId: string, escalationCount: number) =>
      escalatedTicketPostMortem(ticketId, { escalationCount });
    const docs = [doc('pm-1', 2), doc('pm-2', 1), doc('pm-3', 2)];
    await store.commit(
      'post-mortems',
      generation,
      docs.map((d) => ({ id: d.ticketId, doc: d })),
      '2',
    );
    await store.activateGeneration('post-mortems', generation);
    const counted = await store.postMortemCounts({}, 'agent', ['re-escalated']);
    await store.close();
    const table = `rm_post_mortems_g${generation}`;
    const db = new Database(file);
    db.exec(`DROP INDEX ${table}_counts; ALTER TABLE ${table} DROP COLUMN last_escalated_at`);
    db.close();

    const reopened = SqliteReadStore.open(file);
    const fromDocuments = await reopened.postMortemCounts({}, 'agent', ['re-escalated']);
    await reopened.close();

    expect(counted).toEqual([{ key: 'ana', required: 2, covered: 0, repeatEscalations: 0 }]);
    expect(fromDocuments).toEqual(counted);
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

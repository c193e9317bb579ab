import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { startApi } from './support/e2e-api';
import { historyOf, viewOf } from './support/tickets';
import { TestClock } from '../support/test-clock';
import { observe } from '../fixtures/schema-v1/observe';
import { fixtureEvents, fixtureExpectations, importFixture } from '../fixtures/schema-v1/replay';

describe('a log written with schema 1, replayed by today’s code', () => {
  const fixture = fixtureExpectations();
  let dataDir: string;

  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-v1-'));
    await importFixture(join(dataDir, 'ledger.sqlite'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('projects into the read models and KPIs the original run answered', async () => {
    const api = await startApi({ dataDir, clock: new TestClock(fixture.end) });
    try {
      expect(await observe(api, fixture.ticketIds, fixture.head)).toEqual(fixture.observed);
    } finally {
      await api.close();
    }
  });

  it('shows an erased customer’s schema-1 text as erased, keeps the KPIs, and never rewrites the stored events', async () => {
    const api = await startApi({ dataDir, clock: new TestClock(fixture.end) });
    try {
      const erased = await api.request('POST', '/v1/customers/c-100/erase');
      expect(erased.status).toBe(200);
      const after = erased.body.position;

      const ada = fixture.ticketIds.filter(
        (id) => (fixture.observed[`ticket ${id}`] as any).customer.id === 'c-100',
      );
      expect(ada).toHaveLength(2);
      for (const id of ada) {
        expect(await viewOf(api, id, after)).toMatchObject({
          subject: '[erased]',
          customer: { id: 'c-100', name: '[erased]', tier: 'vip' },
        });
        const history = await historyOf(api, id);
        expect(history[0].data).toMatchObject({ subject: '[erased]', description: '[erased]' });
        expect(history.filter((event) => event.type === 'TicketNoteAdded')).not.toEqual([]);
        for (const event of history.filter((event) => event.type === 'TicketNoteAdded')) {
          expect(event.data).toEqual({ body: '[erased]' });
        }
      }
      const others = fixture.ticketIds.filter((id) => !ada.includes(id));
      for (const id of others) {
        expect(await viewOf(api, id, after)).toEqual(fixture.observed[`ticket ${id}`]);
      }
      expect((await api.request('GET', '/v1/kpis/escalations')).body).toEqual(
        fixture.observed.kpis,
      );
    } finally {
      await api.close();
    }

    // Events are never rewritten: a schema-1 log keeps its text, which only reads hide.
    const log = SqliteEventStore.open(join(dataDir, 'ledger.sqlite'));
    const stored = await log.readAll({ limit: 1000 });
    await log.close();
    expect(stored.slice(0, fixtureEvents().length)).toEqual(fixtureEvents());
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ticketStreamId, type TicketOpened } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { SqliteReadStore } from '@ledger/read-store';
import { ticketViewProjection } from '../ticket-view/ticket-view.projection';
import { ProjectionRunner } from './projection-runner';

function opened(index: number): TicketOpened {
  return {
    type: 'TicketOpened',
    data: {
      ticketId: `t-${index}`,
      subject: 'Cannot log in',
      description: '',
      channel: 'email',
      customer: { id: 'c-1', tier: 'standard' },
      category: 'account',
      priority: 'medium',
      priorityReason: 'default',
      tier: 'L1',
    },
  };
}

describe('a projection rebuild', () => {
  let dir: string;
  let events: SqliteEventStore;
  let readStore: SqliteReadStore;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'projection-runner-'));
    events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    readStore = SqliteReadStore.open(join(dir, 'ledger.sqlite'));
    for (let index = 0; index < 6; index++) {
      const event = opened(index);
      await events.append(
        ticketStreamId(event.data.ticketId),
        [
          {
            ...event,
            metadata: {
              eventId: `e-${index}`,
              occurredAt: '2026-01-05T09:00:00.000Z',
              actor: 'test',
              correlationId: 'c',
              causationId: 'c',
              schemaVersion: 1,
            },
          },
        ],
        'no_stream',
      );
    }
  });

  afterEach(async () => {
    await readStore.close();
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets other work run between its batches, so the API keeps answering', async () => {
    const runner = new ProjectionRunner(events, readStore, ticketViewProjection, { batchSize: 2 });
    await runner.start();

    runner.startRebuild();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runner.status).toBe('rebuilding');

    while (runner.status !== 'live') await new Promise((resolve) => setImmediate(resolve));
    expect(runner.position).toBe(await events.headPosition());
    expect(await readStore.getTicket('t-5')).toMatchObject({ ticketId: 't-5', version: 1 });
    await runner.stop();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ticketStreamId } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { testMetadata, ticketOpened } from '../../../test/support/test-events';
import { lagsBehindHead } from './projection-lag';

let dir: string;
let events: SqliteEventStore;

/** Opens a ticket at `second` seconds past 09:00; answers its position. */
async function openedAt(second: number): Promise<string> {
  const event = ticketOpened(`t-${second}`);
  const occurredAt = new Date(Date.parse('2026-01-05T09:00:00.000Z') + second * 1000);
  const { position } = await events.append(
    ticketStreamId(event.data.ticketId),
    [{ ...event, metadata: testMetadata({ occurredAt: occurredAt.toISOString() }) }],
    'no_stream',
  );
  return position;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'projection-lag-'));
  events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
});

afterEach(async () => {
  await events.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('how far a read model is behind the log', () => {
  it('is nothing on an empty log, whatever the read model has applied', async () => {
    expect(await lagsBehindHead(events, [null])).toEqual([
      { events: 0, beyondCount: false, seconds: 0 },
    ]);
  });

  it('counts the events after its position, and the event time they span', async () => {
    const first = await openedAt(0);
    await openedAt(4);
    await openedAt(10);
    const head = await openedAt(12.5);

    expect(await lagsBehindHead(events, [head, first, null])).toEqual([
      { events: 0, beyondCount: false, seconds: 0 },
      { events: 3, beyondCount: false, seconds: 8.5 },
      { events: 4, beyondCount: false, seconds: 12.5 },
    ]);
  });

  it('is no time at all for the one newest event, however long the log was idle before it', async () => {
    const before = await openedAt(0);
    await openedAt(3600);

    expect(await lagsBehindHead(events, [before])).toEqual([
      { events: 1, beyondCount: false, seconds: 0 },
    ]);
  });

  it('stops counting at the limit and says so', async () => {
    for (let second = 0; second < 5; second++) await openedAt(second);

    expect(await lagsBehindHead(events, [null], 3)).toEqual([
      { events: 3, beyondCount: true, seconds: 2 },
    ]);
  });

  it('reads the log once for read models a little apart, and again for one past what was read', async () => {
    const positions: string[] = [];
    for (let second = 0; second < 6; second++) positions.push(await openedAt(second));
    let reads = 0;
    const readAll = events.readAll.bind(events);
    events.readAll = (options) => {
      reads++;
      return readAll(options);
    };

    const near = await lagsBehindHead(events, [positions[1], null, positions[2]], 4);

    expect(near).toEqual([
      { events: 2, beyondCount: true, seconds: 1 },
      { events: 4, beyondCount: true, seconds: 3 },
      { events: 1, beyondCount: true, seconds: 0 },
    ]);
    expect(reads).toBe(1);

    const apart = await lagsBehindHead(events, [null, positions[3]], 4);

    expect(apart).toEqual([
      { events: 4, beyondCount: true, seconds: 3 },
      { events: 2, beyondCount: false, seconds: 1 },
    ]);
    expect(reads).toBe(3);
  });
});

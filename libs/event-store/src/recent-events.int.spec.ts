import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DelayedEventStore } from '../../../test/support/delayed-event-store';
import { testMetadata } from '../../../test/support/test-events';
import type { NewEvent, ReadAllOptions, RecordedEvent } from './event-store';
import { ForwardingEventStore } from './forwarding-event-store';
import { RecentEvents } from './recent-events';
import { SqliteEventStore } from './sqlite/sqlite-event-store';

const note = (body: string, type = 'TicketNoteAdded'): NewEvent => ({
  type,
  data: { body },
  metadata: testMetadata(),
});

/** The log below, counting the reads that reach it. */
class CountedReads extends ForwardingEventStore {
  reads = 0;
  eventsRead = 0;
  override async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    this.reads++;
    const events = await this.inner.readAll(options);
    this.eventsRead += events.length;
    return events;
  }
}

let dir: string;
let log: SqliteEventStore;

let runs = 0;
function openLog(): void {
  log = SqliteEventStore.open(join(dir, `ledger-${runs++}.sqlite`));
  appended = 0;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'recent-events-'));
  openLog();
});

afterEach(async () => {
  await log.close();
  rmSync(dir, { recursive: true, force: true });
});

let appended = 0;
async function append(count: number, type?: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await log.append(`ticket-${appended % 3}`, [note(`n${appended}`, type)], 'any');
    appended++;
  }
}

/** Where a reader may stand: the start, the origin, or after any event in the log. */
async function positions(): Promise<(string | undefined)[]> {
  const all = await log.readAll({ limit: 10_000 });
  return [undefined, log.origin, ...all.map((event) => event.position)];
}

describe('RecentEvents', () => {
  it('answers every read as the log does, wherever the readers stand and however the log grows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ append: fc.integer({ min: 1, max: 5 }) }),
            fc.record({ at: fc.nat(), limit: fc.integer({ min: 1, max: 12 }) }),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        fc.integer({ min: 4, max: 30 }),
        async (steps, capacity) => {
          await log.close();
          openLog();
          const recent = new RecentEvents(log, { capacity });
          for (const step of steps) {
            if ('append' in step) {
              await append(step.append);
              continue;
            }
            const places = await positions();
            const after = places[step.at % places.length];
            const options = { ...(after !== undefined && { after }), limit: step.limit };
            expect(await recent.readAll(options)).toEqual(await log.readAll(options));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads each event from the log once, however many readers follow it', async () => {
    await append(20);
    const counted = new CountedReads(log);
    const recent = new RecentEvents(counted);
    const followers = Array.from({ length: 6 }, () => log.origin as string | undefined);
    for (let round = 0; round < 5; round++) {
      for (let follower = 0; follower < followers.length; follower++) {
        const after = followers[follower];
        const batch = await recent.readAll({ ...(after !== undefined && { after }), limit: 1000 });
        followers[follower] = batch.at(-1)?.position ?? after;
      }
      await append(3);
    }
    expect(counted.eventsRead).toBe(20 + 4 * 3);
    expect(followers.every((position) => position === followers[0])).toBe(true);
  });

  it('shows a reader every append made before its read began, though another read was under way', async () => {
    const delayed = new DelayedEventStore(log);
    const recent = new RecentEvents(delayed);
    await append(2);
    const first = await recent.readAll({ after: log.origin, limit: 100 });
    const held = delayed.hold('readAll', () => true);
    const slow = recent.readAll({ after: first[1]!.position, limit: 100 });
    await held.answered();
    await append(1);
    const late = recent.readAll({ after: first[1]!.position, limit: 100 });
    held.release();

    expect(await slow).toEqual([]);
    expect((await late).map((event) => event.data)).toEqual([{ body: 'n2' }]);
  });

  it('gives each reader as many events as the log holds, though it joined a smaller reader’s read', async () => {
    await log.append(
      'ticket-1',
      Array.from({ length: 3000 }, (_, i) => note(`n${i}`)),
      'any',
    );
    const recent = new RecentEvents(log);
    const [first] = await recent.readAll({ after: log.origin, limit: 1 });
    // Woken by one append: a runner, a feed, and the automation, which reads 5,000 at a time.
    const runner = recent.readAll({ after: first!.position, limit: 1000 });
    const feed = recent.readAll({ after: first!.position, limit: 200 });
    const automation = recent.readAll({ after: log.origin, limit: 5000 });

    expect(await runner).toHaveLength(1000);
    expect(await feed).toHaveLength(200);
    // A short batch would tell the automation it has caught up.
    expect(await automation).toHaveLength(3000);
  });

  it('lets go of what it held before an event that ends it, whoever appended it: those are read from the log again', async () => {
    await append(4);
    const counted = new CountedReads(log);
    const recent = new RecentEvents(counted, {
      dropsEarlier: (event) => event.type === 'CustomerErased',
    });
    const before = await recent.readAll({ after: log.origin, limit: 100 });
    await append(1, 'CustomerErased');
    await append(2);
    const reads = counted.reads;

    expect(await recent.readAll({ after: before[0]!.position, limit: 2 })).toEqual(
      before.slice(1, 3),
    );
    // What the log gained, then the answer from the log itself.
    expect(counted.reads).toBe(reads + 2);
    const after = before.at(-1)!.position;
    expect(await recent.readAll({ after, limit: 100 })).toEqual(
      await log.readAll({ after, limit: 100 }),
    );
  });

  it('holds the newest events up to its capacity, and a quarter more at most', async () => {
    await append(60);
    const counted = new CountedReads(log);
    const recent = new RecentEvents(counted, { capacity: 10 });
    const all = await log.readAll({ after: log.origin, limit: 100 });
    expect(await recent.readAll({ after: log.origin, limit: 5 })).toEqual(all.slice(0, 5));
    // Reading on, it holds what the log gained, and lets go of the oldest.
    expect(await recent.readAll({ after: all[4]!.position, limit: 5 })).toEqual(all.slice(5, 10));
    const eventsRead = counted.eventsRead;

    expect(await recent.readAll({ after: all[52]!.position, limit: 3 })).toEqual(all.slice(53, 56));
    expect(counted.eventsRead).toBe(eventsRead);
    expect(await recent.readAll({ after: all[40]!.position, limit: 3 })).toEqual(all.slice(41, 44));
    expect(counted.eventsRead).toBe(eventsRead + 3);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECTION_NAMES, SqliteReadStore } from '@ledger/read-store';
import { nth } from '../support/elements';
import { ledger, ledgerOk, readLog, restoreMasterKey, scratch } from './support/ledger-cli';

/** A fixed end: the same seed and end give the same log on every run. */
const END = '2025-06-02T12:00:00.000Z';
const SIMULATION = ['--tickets', '600', '--days', '14', '--agents', '10', '--end', END];

const { dataDir } = scratch();

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

let dir: string;

beforeAll(async () => {
  dir = dataDir();
  await ledgerOk(dir, ['simulate', '--seed', '11', ...SIMULATION]);
}, 180_000);

describe('ledger simulate', () => {
  it('gives the same log for the same seed and end, and another for another seed', async () => {
    const again = dataDir();
    const other = dataDir();
    await ledgerOk(again, ['simulate', '--seed', '11', ...SIMULATION]);
    await ledgerOk(other, ['simulate', '--seed', '12', ...SIMULATION]);

    const exported = await ledgerOk(dir, ['export', 'events']);
    expect(await ledgerOk(again, ['export', 'events'])).toBe(exported);
    const otherTickets = new Set((await readLog(other)).map((event) => event.streamId));
    const tickets = (await readLog(dir)).filter((event) => event.streamId.startsWith('ticket-'));
    expect(tickets.some((event) => otherTickets.has(event.streamId))).toBe(false);
  });

  it('runs a desk of every channel and priority, VIPs, escalations at a healthy rate, feedback', async () => {
    const log = await readLog(dir);
    const data = (type: string) =>
      log.filter((event) => event.type === type).map((event) => event.data as any);
    const opened = data('TicketOpened');
    expect(opened).toHaveLength(600);
    expect(new Set(opened.map((ticket) => ticket.channel)).size).toBe(6);
    expect(new Set(opened.map((ticket) => ticket.priority))).toEqual(
      new Set(['urgent', 'high', 'medium', 'low']),
    );
    expect(opened.some((ticket) => ticket.customer.tier === 'vip')).toBe(true);

    const escalations = log.filter((event) => event.type === 'TicketEscalated');
    const escalated = new Set(escalations.map((event) => event.streamId));
    expect(escalated.size / opened.length).toBeGreaterThanOrEqual(0.1);
    expect(escalated.size / opened.length).toBeLessThanOrEqual(0.2);
    expect(escalations.length).toBeGreaterThan(escalated.size); // some are escalated again
    expect(escalations.some((event) => (event.data as any).auto)).toBe(true);
    expect(data('TicketResolved').some((resolved) => resolved.escalationNecessary === false)).toBe(
      true,
    );
    expect(data('FeedbackReceived').length).toBeGreaterThan(100);
  });

  it("records each SLA mark at its own instant, by the SLA clock, and nothing after the period's end", async () => {
    const log = await readLog(dir);
    const marks = log.filter(
      (event) => event.type === 'SlaWarning' || event.type === 'SlaBreached',
    );
    expect(marks.some((event) => event.type === 'SlaBreached')).toBe(true);
    for (const mark of marks) {
      const data = mark.data as { warnAt?: string; dueAt: string };
      expect(mark.metadata.occurredAt).toBe(mark.type === 'SlaWarning' ? data.warnAt : data.dueAt);
      expect(mark.metadata).toMatchObject({ actor: 'automation', automation: 'sla-clock' });
    }
    expect(log.every((event) => event.metadata.occurredAt <= END)).toBe(true);
  });

  it('refuses a seed whose tickets the log holds already', async () => {
    const run = await ledger(dir, ['simulate', '--seed', '11', ...SIMULATION]);
    expect(run.code).toBe(1);
    expect(lines(run.stderr)).toEqual([expect.stringContaining('seed 11')]);
  });

  it('refuses an end in the future and a number of tickets that is not one', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    for (const args of [
      ['simulate', '--tickets', '5', '--end', future],
      ['simulate', '--tickets', 'many'],
      ['simulate', '--tickets', '0'],
    ]) {
      const run = await ledger(dataDir(), args);
      expect({ code: run.code, lines: lines(run.stderr).length, stdout: run.stdout }).toEqual({
        code: 2,
        lines: 1,
        stdout: '',
      });
    }
  });
});

describe('ledger export events', () => {
  it('writes one line per event of the log, in log order, with its metadata', async () => {
    const log = await readLog(dir);
    const exported = lines(await ledgerOk(dir, ['export', 'events'])).map((line) =>
      JSON.parse(line),
    );

    expect(exported).toHaveLength(log.length);
    expect(exported.map((event) => event.position)).toEqual(log.map((event) => event.position));
    expect(Object.keys(exported[0])).toEqual([
      'type',
      'streamId',
      'version',
      'position',
      'occurredAt',
      'metadata',
      'data',
    ]);
    const eighth = nth(log, 7);
    expect(exported[7]).toEqual({ ...eighth, occurredAt: eighth.metadata.occurredAt });
  });

  it('exports the events after a position, to a file', async () => {
    const log = await readLog(dir);
    const file = join(dataDir(), 'tail.ndjson');
    const from = nth(log, -50).position;

    const stdout = await ledgerOk(dir, ['export', 'events', '--from', from, '--out', file]);

    const exported = lines(readFileSync(file, 'utf8')).map((line) => JSON.parse(line));
    expect(exported.map((event) => event.position)).toEqual(
      log.slice(-49).map((event) => event.position),
    );
    expect(stdout).toContain('49 events');
  });

  it('refuses a position the log could not have issued', async () => {
    const run = await ledger(dir, ['export', 'events', '--from', 'yesterday']);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toHaveLength(1);
  });
});

describe('ledger replay', () => {
  async function anEscalatedTicket(): Promise<string> {
    const log = await readLog(dir);
    return log.find((event) => event.type === 'TicketEscalated')!.streamId.slice('ticket-'.length);
  }

  it("shows every event of a ticket with its metadata, then the ticket's state", async () => {
    const ticketId = await anEscalatedTicket();
    const stream = (await readLog(dir)).filter((event) => event.streamId === `ticket-${ticketId}`);

    const replay = JSON.parse(await ledgerOk(dir, ['replay', ticketId, '--json']));

    expect(replay.events.map((event: any) => [event.type, event.eventId, event.actor])).toEqual(
      stream.map((event) => [event.type, event.metadata.eventId, event.metadata.actor]),
    );
    expect(replay.state).toMatchObject({ ticketId, version: stream.length });
    const text = await ledgerOk(dir, ['replay', ticketId]);
    expect(text).toContain('TicketEscalated');
    expect(text).toContain(nth(stream, 0).metadata.correlationId);
  });

  it('as of an instant: the events up to it, and the state then', async () => {
    const ticketId = await anEscalatedTicket();
    const stream = (await readLog(dir)).filter((event) => event.streamId === `ticket-${ticketId}`);
    const asOf = nth(stream, 1).metadata.occurredAt;

    const replay = JSON.parse(await ledgerOk(dir, ['replay', ticketId, '--as-of', asOf, '--json']));

    expect(replay.events.map((event: any) => event.version)).toEqual(
      stream.filter((event) => event.metadata.occurredAt <= asOf).map((event) => event.version),
    );
    expect(replay.state.version).toBe(replay.events.length);
  });

  it('refuses an instant before the ticket existed, a ticket that does not, a malformed id', async () => {
    const ticketId = await anEscalatedTicket();
    const runs = await Promise.all([
      ledger(dir, ['replay', ticketId, '--as-of', '2020-01-01T00:00:00Z']),
      ledger(dir, ['replay', '3f1c2b8e-6d0a-4c59-9f3e-2a7b1d4e5c60']),
      ledger(dir, ['replay', 'not-a-ticket']),
      ledger(dir, ['replay', ticketId, '--as-of', 'last tuesday']),
    ]);
    expect(runs.map((run) => [run.code, lines(run.stderr).length, run.stdout])).toEqual([
      [1, 1, ''],
      [1, 1, ''],
      [2, 1, ''],
      [2, 1, ''],
    ]);
    expect(runs[1].stderr).toContain('TICKET_NOT_FOUND');
  });
});

describe('ledger rebuild and status', () => {
  it('shows the read models unbuilt on a simulated log, then at its head once rebuilt', async () => {
    const fresh = dataDir();
    await ledgerOk(fresh, ['simulate', '--seed', '21', '--tickets', '100', '--end', END]);
    const head = (await readLog(fresh)).length;

    const before = JSON.parse(await ledgerOk(fresh, ['status', '--json']));
    expect(before.projections.map((p: any) => [p.name, p.state, p.lagEvents])).toEqual(
      PROJECTION_NAMES.map((name) => [name, 'not built', head]),
    );
    expect(before.projections[0].lagSeconds).toBeGreaterThan(0);

    const rebuilt = await ledgerOk(fresh, ['rebuild', '--all']);
    expect(rebuilt).toMatch(new RegExp(`${head} events in [\\d.]+ s: \\d+ events/s`));

    const after = JSON.parse(await ledgerOk(fresh, ['status', '--json']));
    expect(after.projections.map((p: any) => [p.name, p.state, p.position, p.lagEvents])).toEqual(
      PROJECTION_NAMES.map((name) => [name, 'live', String(head), 0]),
    );
    expect(await ledgerOk(fresh, ['status'])).toContain('escalation-kpis');
  });

  it('leaves alone a read model whose lease a projector holds', async () => {
    const readStore = SqliteReadStore.open(join(dir, 'ledger.sqlite'));
    try {
      expect(await readStore.claimLease('projection:queues', 'a-projector', 60_000)).toBe(true);
      const before = await readStore.registration('queues');

      const run = await ledger(dir, ['rebuild', '--all']);

      expect(run.code).toBe(1);
      expect(lines(run.stderr)).toEqual([expect.stringContaining('projection:queues')]);
      expect(await readStore.registration('queues')).toEqual(before);
      // The leases it took before it met the held one are given back.
      expect(await readStore.claimLease('projection:ticket-view', 'a-projector', 1)).toBe(true);
    } finally {
      await readStore.releaseLease('projection:queues', 'a-projector');
      await readStore.close();
    }
  });

  it('rebuilds one read model by its name', async () => {
    const run = await ledgerOk(dir, ['rebuild', 'escalation-kpis']);
    expect(lines(run)[0]).toMatch(/^rebuilt escalation-kpis up to position \d+$/);
  });

  it('names the read models in one line when asked for one it does not know', async () => {
    for (const args of [['rebuild', 'kpis'], ['rebuild'], ['rebuild', 'queues', '--all']]) {
      const run = await ledger(dir, args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(lines(run.stderr)).toEqual([expect.stringContaining(PROJECTION_NAMES.join(', '))]);
    }
  });
});

describe('ledger backup and restore', () => {
  it('restores a backup into an empty data directory, and not over a store without --force', async () => {
    const archive = join(dataDir(), 'ledger.tar');
    await ledgerOk(dir, ['backup', '--out', archive]);
    const refusedBackup = await ledger(dir, ['backup', '--out', archive]);
    const restored = dataDir();
    await ledgerOk(restored, ['restore', archive]);
    restoreMasterKey(dir, restored);
    const refusedRestore = await ledger(restored, ['restore', archive]);

    expect([refusedBackup.code, lines(refusedBackup.stderr).length]).toEqual([1, 1]);
    expect([refusedRestore.code, lines(refusedRestore.stderr).length]).toEqual([1, 1]);
    expect(refusedRestore.stderr).toContain('--force');
    expect(await ledgerOk(restored, ['export', 'events'])).toBe(
      await ledgerOk(dir, ['export', 'events']),
    );
    await ledgerOk(restored, ['restore', archive, '--force']);
  });

  it('refuses a file that is not a backup', async () => {
    const notABackup = join(dir, 'ledger.sqlite');
    const run = await ledger(dataDir(), ['restore', notABackup]);
    expect([run.code, lines(run.stderr).length]).toEqual([1, 1]);
  });
});

describe('usage', () => {
  it('tells what was asked wrongly in one line on stderr, and exits 2', async () => {
    const asked = [
      [],
      ['keys'],
      ['frobnicate'],
      ['status', '--colour'],
      ['export', 'kpis'],
      ['export', 'kpis', '--format', 'xml'],
      // Refused by the API's own request rules, as a request with these fields would be.
      ['export', 'kpis', '--format', 'csv', '--group-by', 'weather'],
      ['export', 'kpis', '--format', 'csv', '--from', '2026-02-30'],
      ['keys', 'create', '--role', 'wizard'],
      ['keys', 'create', '--role', 'analyst', '--name', ' '],
      ['keys', 'create', '--role', 'agent'],
    ];
    for (const args of asked) {
      const run = await ledger(dir, args);
      expect({
        args,
        code: run.code,
        stderr: lines(run.stderr).length,
        stdout: run.stdout,
      }).toEqual({ args, code: 2, stderr: 1, stdout: '' });
    }
  });

  it('tells a data directory without a store in one line, and exits 1', async () => {
    const run = await ledger(join(dataDir(), 'missing'), ['status']);
    expect({ code: run.code, stderr: lines(run.stderr) }).toEqual({
      code: 1,
      stderr: [expect.stringContaining('holds no store')],
    });
  });
});

describe('ledger verify', () => {
  it('says the chain holds, and that the log extends a receipt, as the API does', async () => {
    const holds = JSON.parse(await ledgerOk(dir, ['verify']));
    expect(holds).toMatchObject({ ok: true });
    expect(holds.eventsChecked).toBeGreaterThan(0);

    const wrongHash = await ledger(dir, ['verify', '--position', '5', '--hash', 'ab'.repeat(32)]);
    expect(wrongHash.code).toBe(1);
    expect(JSON.parse(wrongHash.stdout)).toMatchObject({
      ok: false,
      firstBroken: { reason: 'receipt_mismatch' },
    });
    expect(lines(wrongHash.stderr)).toHaveLength(1);
  });

  it('refuses half a receipt with exit 2', async () => {
    const half = await ledger(dir, ['verify', '--position', '5']);
    expect(half.code).toBe(2);
    expect(lines(half.stderr)).toHaveLength(1);
  });
});

describe('ledger review', () => {
  it('writes the quarter’s review as Markdown, and as JSON', async () => {
    const markdown = await ledgerOk(dir, ['review', '--quarter', '2025Q2']);
    expect(markdown).toMatch(/^# /);
    expect(markdown).toContain('2025Q2');

    const review = JSON.parse(
      await ledgerOk(dir, ['review', '--quarter', '2025Q2', '--format', 'json']),
    );
    expect(review).toMatchObject({ quarter: { label: '2025Q2' } });
  });

  it('refuses a quarter that is not one with exit 2', async () => {
    const wrong = await ledger(dir, ['review', '--quarter', '2025Q5']);
    expect(wrong.code).toBe(2);
    expect(lines(wrong.stderr)).toHaveLength(1);
  });
});

import { join } from 'node:path';
import { foldTicket, isActive, nextSlaMarkAt, type DatedTicketEvent } from '@ledger/domain';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';
import type { ApiProcess } from '../support/api-process';
import { projectionsAt } from '../crash/support/read-side';
import { openBody } from '../e2e/support/tickets';
import { bearer } from '../support/credentials';
import { nth } from '../support/elements';
import { ledger, ledgerOk, readLog, scratch, sleep } from './support/ledger-cli';

const { dataDir, startApi } = scratch();

function ticketsOf(log: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const byTicket = new Map<string, RecordedEvent[]>();
  for (const event of log) {
    if (!event.streamId.startsWith('ticket-')) continue;
    byTicket.set(event.streamId, [...(byTicket.get(event.streamId) ?? []), event]);
  }
  return byTicket;
}

describe('an API started on a simulated log', () => {
  it('records no SLA mark at once for the tickets the simulation left open', async () => {
    const dir = dataDir();
    await ledgerOk(dir, ['simulate', '--tickets', '800', '--days', '10', '--seed', '5']);
    const simulated = await readLog(dir);
    const open = [...ticketsOf(simulated).values()]
      .map((events) => foldTicket(events.map((event) => datedEvent<DatedTicketEvent>(event))))
      .filter((ticket) => ticket && isActive(ticket) && ticket.sla);
    // What the API could set off: open tickets under an SLA, in a log that has known breaches.
    expect(open.length).toBeGreaterThan(5);
    // None of them owes a mark now: each is recorded, or due later.
    const now = new Date().toISOString();
    const owed = open.filter((ticket) => (nextSlaMarkAt(ticket!.sla!) ?? '9999') <= now);
    expect(owed.map((ticket) => ticket!.ticketId)).toEqual([]);
    expect(simulated.some((event) => event.type === 'SlaBreached')).toBe(true);

    const api = await startApi(dir, { AUTOMATION: 'on' });
    // The automation's first pass assigns the waiting tickets to the agents on line: once
    // they show, it has looked at every SLA clock too.
    const deadline = Date.now() + 15_000;
    let after: RecordedEvent[] = [];
    while (Date.now() < deadline) {
      after = (await readLog(dir)).slice(simulated.length);
      if (after.some((event) => event.metadata.automation === 'assigner')) break;
      await sleep(200);
    }
    await sleep(3_000);
    after = (await readLog(dir)).slice(simulated.length);

    expect(after.some((event) => event.metadata.automation === 'assigner')).toBe(true);
    expect(after.filter((event) => event.metadata.automation === 'sla-clock')).toEqual([]);
    expect(api.alive).toBe(true);
  });
});

describe('ledger beside a running API', () => {
  let dir: string;
  let api: ApiProcess;

  beforeAll(async () => {
    dir = dataDir();
    await ledgerOk(dir, ['simulate', '--tickets', '500', '--days', '20', '--seed', '9']);
    // Without the automation, nothing changes the numbers between two reads.
    api = await startApi(dir, { AUTOMATION: 'off' });
  }, 120_000);

  it('exports the KPIs the endpoint answers, as JSON and as CSV', async () => {
    const log = await readLog(dir);
    const middle = nth(log, Math.floor(log.length / 2)).metadata.occurredAt;
    const queries: [string, string[]][] = [
      ['', []],
      ['groupBy=category', ['--group-by', 'category']],
      [`groupBy=priority&from=${middle}`, ['--group-by', 'priority', '--from', middle]],
      [`to=${middle}`, ['--to', middle]],
    ];
    for (const [query, options] of queries) {
      const answer = await api.request('GET', `/v1/kpis/escalations?${query}`);
      expect(answer.status).toBe(200);

      const json = JSON.parse(
        await ledgerOk(dir, ['export', 'kpis', ...options, '--format', 'json']),
      );
      const csv = await ledgerOk(dir, ['export', 'kpis', ...options, '--format', 'csv']);

      expect(json).toEqual(answer.body);
      expect(fromCsv(csv)).toEqual(rowsOf(answer.body));
    }
  });

  it('shows the state GET /v1/tickets/:id?asOf answers', async () => {
    const log = await readLog(dir);
    const escalation = log.find((event) => event.type === 'TicketEscalated')!;
    const ticketId = escalation.streamId.slice('ticket-'.length);
    const asOf = escalation.metadata.occurredAt;

    const answer = await api.request('GET', `/v1/tickets/${ticketId}?asOf=${asOf}`);
    const replay = JSON.parse(await ledgerOk(dir, ['replay', ticketId, '--as-of', asOf, '--json']));

    expect(answer.status).toBe(200);
    expect(replay.state).toEqual(answer.body);
  });

  it('issues keys that open the API, and revokes them', async () => {
    const issued = JSON.parse(
      await ledgerOk(dir, ['keys', 'create', '--role', 'analyst', '--name', 'exports', '--json']),
    );
    const asAnalyst = () =>
      api.request('GET', '/v1/kpis/escalations', undefined, bearer(issued.key));
    expect((await asAnalyst()).status).toBe(200);

    const listed = JSON.parse(await ledgerOk(dir, ['keys', 'list', '--json']));
    expect(listed.keys).toContainEqual({
      keyId: issued.keyId,
      name: 'exports',
      roles: ['analyst'],
      createdAt: issued.createdAt,
    });
    expect(JSON.stringify(listed)).not.toContain(issued.key);
    expect((await api.request('GET', '/v1/keys')).body).toEqual(listed);

    await ledgerOk(dir, ['keys', 'revoke', issued.keyId]);
    expect((await asAnalyst()).status).toBe(401);
  });

  it('rebuilds every read model while the API serves, and the API goes on applying what follows', async () => {
    await ledgerOk(dir, ['rebuild', '--all']);
    const opened = await api.request('POST', '/v1/tickets', openBody());
    expect(opened.status).toBe(201);

    await projectionsAt(api, opened.body.position, 10_000);
    const ticket = await api.request(
      'GET',
      `/v1/tickets/${opened.body.ticketId}?after=${opened.body.position}`,
    );
    expect(ticket.status).toBe(200);
    const status = JSON.parse(await ledgerOk(dir, ['status', '--json']));
    expect(status.projections.every((p: any) => p.state === 'live')).toBe(true);
  });

  it('refuses to restore over the store the API has open', async () => {
    const archive = join(dataDir(), 'backup.tar');
    await ledgerOk(dir, ['backup', '--out', archive]);

    const run = await ledger(dir, ['restore', archive, '--force']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('open in another process');
    expect(api.alive).toBe(true);
  });
});

/** Every number of the KPIs by its path, the CSV's column names; nulls left out, as empty cells are. */
function numbersOf(metrics: object, prefix = '', into: Record<string, number> = {}) {
  for (const [key, value] of Object.entries(metrics)) {
    const path = `${prefix}${key.replace(/~/g, '~0').replace(/\./g, '~1')}`;
    if (value !== null && typeof value === 'object') numbersOf(value, `${path}.`, into);
    else if (value !== null) into[path] = value;
  }
  return into;
}

/** The rows of the endpoint's answer as the CSV should hold them: the totals, then each group. */
function rowsOf(answer: { totals: object; groups: { key: string }[] }) {
  return [
    { row: 'totals', key: '', numbers: numbersOf(answer.totals) },
    ...answer.groups.map(({ key, ...metrics }) => ({
      row: 'group',
      key,
      numbers: numbersOf(metrics),
    })),
  ];
}

/** The CSV's rows: a spreadsheet's `'` before a key that looks like a formula is not part of it. */
function fromCsv(csv: string) {
  const [header, ...rows] = csv.trimEnd().split('\r\n').map(parseCsvLine);
  expect(header?.slice(0, 2)).toEqual(['row', 'key']);
  const columns = header!.slice(2);
  return rows.map(([row, key, ...cells]) => {
    if (key === undefined) throw new Error(`A CSV row without a key: ${row}`);
    return {
      row,
      key: key.replace(/^'(?=[=+\-@])/, ''),
      numbers: Object.fromEntries(
        cells.flatMap((cell, index) => (cell === '' ? [] : [[nth(columns, index), Number(cell)]])),
      ),
    };
  });
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  for (let at = 0; at <= line.length;) {
    if (line[at] === '"') {
      let cell = '';
      for (at++; at < line.length; at++) {
        if (line[at] !== '"') {
          cell += line[at];
        } else if (line[at + 1] === '"') {
          cell += '"';
          at++;
        } else {
          break;
        }
      }
      cells.push(cell);
      at += 2;
    } else {
      const end = line.indexOf(',', at) === -1 ? line.length : line.indexOf(',', at);
      cells.push(line.slice(at, end));
      at = end + 1;
    }
  }
  return cells;
}

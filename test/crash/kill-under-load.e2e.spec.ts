import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldTicket, type DatedTicketEvent } from '@ledger/domain';
import { toTicketView } from '@ledger/projections';
import { PROJECTION_NAMES } from '@ledger/read-store';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { sendCommand, startCommandLoad, type Acknowledged } from './support/command-load';
import { projectionsAt, readSide } from './support/read-side';

const CLIENTS = 32;
const LOAD_MS = 1500;
const ROUNDS = 2;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface HistoryEvent {
  type: string;
  version: number;
  position: string;
  occurredAt: string;
  correlationId: string;
  data: unknown;
}

async function histories(
  api: ApiProcess,
  ticketIds: readonly string[],
): Promise<Map<string, HistoryEvent[]>> {
  const byTicket = new Map<string, HistoryEvent[]>();
  for (const id of ticketIds) {
    const answer = await api.request('GET', `/v1/tickets/${id}/history`);
    byTicket.set(id, answer.status === 200 ? answer.body.events : []);
  }
  return byTicket;
}

/** Acknowledged commands the log does not hold as acknowledged, as readable lines. */
function lostCommands(acknowledged: Acknowledged[], log: Map<string, HistoryEvent[]>): string[] {
  return acknowledged.flatMap((ack) => {
    const event = log.get(ack.ticketId)?.[ack.version - 1];
    if (event && event.version === ack.version && event.position === ack.position) return [];
    const found = event ? `version ${event.version} at ${event.position}` : 'nothing';
    return [`${ack.path} -> v${ack.version} at ${ack.position}, log has ${found}`];
  });
}

/** Every load command appends at most one event: a correlation id seen twice is a command applied twice. */
function appliedTwice(log: Map<string, HistoryEvent[]>): string[] {
  const seen = new Map<string, number>();
  for (const events of log.values()) {
    for (const event of events) {
      seen.set(event.correlationId, (seen.get(event.correlationId) ?? 0) + 1);
    }
  }
  return [...seen].filter(([, count]) => count > 1).map(([id, count]) => `${id} x${count}`);
}

function answerOf(ack: Acknowledged) {
  return { ticketId: ack.ticketId, version: ack.version, position: ack.position };
}

function sample<T>(values: readonly T[], size: number): T[] {
  const step = Math.max(1, Math.floor(values.length / size));
  return values.filter((_, index) => index % step === 0);
}

/**
 * Starts a rebuild of every projection and returns while one is still under
 * way, as far as a client can tell: the kill that follows lands mid-rebuild.
 * Rebuilds of a log this size take milliseconds, so it may take a few tries;
 * a test that never saw one under way would not test what it says.
 */
async function rebuildingAll(api: ApiProcess): Promise<void> {
  const underWay = async () =>
    (await api.request('GET', '/v1/projections')).body.some(
      (projection: { status: string }) => projection.status === 'rebuilding',
    );
  for (let attempt = 0; attempt < 20; attempt++) {
    let answered = false;
    const asked = Promise.all(
      PROJECTION_NAMES.map((name) => api.request('POST', `/v1/projections/${name}/rebuild`)),
    ).finally(() => (answered = true));
    // Looked at while the rebuilds are asked for, not only after: they may be over by then.
    let seen = false;
    for (let look = 0; look < 200 && !seen; look++) {
      seen = await underWay();
      if (answered && look > 5) break;
    }
    const answers = await asked;
    expect(answers.map((answer) => answer.status)).toEqual(PROJECTION_NAMES.map(() => 202));
    if (seen) return;
  }
  throw new Error('no rebuild was seen under way in 20 tries: the kill would not land in one');
}

/** Agents the load assigns tickets to by hand; `ana` and `chen` go online for the assigner. */
async function registerAgents(api: ApiProcess): Promise<void> {
  for (const agentId of ['ana', 'ben', 'chen', 'dee']) {
    const body = { agentId, name: agentId, tier: 'L1', capacity: 50 };
    expect((await api.request('POST', '/v1/agents', body)).status).toBe(201);
  }
}

/**
 * Online, the assigner gives them waiting tickets during the load; offline,
 * it appends nothing more, so the read models stand still while compared.
 */
async function setAssignable(api: ApiProcess, availability: 'online' | 'offline'): Promise<void> {
  for (const agentId of ['ana', 'chen']) {
    const answer = await api.request('POST', `/v1/agents/${agentId}/availability`, {
      availability,
    });
    expect(answer.status).toBe(200);
  }
}

describe('the API killed with SIGKILL under concurrent load', () => {
  let dataDir: string;
  const processes: ApiProcess[] = [];

  beforeAll(() => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  }, 240_000);

  afterAll(async () => {
    for (const api of processes) await api.kill();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function start(): Promise<ApiProcess> {
    const api = await ApiProcess.start(dataDir);
    processes.push(api);
    return api;
  }

  it('keeps every acknowledged command, and its projections equal a rebuild after restart', async () => {
    const acknowledged: Acknowledged[] = [];
    let api = await start();
    await registerAgents(api);
    for (let round = 1; round <= ROUNDS; round++) {
      await setAssignable(api, 'online');
      const load = startCommandLoad(api, CLIENTS);
      await sleep(LOAD_MS);
      if (round === ROUNDS) await rebuildingAll(api);
      load.killing();
      await api.kill();
      const report = await load.finished;
      expect(report.unexpected).toEqual([]);
      expect(report.acknowledged.length).toBeGreaterThan(0);
      acknowledged.push(...report.acknowledged);

      api = await start();

      // Sent again with its Idempotency-Key, an acknowledged command gets its first answer back,
      // and one the kill cut off is applied now or was already: once, either way.
      const retryFailures: string[] = [];
      for (const ack of sample(report.acknowledged, 100)) {
        const outcome = await sendCommand(api, ack);
        const answer = outcome.kind === 'acknowledged' ? answerOf(outcome.ack) : outcome;
        if (JSON.stringify(answer) !== JSON.stringify(answerOf(ack))) {
          retryFailures.push(
            `${ack.path}: ${JSON.stringify(answerOf(ack))} then ${JSON.stringify(answer)}`,
          );
        }
      }
      for (const cutOff of report.inFlight) {
        const outcome = await sendCommand(api, cutOff);
        if (outcome.kind === 'acknowledged') acknowledged.push(outcome.ack);
        if (outcome.kind === 'unexpected') retryFailures.push(outcome.message);
      }
      expect(retryFailures).toEqual([]);
      const ticketIds = [...new Set(acknowledged.map((ack) => ack.ticketId))];

      // Every acknowledged command survived, at the version and position it was acknowledged with.
      const log = await histories(api, ticketIds);
      expect(lostCommands(acknowledged, log)).toEqual([]);
      expect(appliedTwice(log)).toEqual([]);

      // With nobody to assign to, the automation appends nothing more.
      await setAssignable(api, 'offline');
      // A command after the restart: its position is the head the projections must reach.
      const sentinel = await api.request('POST', '/v1/tickets', {
        subject: `after kill ${round}`,
        channel: 'web',
        customer: { id: 'c-sentinel' },
        category: 'account',
      });
      expect(sentinel.status).toBe(201);
      const head: string = sentinel.body.position;
      const readIds = [...ticketIds, sentinel.body.ticketId];
      await projectionsAt(api, head);
      const before = await readSide(api, readIds);

      // The ticket view is the fold of the ticket's log.
      for (const [id, events] of log) {
        const folded = foldTicket(
          events.map(
            ({ type, data, occurredAt }) => ({ type, data, occurredAt }) as DatedTicketEvent,
          ),
        );
        expect({ id, view: before.tickets[id] }).toEqual({ id, view: toTicketView(folded!) });
      }

      for (const name of PROJECTION_NAMES) {
        expect((await api.request('POST', `/v1/projections/${name}/rebuild`)).status).toBe(202);
      }
      await projectionsAt(api, head);
      const rebuilt = await readSide(api, readIds);
      expect(before).toEqual(rebuilt);
    }
  }, 240_000);
});

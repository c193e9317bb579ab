import { randomUUID } from 'node:crypto';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';
import { PowerCut } from '../support/power-loss/power-cut';
import { projectionsAt } from './support/read-side';

const CLIENTS = 24;
/** Acknowledged commands to wait for before the cut; more are in flight when it comes. */
const COMMANDS_BEFORE_CUT = 300;
const AGENTS = ['ana', 'ben'];

/** A command the API answered with a 2xx, and the personal text its event holds. */
interface Acknowledged {
  ticketId: string;
  version: number;
  event: string;
  /** Field path in the event's data → the text sent. */
  written: Record<string, string>;
}

interface Load {
  acknowledged: Acknowledged[];
  /** Answers other than 2xx, and failures before the cut. */
  unexpected: string[];
  /** Requests sent and not answered yet. */
  readonly inFlight: number;
  cutting(): void;
  finished: Promise<void>;
}

/**
 * Clients that each open tickets for a new customer (a new data key each),
 * then note, assign and escalate them, with personal text in every event
 * that can hold some.
 */
function startLoad(api: ApiProcess): Load {
  const acknowledged: Acknowledged[] = [];
  const unexpected: string[] = [];
  let cut = false;
  let inFlight = 0;

  /** The answer when acknowledged; nothing else, and the client stops. */
  async function send(
    path: string,
    body: unknown,
    event: string,
    written: Record<string, string>,
  ): Promise<{ ticketId: string } | undefined> {
    inFlight++;
    try {
      const answer = await api.request('POST', path, body);
      if (answer.status >= 200 && answer.status < 300) {
        const { ticketId, version } = answer.body;
        acknowledged.push({ ticketId, version, event, written });
        return answer.body;
      }
      unexpected.push(`${path} -> ${answer.status} ${JSON.stringify(answer.body)}`);
    } catch (error) {
      if (!cut) unexpected.push(`${path} -> ${String(error)}`);
    } finally {
      inFlight--;
    }
    return undefined;
  }

  async function client(index: number): Promise<void> {
    for (let round = 0; !cut; round++) {
      const customerId = `c-${index}-${round}-${randomUUID()}`;
      const opening = {
        subject: `Locked out, ${customerId}`,
        description: `Lives at ${round} Lindenstraße; card ending ${index}${round}`,
        'customer.name': `Customer ${index}.${round}`,
      };
      const opened = await send(
        '/v1/tickets',
        {
          subject: opening.subject,
          description: opening.description,
          channel: 'email',
          customer: { id: customerId, name: opening['customer.name'] },
          category: 'account',
        },
        'TicketOpened',
        opening,
      );
      if (!opened) return;
      const at = (action: string) => `/v1/tickets/${opened.ticketId}/${action}`;
      const note = `Called back ${customerId}`;
      const steps = [
        () => send(at('notes'), { body: note }, 'TicketNoteAdded', { body: note }),
        () => send(at('assign'), { agentId: AGENTS[round % 2] }, 'TicketAssigned', {}),
        () => send(at('escalate'), { reason: 'complexity', note }, 'TicketEscalated', { note }),
      ];
      for (const step of steps) if (!(await step())) return;
    }
  }

  const finished = Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
  return {
    acknowledged,
    unexpected,
    get inFlight() {
      return inFlight;
    },
    cutting: () => (cut = true),
    finished: finished.then(() => undefined),
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Stops the API at a moment some of its writes are not synced yet, so that a
 * cut then takes something back: stopped, it is looked at, and let go on for
 * a moment when everything it wrote was synced.
 */
async function pauseWhileUnsynced(api: ApiProcess, powerCut: PowerCut): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    if (!api.alive) throw new Error(`The API died under load:\n${api.log}`);
    await api.pause();
    if (powerCut.unsynced().length > 0) return;
    api.resume();
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('Every look found everything synced: the cut would take nothing back');
}

function valueAt(data: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (value as Record<string, unknown>)?.[key], data);
}

/** Acknowledged commands whose event the log does not hold as written, as readable lines. */
async function lostCommands(api: ApiProcess, acknowledged: Acknowledged[]): Promise<string[]> {
  const histories = new Map<string, { status: number; body: any }>();
  const lost: string[] = [];
  for (const ack of acknowledged) {
    if (!histories.has(ack.ticketId)) {
      histories.set(ack.ticketId, await api.request('GET', `/v1/tickets/${ack.ticketId}/history`));
    }
    const history = histories.get(ack.ticketId)!;
    const said = `${ack.event} v${ack.version} of ${ack.ticketId}`;
    if (history.status !== 200) {
      lost.push(`${said}: history answered ${history.status} ${JSON.stringify(history.body)}`);
      continue;
    }
    const event = history.body.events.find((e: any) => e.version === ack.version);
    if (event?.type !== ack.event) {
      lost.push(`${said}: the log has ${event ? event.type : 'nothing'} there`);
      continue;
    }
    for (const [path, text] of Object.entries(ack.written)) {
      const read = valueAt(event.data, path);
      if (read !== text) lost.push(`${said}: ${path} reads ${JSON.stringify(read)}`);
    }
  }
  return lost;
}

/**
 * Acknowledged tickets whose view is older than their newest acknowledged
 * version, or whose subject and customer's name do not read as written.
 */
async function staleViews(api: ApiProcess, acknowledged: Acknowledged[]): Promise<string[]> {
  const newest = new Map<string, number>();
  for (const ack of acknowledged) {
    newest.set(ack.ticketId, Math.max(newest.get(ack.ticketId) ?? 0, ack.version));
  }
  const stale: string[] = [];
  for (const opening of acknowledged.filter((ack) => ack.event === 'TicketOpened')) {
    const acked = newest.get(opening.ticketId)!;
    const { status, body } = await api.request('GET', `/v1/tickets/${opening.ticketId}`);
    const fresh =
      status === 200 &&
      body.version >= acked &&
      body.subject === opening.written.subject &&
      body.customer.name === opening.written['customer.name'];
    if (!fresh) {
      stale.push(
        `${opening.ticketId}, acknowledged at v${acked}: ${status} ${JSON.stringify(body)}`,
      );
    }
  }
  return stale;
}

/** The first of `lines`, and how many more: enough to see what went wrong. */
function firstOf(lines: string[], count = 10): string[] {
  if (lines.length <= count) return lines;
  return [...lines.slice(0, count), `… and ${lines.length - count} more`];
}

/**
 * What the API acknowledged survives a power cut, not only a killed process,
 * whose writes the page cache keeps: the files are cut back to what each
 * held at its last fsync (PowerCut says what that models), then read by a
 * new process.
 */
describe('the API after a power cut under concurrent load', () => {
  let powerCut: PowerCut;
  const processes: ApiProcess[] = [];

  beforeAll(() => {
    ensureServerBuilt();
    powerCut = PowerCut.prepare();
  }, 240_000);

  afterAll(async () => {
    for (const api of processes) await api.kill();
    powerCut?.remove();
  });

  it('keeps every acknowledged command readable, the chain whole and the read models caught up', async () => {
    const api = await ApiProcess.start(powerCut.dataDir, powerCut.preload);
    processes.push(api);
    for (const agentId of AGENTS) {
      const body = { agentId, name: agentId, tier: 'L1', capacity: 1000 };
      expect((await api.request('POST', '/v1/agents', body)).status).toBe(201);
    }
    const load = startLoad(api);
    await waitFor(
      () => load.acknowledged.length >= COMMANDS_BEFORE_CUT || load.unexpected.length > 0,
      `${COMMANDS_BEFORE_CUT} acknowledged commands`,
    );
    await pauseWhileUnsynced(api, powerCut);
    const inFlight = load.inFlight;
    load.cutting();
    await api.kill();
    await load.finished;
    expect(load.unexpected).toEqual([]);
    // What the cut tests: commands it interrupted, and writes it takes back.
    expect(inFlight).toBeGreaterThan(0);
    expect(powerCut.unsynced()).not.toEqual([]);

    const { dataDir, lost } = powerCut.cut();
    const restarted = await ApiProcess.start(dataDir).catch((error: Error) => {
      throw new Error(`Never synced, so lost: ${lost.join(', ') || 'nothing'}. ${error.message}`);
    });
    processes.push(restarted);

    expect(firstOf(await lostCommands(restarted, load.acknowledged))).toEqual([]);
    const head = (await restarted.request('GET', '/v1/audit/head')).body;
    const verified = await restarted.request('GET', '/v1/audit/verify');
    expect(verified.body).toEqual({ ok: true, eventsChecked: Number(head.position) });
    await projectionsAt(restarted, head.position);
    expect(firstOf(await staleViews(restarted, load.acknowledged))).toEqual([]);
  }, 60_000);
});

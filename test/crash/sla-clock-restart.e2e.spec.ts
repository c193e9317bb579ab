import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nth } from '../support/elements';
import { ApiProcess, ensureServerBuilt } from '../support/api-process';

const TICKETS = 4;
/** Seconds after opening: first response warned at 3 and due at 6; resolution warned at 12 and due at 24. */
const MINUTES = { firstResponseMinutes: 0.1, resolutionMinutes: 0.4 };
const POLICY = {
  targets: { urgent: MINUTES, high: MINUTES, medium: MINUTES, low: MINUTES },
  warnAt: 0.5,
};
/** How late a mark may land after its instant: the clock looks every 500 ms, a restart takes about a second. */
const SLACK_MS = 5000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface HistoryEvent {
  type: string;
  occurredAt: string;
  actor: string;
  data: Record<string, unknown>;
}

describe('the SLA clock across a crash', () => {
  let dataDir: string;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    ensureServerBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-sla-crash-'));
  });

  afterAll(async () => {
    await api?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function histories(ticketIds: string[]): Promise<HistoryEvent[][]> {
    return Promise.all(
      ticketIds.map(
        async (id) => (await api!.request('GET', `/v1/tickets/${id}/history`)).body.events,
      ),
    );
  }

  async function until(
    ticketIds: string[],
    done: (events: HistoryEvent[]) => boolean,
    timeoutMs: number,
  ): Promise<HistoryEvent[][]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const all = await histories(ticketIds);
      if (all.every(done)) return all;
      if (Date.now() > deadline) throw new Error(`Timed out: ${JSON.stringify(all.at(-1))}`);
      await sleep(200);
    }
  }

  const marks = (events: HistoryEvent[], type: string, target: string) =>
    events.filter((event) => event.type === type && event.data.target === target);

  it('records every warning, breach and escalation once, even when down across a deadline', async () => {
    api = await ApiProcess.start(dataDir);
    expect((await api.request('PUT', '/v1/sla-policy', POLICY)).status).toBe(200);
    const ticketIds: string[] = [];
    for (let i = 0; i < TICKETS; i++) {
      const opened = await api.request('POST', '/v1/tickets', {
        subject: `Outage ${i}`,
        channel: 'chat',
        customer: { id: `c-${i}` },
        category: 'payments',
        priority: 'urgent',
      });
      ticketIds.push(opened.body.ticketId);
    }

    // Killed once the resolution warnings (and their escalations) are in the log.
    const warned = await until(
      ticketIds,
      (events) => marks(events, 'SlaWarning', 'resolution').length === 1,
      20_000,
    );
    await api.kill();
    // Down across the resolution deadline.
    const due = Date.parse(
      nth(warned, 0).find(
        (event) => event.type === 'SlaWarning' && event.data.target === 'resolution',
      )!.data.dueAt as string,
    );
    await sleep(Math.max(0, due - Date.now()) + 1000);
    api = await ApiProcess.start(dataDir);

    const settled = await until(
      ticketIds,
      (events) => marks(events, 'SlaBreached', 'resolution').length === 1,
      15_000,
    );
    // A further look changes nothing.
    await sleep(1500);
    expect(await histories(ticketIds)).toEqual(settled);

    for (const events of settled) {
      for (const target of ['first_response', 'resolution']) {
        for (const type of ['SlaWarning', 'SlaBreached']) {
          const found = marks(events, type, target);
          expect(found).toHaveLength(1);
          const mark = found[0]!;
          const instant = (type === 'SlaWarning' ? mark.data.warnAt : mark.data.dueAt) as string;
          const lateMs = Date.parse(mark.occurredAt) - Date.parse(instant);
          expect(lateMs).toBeGreaterThanOrEqual(0);
          // The breach was due while the process was down: it lands right after the restart.
          expect(lateMs).toBeLessThan(
            type === 'SlaBreached' && target === 'resolution' ? 3000 + SLACK_MS : SLACK_MS,
          );
        }
      }
      const escalations = events.filter((event) => event.type === 'TicketEscalated');
      expect(
        escalations.map((event) => [
          event.data.fromTier,
          event.data.toTier,
          event.data.auto,
          event.actor,
        ]),
      ).toEqual([
        ['L1', 'L2', true, 'automation'],
        ['L2', 'L3', true, 'automation'],
      ]);
    }
  }, 90_000);
});

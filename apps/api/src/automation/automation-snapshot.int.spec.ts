import fc from 'fast-check';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentStreamId, type AgentEvent, type Tier } from '@ledger/domain';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import {
  appendAccepted,
  decideScenario,
  SCENARIO_START,
  type AcceptedCommand,
} from '../../../../test/property/support/scenario-log';
import { scenario } from '../../../../test/property/support/ticket-commands.arbitrary';
import { testMetadata } from '../../../../test/support/test-events';
import { AutomationSnapshot } from './automation-snapshot';
import { AutomationView } from './automation-view';
import { foldLog } from './fold-log';

const LATER = '2027-01-01T00:00:00.000Z';

/** Agents online from the scenario's start, so the assigner has someone to plan for. */
async function registerAgents(events: EventStore): Promise<void> {
  const agents: [string, Tier, number][] = [
    ['agent-a', 'L1', 2],
    ['agent-b', 'L1', 1],
    ['agent-c', 'L2', 2],
  ];
  for (const [agentId, tier, capacity] of agents) {
    const stamped = (event: AgentEvent) => ({
      ...event,
      metadata: testMetadata({ occurredAt: SCENARIO_START }),
    });
    await events.append(
      agentStreamId(agentId),
      [
        stamped({ type: 'AgentRegistered', data: { agentId, name: agentId, tier, capacity } }),
        stamped({ type: 'AgentAvailabilityChanged', data: { from: 'offline', to: 'online' } }),
      ],
      'no_stream',
    );
  }
}

/** What a view knows and would do next, in an order that does not depend on how it was built. */
function described(view: AutomationView) {
  const byId = (a: { ticketId: string }, b: { ticketId: string }) =>
    a.ticketId.localeCompare(b.ticketId);
  const state = view.state()!;
  return {
    position: view.position,
    lastApplied: state.lastApplied,
    tickets: [...state.tickets].sort(byId),
    ended: [...state.ended].sort(),
    agents: [...state.agents].sort((a, b) => a.agentId.localeCompare(b.agentId)),
    lastAssignedAt: [...state.lastAssignedAt].sort(([a], [b]) => a.localeCompare(b)),
    loads: view.loads().sort((a, b) => a.agentId.localeCompare(b.agentId)),
    plan: view.planAssignments(LATER).sort(byId),
    due: view.takeDueSla(LATER).sort(),
  };
}

describe('the automation view’s snapshot', () => {
  let dir: string;
  let events: SqliteEventStore;
  let snapshot: AutomationSnapshot;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'automation-snapshot-'));
    events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
    snapshot = new AutomationSnapshot(join(dir, 'automation-view.snapshot'), events);
  });

  afterEach(async () => {
    await events.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('taken anywhere in the log and followed by the rest, equals the whole log folded', async () => {
    await fc.assert(
      fc.asyncProperty(scenario({ automation: true }), fc.nat(), async (generated, cut) => {
        await events.close();
        rmSync(dir, { recursive: true, force: true });
        dir = mkdtempSync(join(tmpdir(), 'automation-snapshot-'));
        events = SqliteEventStore.open(join(dir, 'ledger.sqlite'));
        snapshot = new AutomationSnapshot(join(dir, 'automation-view.snapshot'), events);
        const { accepted } = decideScenario(generated, { slaClock: true });
        const at = cut % (accepted.length + 1);
        const append = async (commands: AcceptedCommand[]) => {
          for (const command of commands) await appendAccepted(events, command);
        };
        await registerAgents(events);
        await append(accepted.slice(0, at));
        const early = new AutomationView();
        await foldLog(early, events);
        expect(await snapshot.save(early)).toBe(true);

        await append(accepted.slice(at));
        const loaded = await snapshot.load();
        expect(loaded.view).toBeDefined();
        const resumed = loaded.view!;
        await foldLog(resumed, events);
        const whole = new AutomationView();
        await foldLog(whole, events);

        expect(described(resumed)).toEqual(described(whole));
      }),
      { numRuns: 40 },
    );
  });

  it('holds none of the customers’ names or texts', async () => {
    const { accepted } = decideScenario({
      steps: [
        {
          ticket: 0,
          minutes: 1,
          command: {
            type: 'OpenTicket',
            data: {
              subject: 'Zanzibar invoice',
              description: 'Quixotic refund request',
              channel: 'email',
              customer: { id: 'c-1', name: 'Ada Lovelace', tier: 'vip' },
              category: 'billing',
            },
          },
        },
      ],
    } as never);
    for (const command of accepted) await appendAccepted(events, command);
    const view = new AutomationView();
    await foldLog(view, events);
    await snapshot.save(view);

    const bytes = readFileSync(join(dir, 'automation-view.snapshot')).toString('latin1');
    expect(view.state()!.tickets).toHaveLength(1);
    for (const text of ['Ada Lovelace', 'Zanzibar', 'Quixotic']) expect(bytes).not.toContain(text);
  });

  it('is ignored when cut, garbled, made by other code, or of another shape, and old leftovers of a save are removed', async () => {
    await registerAgents(events);
    const view = new AutomationView();
    await foldLog(view, events);
    await snapshot.save(view);
    const file = join(dir, 'automation-view.snapshot');
    const lines = readFileSync(file, 'utf8').split('\n');
    // The header, the agents (no ticket, no assignment yet), the trailer; then the last newline.
    const [header, agents, trailer] = lines;
    const rewritten = async (...content: string[]) => {
      writeFileSync(file, `${content.join('\n')}\n`);
      return snapshot.load();
    };
    const otherFold = JSON.stringify({ ...JSON.parse(header!), fold: 'another build' });
    const counts = { tickets: 1, ended: 0, agents: 0, lastAssignedAt: 0 };
    const leftover = join(dir, 'automation-view.snapshot.0a1b2c.new');
    const underWay = join(dir, 'automation-view.snapshot.3d4e5f.new');
    writeFileSync(leftover, 'half written an hour ago');
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(leftover, anHourAgo, anHourAgo);
    writeFileSync(underWay, 'being written by another process');

    expect(lines).toHaveLength(4);
    expect(await rewritten(header!, agents!, trailer!)).toHaveProperty('view');
    expect(await rewritten(header!, trailer!)).toEqual({ reason: 'unreadable' });
    expect(await rewritten(header!, agents!)).toEqual({ reason: 'unreadable' });
    expect(await rewritten(otherFold, agents!, trailer!)).toEqual({ reason: 'another fold' });
    expect(
      await rewritten(header!, '["tickets",[null]]', JSON.stringify({ end: true, counts })),
    ).toEqual({ reason: 'unreadable' });
    expect(readdirSync(dir).filter((name) => name.endsWith('.new'))).toEqual([
      'automation-view.snapshot.3d4e5f.new',
    ]);
  });

  it('is ignored when the log no longer holds the event it was taken after, or it cannot be read', async () => {
    await registerAgents(events);
    const view = new AutomationView();
    await foldLog(view, events);
    await snapshot.save(view);
    const otherDir = mkdtempSync(join(tmpdir(), 'automation-snapshot-other-'));
    const other = SqliteEventStore.open(join(otherDir, 'ledger.sqlite'));
    // Another log with the same streams and versions, written by other commands.
    await registerAgents(other);

    const elsewhere = await new AutomationSnapshot(
      join(dir, 'automation-view.snapshot'),
      other,
    ).load();
    writeFileSync(join(dir, 'automation-view.snapshot'), 'not a snapshot');
    const garbled = await snapshot.load();
    rmSync(join(dir, 'automation-view.snapshot'));
    const missing = await snapshot.load();

    expect(elsewhere).toEqual({ reason: 'not in the log' });
    expect(garbled).toEqual({ reason: 'unreadable' });
    expect(missing).toEqual({ reason: 'none' });
    await other.close();
    rmSync(otherDir, { recursive: true, force: true });
  });
});

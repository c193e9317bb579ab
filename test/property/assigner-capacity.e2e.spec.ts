import fc from 'fast-check';
import {
  AGENT_STREAM_PREFIX,
  ESCALATION_REASONS,
  evolve,
  evolveAgent,
  isActive,
  PRIORITIES,
  TICKET_STREAM_PREFIX,
  type Agent,
  type DatedAgentEvent,
  type DatedTicketEvent,
  type EscalationReason,
  type Priority,
  type Ticket,
  type Tier,
} from '@ledger/domain';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ledger/event-store';
import { Automation } from '../../apps/api/src/automation/automation';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { nth } from '../support/elements';

/** Short targets: a few clock advances take tickets through their warnings and breaches. */
const SHORT_POLICY = {
  targets: {
    urgent: { firstResponseMinutes: 10, resolutionMinutes: 40 },
    high: { firstResponseMinutes: 20, resolutionMinutes: 80 },
    medium: { firstResponseMinutes: 40, resolutionMinutes: 160 },
    low: { firstResponseMinutes: 80, resolutionMinutes: 320 },
  },
  warnAt: 0.8,
};

const AGENT_IDS = ['ana', 'bo', 'cy', 'dee'];
const MAX_TICKETS = 8;

interface AgentProfile {
  tier: Tier;
  capacity: number;
}

/** What a client does; agents and tickets are named by their number in the scenario. */
type Operation =
  | { kind: 'register'; agent: number }
  | { kind: 'availability'; agent: number; availability: 'online' | 'offline' }
  | { kind: 'open'; ticket: number; priority: Priority; vip: boolean }
  | { kind: 'escalate'; ticket: number; reason: EscalationReason }
  | { kind: 'resolve'; ticket: number }
  | { kind: 'advance'; minutes: number }
  /** The automation's look, sent along with the step's requests. */
  | { kind: 'settle' };

/** Operations sent together; then, perhaps, a look of the automation once they are answered. */
interface Step {
  operations: Operation[];
  settleAfter: boolean;
}

interface Scenario {
  agents: AgentProfile[];
  steps: Step[];
}

/** An agent's script: registered first, then some changes of availability, mostly coming online. */
const agentScript = fc.record({
  // Tickets open in L1: most agents work there, so its queue is the one that fills them.
  tier: fc.oneof(
    { arbitrary: fc.constant<Tier>('L1'), weight: 3 },
    { arbitrary: fc.constantFrom<Tier>('L2', 'L3'), weight: 2 },
  ),
  capacity: fc.integer({ min: 1, max: 3 }),
  availability: fc.array(
    fc.oneof(
      { arbitrary: fc.constant('online' as const), weight: 3 },
      { arbitrary: fc.constant('offline' as const), weight: 1 },
    ),
    { minLength: 1, maxLength: 3 },
  ),
});

/** A ticket's script: opened first, then perhaps escalated and resolved. */
const ticketScript = fc.record({
  priority: fc.constantFrom(...PRIORITIES),
  vip: fc.boolean(),
  then: fc.array(
    fc.oneof(
      fc.record({
        kind: fc.constant('escalate' as const),
        reason: fc.constantFrom(...ESCALATION_REASONS),
      }),
      fc.constant({ kind: 'resolve' as const }),
    ),
    { maxLength: 2 },
  ),
});

const clockOperation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 90 }) }),
  fc.constant({ kind: 'settle' as const }),
);

const MAX_OPERATIONS = 30;

/**
 * Up to 4 agents and 8 tickets, each with its script, and clock moves and
 * looks of the automation; `picks` interleave the scripts (so most
 * operations meet an agent or a ticket that exists) and `steps` cut the
 * result into groups of 1 to 4 operations sent together.
 */
const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    agents: fc.array(agentScript, { minLength: 1, maxLength: AGENT_IDS.length }),
    tickets: fc.array(ticketScript, { minLength: 2, maxLength: MAX_TICKETS }),
    clock: fc.array(clockOperation, { maxLength: 8 }),
    picks: fc.array(fc.nat(), { maxLength: MAX_OPERATIONS }),
    steps: fc.array(
      fc.record({ size: fc.integer({ min: 1, max: 4 }), settleAfter: fc.boolean() }),
      { minLength: MAX_OPERATIONS, maxLength: MAX_OPERATIONS },
    ),
  })
  .map(({ agents, tickets, clock, picks, steps }) => {
    const scripts: Operation[][] = [
      ...agents.map((script, agent): Operation[] => [
        { kind: 'register', agent },
        ...script.availability.map((availability) => ({
          kind: 'availability' as const,
          agent,
          availability,
        })),
      ]),
      ...tickets.map((script, ticket): Operation[] => [
        { kind: 'open', ticket, priority: script.priority, vip: script.vip },
        ...script.then.map((then) => ({ ...then, ticket })),
      ]),
      // A copy: the scripts are used up below, and fast-check may hand the generated values out again.
      [...clock],
    ];
    const operations: Operation[] = [];
    for (let pick = 0; operations.length < MAX_OPERATIONS; pick++) {
      const left = scripts.filter((script) => script.length > 0);
      if (left.length === 0) break;
      operations.push(nth(left, (picks[pick] ?? 0) % left.length).shift()!);
    }
    const grouped: Step[] = [];
    for (let start = 0, step = 0; start < operations.length; step++) {
      const { size, settleAfter } = nth(steps, step);
      grouped.push({ operations: operations.slice(start, start + size), settleAfter });
      start += size;
    }
    return {
      agents: agents.map(({ tier, capacity }) => ({ tier, capacity })),
      steps: grouped,
    };
  });

const ticketIdOf = (ticket: number) =>
  `00000000-0000-4000-8000-${String(ticket).padStart(12, '0')}`;

async function readLog(events: EventStore): Promise<RecordedEvent[]> {
  const log: RecordedEvent[] = [];
  for (;;) {
    const batch = await events.readAll({ after: log.at(-1)?.position, limit: 500 });
    log.push(...batch);
    if (batch.length < 500) return log;
  }
}

/** Tickets and agents as the log says they are after each event, folded by the domain. */
class LogReplay {
  readonly tickets = new Map<string, Ticket>();
  readonly agents = new Map<string, Agent>();

  apply(event: RecordedEvent): void {
    const occurredAt = event.metadata.occurredAt;
    if (event.streamId.startsWith(AGENT_STREAM_PREFIX)) {
      const agentId = event.streamId.slice(AGENT_STREAM_PREFIX.length);
      const agent = evolveAgent(this.agents.get(agentId) ?? null, {
        type: event.type,
        data: event.data,
        occurredAt,
      } as DatedAgentEvent);
      if (agent) this.agents.set(agentId, agent);
    } else if (event.streamId.startsWith(TICKET_STREAM_PREFIX)) {
      const ticketId = event.streamId.slice(TICKET_STREAM_PREFIX.length);
      const ticket = evolve(this.tickets.get(ticketId) ?? null, {
        type: event.type,
        data: event.data,
        occurredAt,
      } as DatedTicketEvent);
      if (ticket) this.tickets.set(ticketId, ticket);
    }
  }

  /** The tickets assigned to the agent and still worked on. */
  openTicketsOf(agentId: string): string[] {
    return [...this.tickets.values()]
      .filter((ticket) => ticket.assigneeId === agentId && isActive(ticket))
      .map((ticket) => ticket.ticketId);
  }
}

interface Run {
  api: TestApp;
  clock: TestClock;
  automation: Automation;
  agents: AgentProfile[];
}

const ticketPath = (ticket: number, action: string) =>
  `/v1/tickets/${ticketIdOf(ticket)}/${action}`;

/** Sends one operation; refusals (a ticket not opened yet, resolved, at the top) are part of the game. */
async function perform(op: Operation, { api, clock, automation, agents }: Run): Promise<void> {
  let answer;
  switch (op.kind) {
    case 'register': {
      const agentId = AGENT_IDS[op.agent];
      answer = await api.request('POST', '/v1/agents', {
        agentId,
        name: agentId,
        ...agents[op.agent],
      });
      break;
    }
    case 'availability':
      answer = await api.request('POST', `/v1/agents/${AGENT_IDS[op.agent]}/availability`, {
        availability: op.availability,
      });
      break;
    case 'open':
      answer = await api.request('POST', '/v1/tickets', {
        ticketId: ticketIdOf(op.ticket),
        subject: 'Cannot log in',
        channel: 'email',
        customer: { id: `customer-${op.ticket}`, tier: op.vip ? 'vip' : 'standard' },
        category: 'account',
        priority: op.priority,
      });
      break;
    case 'escalate':
      answer = await api.request('POST', ticketPath(op.ticket, 'escalate'), {
        reason: op.reason,
        note: 'tried the usual fixes',
      });
      break;
    case 'resolve':
      answer = await api.request('POST', ticketPath(op.ticket, 'resolve'), {
        resolution: 'fixed',
      });
      break;
    case 'advance':
      clock.advanceMinutes(op.minutes);
      return;
    case 'settle':
      await automation.settle();
      return;
  }
  expect({ op, answer: answer.status < 500 ? 'answered' : answer.body }).toEqual({
    op,
    answer: 'answered',
  });
}

/**
 * A look may record what calls for another (an assignment meets a first
 * response whose resolution warning is due, an escalation leaves a ticket
 * waiting in a new tier): look until the log stops growing.
 */
async function settleFully(automation: Automation, events: EventStore): Promise<void> {
  for (let head = await events.headPosition(); ;) {
    await automation.settle();
    const after = await events.headPosition();
    if (after === head) return;
    head = after;
  }
}

/** Replays the log, checking after every event that no agent holds more than their capacity. */
function replayWithinCapacity(log: readonly RecordedEvent[]): LogReplay {
  const replay = new LogReplay();
  for (const event of log) {
    replay.apply(event);
    for (const agent of replay.agents.values()) {
      const open = replay.openTicketsOf(agent.agentId);
      if (open.length > agent.capacity) {
        throw new Error(
          `After ${event.type} on ${event.streamId} (position ${event.position}), ` +
            `${agent.agentId} (capacity ${agent.capacity}) holds ${open.join(', ')}`,
        );
      }
    }
  }
  return replay;
}

/** Tickets waiting unassigned in a tier where an online agent has room. */
function waitingBesideFreeAgent(replay: LogReplay): string[] {
  const free = [...replay.agents.values()].filter(
    (agent) =>
      agent.availability === 'online' &&
      replay.openTicketsOf(agent.agentId).length < agent.capacity,
  );
  return [...replay.tickets.values()]
    .filter((ticket) => isActive(ticket) && ticket.assigneeId === null)
    .filter((ticket) => free.some((agent) => agent.tier === ticket.tier))
    .map((ticket) => `${ticket.ticketId} in ${ticket.tier}`);
}

describe('the assigner, in generated scenarios over HTTP', () => {
  it('never gives an agent more open tickets than their capacity, and leaves no ticket waiting beside a free agent', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ agents, steps }) => {
        // A fresh app per run: its own log, so no agent or ticket of an earlier run takes part.
        const clock = new TestClock('2026-03-02T09:00:00.000Z');
        const api = await startTestApp({ clock, config: { automation: 'on' } });
        try {
          const automation = api.app.get(Automation);
          const events = api.app.get<EventStore>(EVENT_STORE);
          const run: Run = { api, clock, automation, agents };
          expect((await api.request('PUT', '/v1/sla-policy', SHORT_POLICY)).status).toBe(200);

          for (const step of steps) {
            await Promise.all(step.operations.map((op) => perform(op, run)));
            if (step.settleAfter) await automation.settle();
          }
          await settleFully(automation, events);

          const replay = replayWithinCapacity(await readLog(events));
          expect(waitingBesideFreeAgent(replay)).toEqual([]);
        } finally {
          await api.close();
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

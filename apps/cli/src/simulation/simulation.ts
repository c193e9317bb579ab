import {
  agentStreamId,
  createTicketDecider,
  isActive,
  ticketStreamId,
  TIERS,
  type AgentCommand,
  type Tier,
} from '@ledger/domain';
import type { AppConfig, Stores } from '@ledger/runtime';
import { AGENT_KIND } from '../../../api/src/agents/agent-kind';
import { CommandPath } from '../../../api/src/commands/command-path';
import { systemClock } from '../../../api/src/storage/clock';
import { SlaPolicies } from '../../../api/src/sla-policy/sla-policies';
import type { CommandContext } from '../../../api/src/tickets/command-context';
import { ticketStreamKind } from '../../../api/src/tickets/ticket-commands';
import { CliError } from '../cli-error';
import { Agenda } from './agenda';
import { arrivalTimes } from './arrivals';
import { withSeededEventIds } from './seeded-event-ids';
import { SeededRandom, seededUuid } from './seeded';
import { SimulatedClock } from './simulated-clock';
import { personName, staffing } from './support-desk';
import {
  liveTicket,
  type Desk,
  type PlannedStep,
  type Sender,
  type TicketLife,
} from './ticket-life';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** SLA marks due this soon after the end are headed off: time to start the API on the log. */
export const HEAD_OFF_MS = 15 * MINUTE;
/** Commands in flight together: the log writes each round's appends in one transaction. */
const ROUND = 1000;

export interface SimulationOptions {
  tickets: number;
  seed: number;
  days: number;
  agents: number;
  /** The end of the simulated period, epoch ms: the present, unless asked otherwise. */
  end: number;
}

export interface SimulationReport {
  tickets: number;
  agents: number;
  start: string;
  end: string;
  /** Events appended, by type. */
  events: Record<string, number>;
  eventCount: number;
  escalated: number;
  autoEscalations: number;
  openAtEnd: number;
  /** Commands the log refused (it changed under the simulation), with the first reason. */
  refused: number;
  firstRefusal?: string;
  seconds: number;
}

const STAFFING: Sender = { actor: 'simulation:staffing', roles: ['supervisor'] };

interface Agent {
  agentId: string;
  name: string;
  tier: Tier;
  capacity: number;
}

function agentsOf(seed: number, count: number): Agent[] {
  const perTier = staffing(count);
  return TIERS.flatMap((tier) =>
    Array.from({ length: perTier[tier] }, (_, n) => ({
      agentId: `s${seed}-${tier.toLowerCase()}-${String(n + 1).padStart(2, '0')}`,
      name: personName(seed * 31 + TIERS.indexOf(tier) * 97 + n),
      tier,
      capacity: tier === 'L1' ? 12 : 8,
    })),
  );
}

interface TicketInFlight {
  at: number;
  order: number;
  ticketId: string;
  steps: PlannedStep[];
  next: number;
}

function emptyReport(options: SimulationOptions, start: number): SimulationReport {
  return {
    tickets: options.tickets,
    agents: 0,
    start: new Date(start).toISOString(),
    end: new Date(options.end).toISOString(),
    events: {},
    eventCount: 0,
    escalated: 0,
    autoEscalations: 0,
    openAtEnd: 0,
    refused: 0,
    seconds: 0,
  };
}

/** One run: the command path at simulated instants, and what it has sent so far. */
class SimulationRun {
  private readonly clock = new SimulatedClock();
  private readonly path: CommandPath;
  readonly report: SimulationReport;

  constructor(
    stores: Stores,
    config: AppConfig,
    private readonly options: SimulationOptions,
    readonly start: number,
  ) {
    this.path = new CommandPath(
      withSeededEventIds(stores.events, options.seed),
      this.clock,
      config,
    );
    this.report = emptyReport(options, start);
  }

  ticketId(order: number): string {
    return seededUuid(this.options.seed, 'ticket', order);
  }

  /** The desk's agents, registered and online from the start of the period. */
  async staff(): Promise<Agent[]> {
    const agents = agentsOf(this.options.seed, this.options.agents);
    const send = (agent: Agent, command: AgentCommand, by: Sender) =>
      this.clock.at(this.start, () =>
        this.path.execute(
          AGENT_KIND,
          agentStreamId(agent.agentId),
          command,
          this.context(by, agent.agentId, command.type),
        ),
      );
    await Promise.all(
      agents.map((agent) => send(agent, { type: 'RegisterAgent', data: agent }, STAFFING)),
    );
    const online: AgentCommand = {
      type: 'ChangeAgentAvailability',
      data: { availability: 'online' },
    };
    await Promise.all(
      agents.map((agent) => send(agent, online, { actor: agent.agentId, roles: ['agent'] })),
    );
    this.report.agents = agents.length;
    this.count('AgentRegistered', agents.length);
    this.count('AgentAvailabilityChanged', agents.length);
    return agents;
  }

  /** Sends a ticket's step at its instant; a refusal is counted, not thrown. */
  send(kind: TicketKind, ticket: TicketInFlight, index: number): Promise<void> {
    const step = ticket.steps[index];
    if (!step) throw new RangeError(`Ticket ${ticket.ticketId} has no step ${index}`);
    const context = this.context(step.by, ticket.order, index);
    return this.clock
      .at(step.at, () =>
        this.path.execute(kind, ticketStreamId(ticket.ticketId), step.command, context),
      )
      .then(
        () => undefined,
        (error: Error) => {
          this.report.refused++;
          this.report.firstRefusal ??= `${step.command.type} on ${ticket.ticketId}: ${error.message}`;
        },
      );
  }

  /** What a ticket's life adds to the report. */
  tally(life: TicketLife): void {
    for (const { events } of life.steps) {
      for (const event of events) {
        this.count(event.type, 1);
        if (event.type === 'TicketEscalated' && event.data.auto) this.report.autoEscalations++;
      }
    }
    const ticket = life.ticket;
    if (ticket && ticket.escalationCount > 0) this.report.escalated++;
    if (ticket && isActive(ticket)) this.report.openAtEnd++;
  }

  private count(type: string, events: number): void {
    this.report.events[type] = (this.report.events[type] ?? 0) + events;
    this.report.eventCount += events;
  }

  /** Who sent a command, and ids made from the seed and the command's place in the run. */
  private context(by: Sender, ...place: (string | number)[]): CommandContext {
    const { seed } = this.options;
    return {
      actor: by.actor,
      actorRoles: by.roles,
      ...(by.automation && { automation: by.automation }),
      correlationId: seededUuid(seed, 'correlation', ...place),
      commandId: seededUuid(seed, 'command', ...place),
    };
  }
}

type TicketKind = ReturnType<typeof ticketStreamKind>;

/**
 * Simulates a support desk over the `days` up to `end`: agents, tickets
 * arriving through the day, each living its life through the real deciders
 * and the API's command path into the configured log, at simulated event
 * times. The same seed and end give the same log, event for event.
 */
export async function simulate(
  stores: Stores,
  config: AppConfig,
  options: SimulationOptions,
  onProgress: (ticketsStarted: number) => void = () => undefined,
): Promise<SimulationReport> {
  const started = Date.now();
  const run = new SimulationRun(stores, config, options, options.end - options.days * DAY);
  if ((await stores.events.readStream(ticketStreamId(run.ticketId(0)), { limit: 1 })).length > 0) {
    throw new CliError(
      `The log holds the tickets of seed ${options.seed} already: simulate with another --seed`,
    );
  }
  // The policy in force when the simulation starts measures every ticket it opens.
  const policy = await new SlaPolicies(
    stores.events,
    new CommandPath(stores.events, systemClock, config),
  ).current();
  const decider = createTicketDecider({ priorityRules: config.priorityRules });
  const kind = ticketStreamKind(decider, async () => policy);
  const agents = await run.staff();
  const desk: Desk = {
    decider,
    policy,
    roster: Object.fromEntries(
      TIERS.map((tier) => [tier, agents.filter((a) => a.tier === tier).map((a) => a.agentId)]),
    ) as Record<Tier, string[]>,
    customers: Math.max(50, Math.round(options.tickets / 3)),
    end: options.end,
    headOffMs: HEAD_OFF_MS,
  };

  // Every ticket's life is decided when it arrives; its steps are then sent
  // in time order across tickets, a round at a time.
  const arrivals = arrivalTimes(options.seed, options.tickets, run.start, options.end);
  const agenda = new Agenda<TicketInFlight>();
  let arrived = 0;
  let round: Promise<void>[] = [];
  while (arrived < arrivals.length || agenda.size > 0) {
    const due = agenda.peek();
    const arrival = arrivals[arrived];
    if (arrival !== undefined && (due === undefined || arrival <= due.at)) {
      const order = arrived++;
      const ticketId = run.ticketId(order);
      const random = new SeededRandom(options.seed, 'ticket', order);
      const life = liveTicket(desk, random, ticketId, arrival);
      run.tally(life);
      const [first] = life.steps;
      if (first) agenda.push({ at: first.at, order, ticketId, steps: life.steps, next: 0 });
      continue;
    }
    const ticket = agenda.pop()!;
    round.push(run.send(kind, ticket, ticket.next++));
    const next = ticket.steps[ticket.next];
    if (next) {
      ticket.at = next.at;
      agenda.push(ticket);
    }
    if (round.length >= ROUND) {
      await Promise.all(round);
      round = [];
      onProgress(arrived);
    }
  }
  await Promise.all(round);
  onProgress(arrived);
  return { ...run.report, seconds: (Date.now() - started) / 1000 };
}

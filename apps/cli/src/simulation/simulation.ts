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
import { liveTicket, type Desk, type PlannedStep, type Sender } from './ticket-life';

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
  const { seed, end } = options;
  const start = end - options.days * DAY;
  const clock = new SimulatedClock();
  const path = new CommandPath(withSeededEventIds(stores.events, seed), clock, config);
  const versions = await new SlaPolicies(stores.events, path).versions();
  const policy = versions[versions.length - 1];
  const decider = createTicketDecider({ priorityRules: config.priorityRules });
  const ticketKind = ticketStreamKind(decider, async () => policy);
  const ticketId = (index: number) => seededUuid(seed, 'ticket', index);

  if ((await stores.events.readStream(ticketStreamId(ticketId(0)), { limit: 1 })).length > 0) {
    throw new CliError(
      `The log holds the tickets of seed ${seed} already: simulate with another --seed`,
    );
  }

  const context = (by: Sender, ...id: (string | number)[]): CommandContext => ({
    actor: by.actor,
    actorRoles: by.roles,
    ...(by.automation && { automation: by.automation }),
    correlationId: seededUuid(seed, 'correlation', ...id),
    commandId: seededUuid(seed, 'command', ...id),
  });
  const agents = agentsOf(seed, options.agents);
  const onAgent = (at: number, agent: Agent, command: AgentCommand, by: Sender) =>
    clock.at(at, () =>
      path.execute(
        AGENT_KIND,
        agentStreamId(agent.agentId),
        command,
        context(by, agent.agentId, command.type),
      ),
    );
  await Promise.all(
    agents.map((agent) => onAgent(start, agent, { type: 'RegisterAgent', data: agent }, STAFFING)),
  );
  await Promise.all(
    agents.map((agent) =>
      onAgent(
        start,
        agent,
        { type: 'ChangeAgentAvailability', data: { availability: 'online' } },
        {
          actor: agent.agentId,
          roles: ['agent'],
        },
      ),
    ),
  );

  const roster = Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      agents.filter((agent) => agent.tier === tier).map((agent) => agent.agentId),
    ]),
  ) as Record<Tier, string[]>;
  const desk: Desk = {
    decider,
    policy,
    roster,
    customers: Math.max(50, Math.round(options.tickets / 3)),
    end,
    headOffMs: HEAD_OFF_MS,
  };
  const report: SimulationReport = {
    tickets: options.tickets,
    agents: agents.length,
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    events: { AgentRegistered: agents.length, AgentAvailabilityChanged: agents.length },
    eventCount: 2 * agents.length,
    escalated: 0,
    autoEscalations: 0,
    openAtEnd: 0,
    refused: 0,
    seconds: 0,
  };

  const send = (ticket: TicketInFlight, index: number) => {
    const step = ticket.steps[index];
    return clock
      .at(step.at, () =>
        path.execute(
          ticketKind,
          ticketStreamId(ticket.ticketId),
          step.command,
          context(step.by, ticket.order, index),
        ),
      )
      .then(
        () => undefined,
        (error: Error) => {
          report.refused++;
          report.firstRefusal ??= `${step.command.type} on ${ticket.ticketId}: ${error.message}`;
        },
      );
  };

  const arrivals = arrivalTimes(seed, options.tickets, start, end);
  const agenda = new Agenda<TicketInFlight>();
  let arrived = 0;
  let round: Promise<void>[] = [];
  while (arrived < arrivals.length || agenda.size > 0) {
    const due = agenda.peek();
    if (arrived < arrivals.length && (due === undefined || arrivals[arrived] <= due.at)) {
      const order = arrived++;
      const life = liveTicket(
        desk,
        new SeededRandom(seed, 'ticket', order),
        ticketId(order),
        arrivals[order],
      );
      tally(report, life.steps, life.ticket);
      if (life.steps.length > 0) {
        agenda.push({
          at: life.steps[0].at,
          order,
          ticketId: ticketId(order),
          steps: life.steps,
          next: 0,
        });
      }
      continue;
    }
    const ticket = agenda.pop()!;
    round.push(send(ticket, ticket.next++));
    if (ticket.next < ticket.steps.length) {
      ticket.at = ticket.steps[ticket.next].at;
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
  report.seconds = (Date.now() - started) / 1000;
  return report;
}

function tally(
  report: SimulationReport,
  steps: readonly PlannedStep[],
  ticket: ReturnType<typeof liveTicket>['ticket'],
): void {
  for (const { events } of steps) {
    for (const event of events) {
      report.events[event.type] = (report.events[event.type] ?? 0) + 1;
      report.eventCount++;
      if (event.type === 'TicketEscalated' && event.data.auto) report.autoEscalations++;
    }
  }
  if (ticket && ticket.escalationCount > 0) report.escalated++;
  if (ticket && isActive(ticket)) report.openAtEnd++;
}

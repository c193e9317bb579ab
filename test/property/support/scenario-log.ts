import { randomUUID } from 'node:crypto';
import {
  createTicketDecider,
  DEFAULT_SLA_POLICY,
  DomainError,
  evolve,
  ticketStreamId,
  type DatedTicketEvent,
  type TicketCommand,
  type TicketEvent,
  type TicketState,
} from '@ledger/domain';
import type { AppendResult, EventStore } from '@ledger/event-store';
import { commandFor, type Scenario, type Step } from './ticket-commands.arbitrary';

export const SCENARIO_START = '2026-01-05T09:00:00.000Z';

/** The ticket a step's number stands for; `run` keeps the ids of runs sharing one store apart. */
export function ticketIdOf(ticket: number, run = 0): string {
  const runHex = run.toString(16).padStart(8, '0');
  return `${runHex}-0000-4000-8000-${String(ticket).padStart(12, '0')}`;
}

/** A command the rules accepted, with the events it caused and when. */
export interface AcceptedCommand {
  step: number;
  ticketId: string;
  command: TicketCommand;
  occurredAt: string;
  events: TicketEvent[];
  /** The ticket's version before the command: the append's expected version. */
  versionBefore: number;
}

export interface DecidedScenario {
  accepted: AcceptedCommand[];
  /** Every event of each opened ticket, in stream order, with its instant. */
  histories: Map<string, DatedTicketEvent[]>;
  /** Every ticket id a step addressed, opened or not. */
  ticketIds: string[];
  /** The instant of each step (refused ones included), in step order. */
  instants: string[];
  /** Per step, the code of the rule that refused it, or null when it was accepted. */
  refusals: (string | null)[];
}

const decider = createTicketDecider();

/** A ticket opened before SLA policies existed: its opening carries no terms. */
function withoutSla(event: TicketEvent): TicketEvent {
  if (event.type !== 'TicketOpened') return event;
  const data = { ...event.data };
  delete data.sla;
  return { ...event, data };
}

export interface ScenarioOptions {
  start?: string;
  run?: number;
  /**
   * Whether the SLA clock looks at every ticket at each step's instant, just
   * before the step and just after it, as the API's automation does when a
   * test settles it there: marks that fell due since the previous step are
   * recorded at the step's instant.
   */
  slaClock?: boolean;
}

/**
 * Plays the steps against the domain alone: the clock moves by each step's
 * minutes, refused commands are skipped, and commands that change nothing
 * (same assignee, same status) leave no event. Tickets are opened under the
 * scenario's SLA policy, except those it says were opened before policies.
 */
export function decideScenario(scenario: Scenario, options: ScenarioOptions = {}): DecidedScenario {
  let now = Date.parse(options.start ?? SCENARIO_START);
  const states = new Map<string, TicketState>();
  const histories = new Map<string, DatedTicketEvent[]>();
  const accepted: AcceptedCommand[] = [];
  const ticketIds = new Set<string>();
  const instants: string[] = [];
  const refusals: (string | null)[] = [];
  const context = { slaPolicy: scenario.slaPolicy ?? DEFAULT_SLA_POLICY };
  const unmeasured = new Set(
    (scenario.unmeasured ?? []).map((ticket) => ticketIdOf(ticket, options.run)),
  );

  /** Records what the command decided; answers the code of the rule that refused it, or null. */
  function play(
    step: number,
    ticketId: string,
    command: TicketCommand,
    occurredAt: string,
  ): string | null {
    const state = states.get(ticketId) ?? null;
    let events: TicketEvent[];
    try {
      events = decider.decide(command, state, context);
      if (unmeasured.has(ticketId)) events = events.map(withoutSla);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return error.code;
    }
    if (events.length === 0) return null;
    const dated = events.map((event) => ({ ...event, occurredAt }));
    states.set(ticketId, dated.reduce(evolve, state));
    histories.set(ticketId, [...(histories.get(ticketId) ?? []), ...dated]);
    accepted.push({
      step,
      ticketId,
      command,
      occurredAt,
      events,
      versionBefore: state?.version ?? 0,
    });
    return null;
  }

  function checkEverySla(step: number, occurredAt: string): void {
    if (!options.slaClock) return;
    for (const ticketId of states.keys()) {
      play(step, ticketId, { type: 'CheckSla', data: { now: occurredAt } }, occurredAt);
    }
  }

  scenario.steps.forEach((step: Step, index) => {
    now += step.minutes * 60_000;
    const occurredAt = new Date(now).toISOString();
    instants.push(occurredAt);
    const ticketId = ticketIdOf(step.ticket, options.run);
    ticketIds.add(ticketId);
    checkEverySla(index, occurredAt);
    refusals.push(play(index, ticketId, commandFor(step, ticketId, occurredAt), occurredAt));
    checkEverySla(index, occurredAt);
  });
  return { accepted, histories, ticketIds: [...ticketIds], instants, refusals };
}

/** Appends one accepted command's events as the API would, with full metadata. */
export function appendAccepted(store: EventStore, command: AcceptedCommand): Promise<AppendResult> {
  return appendStamped(
    store,
    ticketStreamId(command.ticketId),
    command,
    // Written straight to the store, in the clear: the schema before personal data was sealed.
    1,
  );
}

/** Appends events of one command to `streamId` as the API would, with full metadata. */
export function appendStamped(
  store: EventStore,
  streamId: string,
  command: {
    events: readonly { type: string; data: unknown }[];
    occurredAt: string;
    versionBefore: number;
  },
  schemaVersion: number,
): Promise<AppendResult> {
  const causationId = randomUUID();
  return store.append(
    streamId,
    command.events.map((event) => ({
      type: event.type,
      data: event.data,
      metadata: {
        eventId: randomUUID(),
        occurredAt: command.occurredAt,
        actor: 'property-test',
        correlationId: causationId,
        causationId,
        schemaVersion,
      },
    })),
    command.versionBefore === 0 ? 'no_stream' : command.versionBefore,
  );
}

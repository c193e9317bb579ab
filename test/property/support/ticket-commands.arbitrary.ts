import fc from 'fast-check';
import {
  CHANNELS,
  CUSTOMER_TIERS,
  ESCALATION_REASONS,
  PRIORITIES,
  TIERS,
  WORK_STATUSES,
  type CheckSla,
  type OpenTicket,
  type TicketCommand,
  type VersionedSlaPolicy,
} from '@ledger/domain';
import { slaPolicy } from './sla-policy.arbitrary';
import { nth } from '../../support/elements';

/**
 * A command as generated: an open names its ticket through the step, not
 * through data; an SLA check looks at the ticket at the step's instant.
 */
export type GeneratedCommand =
  | { type: 'OpenTicket'; data: Omit<OpenTicket['data'], 'ticketId'> }
  | { type: 'CheckSla' }
  | Exclude<TicketCommand, OpenTicket | CheckSla>;

/** One thing a client does: after `minutes` more, send `command` to ticket number `ticket`. */
export interface Step {
  ticket: number;
  minutes: number;
  command: GeneratedCommand;
}

export interface Scenario {
  steps: Step[];
  /** The policy tickets are opened under; the built-in default (the API's) when absent. */
  slaPolicy?: VersionedSlaPolicy;
  /** Tickets, by number, opened before SLA policies existed: their openings carry no terms. */
  unmeasured?: number[];
}

export interface ScenarioLimits {
  maxTickets?: number;
  maxSteps?: number;
  /**
   * Whether the SLA clock and the assigner act too (CheckSla, AutoAssignTicket),
   * under a generated policy, with some tickets opened before SLA policies.
   * Off for scenarios sent over HTTP, which has no endpoint for them.
   */
  automation?: boolean;
}

// Small value sets: collisions (same agent twice, same category) are what the
// read models have to get right, and counterexamples stay readable.
const subjects = [
  'Cannot log in',
  'Site down for everyone',
  'Refund for a double charge',
  'Legal question about the contract',
];
const agents = ['ana', 'ben', 'chen', 'dee'];
const categories = ['account', 'billing', 'hardware'];
const words = ['tried a restart', 'asked for logs', 'see attachment'];

const openTicket = fc.record(
  {
    subject: fc.constantFrom(...subjects),
    description: fc.constantFrom('', 'The outage started this morning', 'Nothing works'),
    channel: fc.constantFrom(...CHANNELS),
    customer: fc.record(
      {
        id: fc.constantFrom('c-1', 'c-2', 'c-3'),
        name: fc.constantFrom('Ada', 'Grace'),
        tier: fc.constantFrom(...CUSTOMER_TIERS),
      },
      { requiredKeys: ['id'] },
    ),
    category: fc.constantFrom(...categories),
    priority: fc.constantFrom(...PRIORITIES),
  },
  { requiredKeys: ['subject', 'channel', 'customer', 'category'] },
);

const statusChange = fc
  .constantFrom(...WORK_STATUSES)
  .map((status) => ({ type: 'ChangeTicketStatus' as const, data: { status } }));

/** Any command a client sends; an open here meets a ticket opened already, mostly, and is refused. */
const clientCommand: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { arbitrary: openTicket.map((data) => ({ type: 'OpenTicket' as const, data })), weight: 1 },
  {
    arbitrary: fc
      .constantFrom(...agents)
      .map((agentId) => ({ type: 'AssignTicket' as const, data: { agentId } })),
    weight: 3,
  },
  {
    arbitrary: fc
      .record(
        {
          toTier: fc.constantFrom(...TIERS),
          reason: fc.constantFrom(...ESCALATION_REASONS),
          note: fc.constantFrom(...words),
        },
        { requiredKeys: ['reason', 'note'] },
      )
      .map((data) => ({ type: 'EscalateTicket' as const, data })),
    weight: 3,
  },
  {
    arbitrary: fc
      .record(
        {
          resolution: fc.constantFrom('fixed', 'workaround given'),
          // `constructor` names a property every plain object inherits: root causes are free text.
          rootCause: fc.constantFrom('config', 'bug', 'constructor'),
          escalationNecessary: fc.boolean(),
        },
        { requiredKeys: ['resolution'] },
      )
      .map((data) => ({ type: 'ResolveTicket' as const, data })),
    weight: 3,
  },
  {
    arbitrary: fc
      .record(
        { score: fc.integer({ min: 1, max: 5 }), comment: fc.constantFrom('thanks', 'slow') },
        { requiredKeys: ['score'] },
      )
      .map((data) => ({ type: 'RecordFeedback' as const, data })),
    weight: 2,
  },
  { arbitrary: statusChange, weight: 2 },
  {
    arbitrary: fc
      .constantFrom(...words)
      .map((body) => ({ type: 'AddTicketNote' as const, data: { body } })),
    weight: 1,
  },
  {
    arbitrary: fc
      .constantFrom('came back', 'customer replied')
      .map((reason) => ({ type: 'ReopenTicket' as const, data: { reason } })),
    weight: 2,
  },
  {
    arbitrary: fc
      .record({ reason: fc.constantFrom('duplicate', 'done') }, { requiredKeys: [] })
      .map((data) => ({ type: 'CloseTicket' as const, data })),
    weight: 1,
  },
);

/** What the automation sends: SLA checks often, an assigner's pick now and then. */
const automationCommand: fc.Arbitrary<GeneratedCommand> = fc.oneof(
  { arbitrary: fc.constant({ type: 'CheckSla' as const }), weight: 3 },
  {
    arbitrary: fc
      .record({ agentId: fc.constantFrom(...agents), tier: fc.constantFrom(...TIERS) })
      .map((data) => ({ type: 'AutoAssignTicket' as const, data })),
    weight: 1,
  },
);

/**
 * Minutes before a step: often none (events at the same instant), often a
 * few, sometimes days, so cohorts and groupBy=day span several dates.
 */
export const stepMinutes: fc.Arbitrary<number> = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 120 }), weight: 6 },
  { arbitrary: fc.integer({ min: 121, max: 3 * 24 * 60 }), weight: 1 },
);

interface TicketScript {
  /** Null now and then: the ticket is never opened and every command to it is a 404. */
  open: { minutes: number; data: Omit<OpenTicket['data'], 'ticketId'> } | null;
  then: { minutes: number; command: GeneratedCommand }[];
}

const ticketScript = (command: fc.Arbitrary<GeneratedCommand>): fc.Arbitrary<TicketScript> =>
  fc.record({
    open: fc.option(fc.record({ minutes: stepMinutes, data: openTicket }), {
      freq: 12,
      nil: null,
    }),
    then: fc.array(fc.record({ minutes: stepMinutes, command }), { maxLength: 14 }),
  });

/**
 * Clients and the automation together, with more moves in and out of pending:
 * the pauses of the resolution clock are what moves its deadlines.
 */
const withAutomation = fc.oneof(
  { arbitrary: clientCommand, weight: 4 },
  { arbitrary: automationCommand, weight: 1 },
  { arbitrary: statusChange, weight: 1 },
);

/**
 * 1 to `maxSteps` steps over 1 to `maxTickets` tickets. Each ticket gets a
 * script that starts with its open, so most commands meet an existing ticket;
 * `picks` interleave the scripts. The value the property sees (and a
 * counterexample shows) is the flat list of steps.
 */
export function scenario({
  maxTickets = 8,
  maxSteps = 60,
  automation = false,
}: ScenarioLimits = {}): fc.Arbitrary<Scenario> {
  return fc
    .record({
      scripts: fc.array(ticketScript(automation ? withAutomation : clientCommand), {
        minLength: 1,
        maxLength: maxTickets,
      }),
      picks: fc.array(fc.nat(), { maxLength: maxSteps }),
      policy: automation ? slaPolicy : fc.constant(undefined),
      unmeasured: automation
        ? fc.uniqueArray(fc.nat({ max: maxTickets - 1 }), { maxLength: 2 })
        : fc.constant<number[]>([]),
    })
    .map(({ scripts, picks, policy, unmeasured }) => {
      const queues = scripts.map((script, ticket) =>
        [
          ...(script.open
            ? [{ minutes: script.open.minutes, command: openCommand(script.open.data) }]
            : []),
          ...script.then,
        ].map((step) => ({ ticket, ...step })),
      );
      const steps: Step[] = [];
      for (let pick = 0; steps.length < maxSteps; pick++) {
        const waiting = queues.filter((queue) => queue.length > 0);
        if (waiting.length === 0) break;
        steps.push(nth(waiting, (picks[pick] ?? 0) % waiting.length).shift()!);
      }
      return {
        steps,
        ...(policy && { slaPolicy: policy }),
        ...(unmeasured.length > 0 && { unmeasured }),
      };
    })
    .filter(({ steps }) => steps.length > 0);
}

function openCommand(data: Omit<OpenTicket['data'], 'ticketId'>): GeneratedCommand {
  return { type: 'OpenTicket', data };
}

/** The command a step sends at `now`, with the ticket id it is addressed to. */
export function commandFor(step: Step, ticketId: string, now: string): TicketCommand {
  const { command } = step;
  switch (command.type) {
    case 'OpenTicket':
      return { type: 'OpenTicket', data: { ...command.data, ticketId } };
    case 'CheckSla':
      return { type: 'CheckSla', data: { now } };
    default:
      return command;
  }
}

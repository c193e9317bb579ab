import fc from 'fast-check';
import {
  CHANNELS,
  CUSTOMER_TIERS,
  ESCALATION_REASONS,
  PRIORITIES,
  TIERS,
  WORK_STATUSES,
  type OpenTicket,
  type TicketCommand,
} from '@ledger/domain';

/** A command as generated: an open names its ticket through the step, not through data. */
export type GeneratedCommand =
  | { type: 'OpenTicket'; data: Omit<OpenTicket['data'], 'ticketId'> }
  | Exclude<TicketCommand, OpenTicket>;

/** One thing a client does: after `minutes` more, send `command` to ticket number `ticket`. */
export interface Step {
  ticket: number;
  minutes: number;
  command: GeneratedCommand;
}

export interface Scenario {
  steps: Step[];
}

export interface ScenarioLimits {
  maxTickets?: number;
  maxSteps?: number;
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

/** Any command; an open here meets a ticket opened already, mostly, and is refused. */
export const generatedCommand: fc.Arbitrary<GeneratedCommand> = fc.oneof(
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
          rootCause: fc.constantFrom('config', 'bug'),
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
  {
    arbitrary: fc
      .constantFrom(...WORK_STATUSES)
      .map((status) => ({ type: 'ChangeTicketStatus' as const, data: { status } })),
    weight: 2,
  },
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

const ticketScript: fc.Arbitrary<TicketScript> = fc.record({
  open: fc.option(fc.record({ minutes: stepMinutes, data: openTicket }), {
    freq: 12,
    nil: null,
  }),
  then: fc.array(fc.record({ minutes: stepMinutes, command: generatedCommand }), {
    maxLength: 14,
  }),
});

/**
 * 1 to `maxSteps` steps over 1 to `maxTickets` tickets. Each ticket gets a
 * script that starts with its open, so most commands meet an existing ticket;
 * `picks` interleave the scripts. The value the property sees (and a
 * counterexample shows) is the flat list of steps.
 */
export function scenario({
  maxTickets = 8,
  maxSteps = 60,
}: ScenarioLimits = {}): fc.Arbitrary<Scenario> {
  return fc
    .record({
      scripts: fc.array(ticketScript, { minLength: 1, maxLength: maxTickets }),
      picks: fc.array(fc.nat(), { maxLength: maxSteps }),
    })
    .map(({ scripts, picks }) => {
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
        steps.push(waiting[(picks[pick] ?? 0) % waiting.length].shift()!);
      }
      return { steps };
    })
    .filter(({ steps }) => steps.length > 0);
}

function openCommand(data: Omit<OpenTicket['data'], 'ticketId'>): GeneratedCommand {
  return { type: 'OpenTicket', data };
}

/** The command a step sends, with the ticket id it is addressed to. */
export function commandFor(step: Step, ticketId: string): TicketCommand {
  const { command } = step;
  return command.type === 'OpenTicket'
    ? { type: 'OpenTicket', data: { ...command.data, ticketId } }
    : command;
}

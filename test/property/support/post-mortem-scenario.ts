import fc from 'fast-check';
import {
  ACTION_KINDS,
  decidePostMortem,
  DomainError,
  evolve,
  evolvePostMortem,
  postMortemStreamId,
  type DatedPostMortemEvent,
  type PostMortemCommand,
  type PostMortemEvent,
  type PostMortemState,
  type PostMortemTicket,
  type TicketState,
} from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { appendAccepted, appendStamped, ticketIdOf, type DecidedScenario } from './scenario-log';
import { nth } from '../../support/elements';

/** A supervisor's move on a ticket's post-mortem, right after step `step` (modulo the steps). */
export interface PostMortemStep {
  ticket: number;
  step: number;
  command:
    | { type: 'RecordPostMortem'; rootCause: string; actions: { dueDate: string; owner: string }[] }
    | { type: 'CompletePostMortemAction' | 'DropPostMortemAction'; action: number };
}

// The scenario starts on 2026-01-05 and runs for days: due dates before, during and after it.
const dueDates = ['2026-01-04', '2026-01-06', '2026-01-08', '2026-01-20'];

const postMortemStep: fc.Arbitrary<PostMortemStep> = fc.record({
  ticket: fc.nat({ max: 7 }),
  step: fc.nat(),
  command: fc.oneof(
    fc.record({
      type: fc.constant('RecordPostMortem' as const),
      // The scenario's resolutions name the same codes: corrections and repeats meet.
      rootCause: fc.constantFrom('config', 'bug', 'constructor'),
      actions: fc.array(
        fc.record({ dueDate: fc.constantFrom(...dueDates), owner: fc.constantFrom('ana', 'ben') }),
        { maxLength: 2 },
      ),
    }),
    fc.record({
      type: fc.constantFrom('CompletePostMortemAction' as const, 'DropPostMortemAction' as const),
      action: fc.integer({ min: 1, max: 3 }),
    }),
  ),
});

export const postMortemSteps = fc.array(postMortemStep, { maxLength: 12 });

/** A post-mortem command the rules accepted: its events, when, and after which step. */
export interface AcceptedPostMortemCommand {
  step: number;
  ticketId: string;
  occurredAt: string;
  events: PostMortemEvent[];
  versionBefore: number;
}

export interface DecidedPostMortems {
  accepted: AcceptedPostMortemCommand[];
  /** Every event of each post-mortem, by ticket id, with its instant. */
  histories: Map<string, DatedPostMortemEvent[]>;
}

function commandOf(step: PostMortemStep, ticketId: string): PostMortemCommand {
  const { command } = step;
  if (command.type === 'RecordPostMortem') {
    return {
      type: 'RecordPostMortem',
      data: {
        ticketId,
        participants: [{ agentId: 'ana', role: 'first responder' }],
        rootCause: command.rootCause,
        wentWell: 'fast refund',
        toImprove: 'earlier escalation',
        actions: command.actions.map(({ dueDate, owner }) => ({
          kind: nth(ACTION_KINDS, dueDate.charCodeAt(9) % ACTION_KINDS.length),
          description: `due ${dueDate}`,
          owner,
          dueDate,
        })),
      },
    };
  }
  const actionId = `a${command.action}`;
  return command.type === 'CompletePostMortemAction'
    ? { type: command.type, data: { actionId } }
    : { type: command.type, data: { actionId, reason: 'no longer needed' } };
}

/** The ticket as its accepted commands up to and including `step` left it. */
function ticketAt(decided: DecidedScenario, ticketId: string, step: number): TicketState {
  let state: TicketState = null;
  for (const command of decided.accepted) {
    if (command.ticketId !== ticketId || command.step > step) continue;
    for (const event of command.events)
      state = evolve(state, { ...event, occurredAt: command.occurredAt });
  }
  return state;
}

/** Plays the post-mortem steps against the domain, each right after its step of the ticket scenario. */
export function decidePostMortems(
  decided: DecidedScenario,
  steps: readonly PostMortemStep[],
): DecidedPostMortems {
  const states = new Map<string, PostMortemState>();
  const histories = new Map<string, DatedPostMortemEvent[]>();
  const accepted: AcceptedPostMortemCommand[] = [];
  const placed = steps
    .map((step) => ({ ...step, step: step.step % decided.instants.length }))
    .sort((a, b) => a.step - b.step);
  for (const step of placed) {
    const ticketId = ticketIdOf(step.ticket);
    const occurredAt = nth(decided.instants, step.step);
    const ticket = ticketAt(decided, ticketId, step.step);
    const facts: PostMortemTicket = ticket && {
      customerId: ticket.customer.id,
      escalated: ticket.escalationCount > 0,
      ended: ticket.status === 'resolved' || ticket.status === 'closed',
    };
    const state = states.get(ticketId) ?? null;
    let events: PostMortemEvent[];
    try {
      events = decidePostMortem(commandOf(step, ticketId), state, facts);
    } catch (error) {
      if (error instanceof DomainError) continue;
      throw error;
    }
    if (events.length === 0) continue;
    const dated = events.map((event) => ({ ...event, occurredAt }));
    states.set(ticketId, dated.reduce(evolvePostMortem, state));
    histories.set(ticketId, [...(histories.get(ticketId) ?? []), ...dated]);
    accepted.push({
      step: step.step,
      ticketId,
      occurredAt,
      events,
      versionBefore: state?.version ?? 0,
    });
  }
  return { accepted, histories };
}

/** Appends the tickets' and the post-mortems' events in step order, a step's ticket command first. */
export async function appendWithPostMortems(
  store: EventStore,
  decided: DecidedScenario,
  postMortems: DecidedPostMortems,
): Promise<void> {
  const pending = [...postMortems.accepted];
  const appendUpTo = async (step: number) => {
    while (pending[0] !== undefined && pending[0].step < step) {
      const command = pending.shift()!;
      await appendStamped(store, postMortemStreamId(command.ticketId), command, 1);
    }
  };
  for (const command of decided.accepted) {
    await appendUpTo(command.step);
    await appendAccepted(store, command);
  }
  await appendUpTo(Number.POSITIVE_INFINITY);
}

import { echoed } from './echoed-input';
import { ruleBroken, RULE_CODES, TicketNotFoundError, DomainError } from './domain-errors';
import { derivePriority, DEFAULT_PRIORITY_RULES, type PriorityRules } from './priority-rules';
import { DEFAULT_SLA_POLICY, slaTermsFor, type VersionedSlaPolicy } from './sla/sla-policy';
import { dueSlaMarks } from './sla/ticket-sla';
import type {
  AddTicketNote,
  AssignTicket,
  AutoAssignTicket,
  CheckSla,
  ChangeTicketStatus,
  CloseTicket,
  EscalateTicket,
  OpenTicket,
  RecordFeedback,
  ReopenTicket,
  ResolveTicket,
  TicketCommand,
} from './ticket.commands';
import { assertNever, type TicketEvent } from './ticket.events';
import {
  evolve,
  initialTicketState,
  isActive,
  type Ticket,
  type TicketState,
} from './ticket.state';
import { nextTier, tierRank } from './ticket.values';

export interface TicketDeciderOptions {
  priorityRules?: PriorityRules;
}

/** What a decision may depend on besides the command and the ticket. */
export interface DecisionContext {
  /** The policy in force: a ticket opened now is measured by it. */
  slaPolicy: VersionedSlaPolicy;
  /** Whether the customer a ticket is opened for has been erased: they take no new ticket. */
  customerErased?: boolean;
}

const DEFAULT_CONTEXT: DecisionContext = { slaPolicy: DEFAULT_SLA_POLICY };

export interface TicketDecider {
  decide(command: TicketCommand, state: TicketState, context?: DecisionContext): TicketEvent[];
  evolve: typeof evolve;
  initialState: typeof initialTicketState;
}

function open(
  command: OpenTicket,
  state: TicketState,
  rules: PriorityRules,
  context: DecisionContext,
) {
  if (state) {
    throw ruleBroken(
      RULE_CODES.ticketAlreadyExists,
      `Ticket ${echoed(command.data.ticketId)} already exists`,
    );
  }
  if (context.customerErased) {
    throw ruleBroken(
      RULE_CODES.customerErased,
      `Customer ${echoed(command.data.customer.id)} was erased: open the ticket under a new customer id`,
    );
  }
  const { ticketId, subject, channel, category } = command.data;
  const description = command.data.description ?? '';
  const customer = { ...command.data.customer, tier: command.data.customer.tier ?? 'standard' };
  const priority = derivePriority(
    { explicit: command.data.priority, subject, description, channel, customerTier: customer.tier },
    rules,
  );
  return [
    {
      type: 'TicketOpened',
      data: {
        ticketId,
        subject,
        description,
        channel,
        customer,
        category,
        ...priority,
        tier: 'L1',
        sla: slaTermsFor(context.slaPolicy, priority.priority),
      },
    },
  ] satisfies TicketEvent[];
}

function mustNotBeClosed(ticket: Ticket): void {
  if (ticket.status === 'closed') {
    throw ruleBroken(RULE_CODES.ticketClosed, 'A closed ticket can only be reopened or rated');
  }
}

function mustNotBeResolvedOrClosed(ticket: Ticket): void {
  mustNotBeClosed(ticket);
  if (ticket.status === 'resolved') {
    throw ruleBroken(RULE_CODES.reopenRequired, 'A resolved ticket must be reopened first');
  }
}

function assign(command: AssignTicket, ticket: Ticket): TicketEvent[] {
  mustNotBeResolvedOrClosed(ticket);
  if (ticket.assigneeId === command.data.agentId) return [];
  return [
    {
      type: 'TicketAssigned',
      data: { agentId: command.data.agentId, tier: ticket.tier, auto: false },
    },
  ];
}

/** Nothing when the ticket is no longer waiting unassigned in the tier the assigner saw. */
function autoAssign(command: AutoAssignTicket, ticket: Ticket): TicketEvent[] {
  const { agentId, tier } = command.data;
  if (!isActive(ticket) || ticket.assigneeId !== null || ticket.tier !== tier) return [];
  return [{ type: 'TicketAssigned', data: { agentId, tier, auto: true } }];
}

/**
 * The warnings and breaches due at `now`, once each per target. A resolution
 * warning or breach also moves the ticket one tier up, before it breaches or
 * to recover, unless it is at the top already or a person escalated it since
 * the previous resolution mark (the opening, for the warning).
 */
function checkSla(command: CheckSla, ticket: Ticket): TicketEvent[] {
  if (!ticket.sla || !isActive(ticket)) return [];
  const { sla } = ticket;
  const events: TicketEvent[] = [];
  for (const due of dueSlaMarks(sla, command.data.now)) {
    const clock = due.target === 'first_response' ? sla.firstResponse : sla.resolution;
    const { policyVersion } = sla;
    events.push(
      due.mark === 'warning'
        ? {
            type: 'SlaWarning',
            data: { target: due.target, warnAt: clock.warnAt, dueAt: clock.dueAt, policyVersion },
          }
        : { type: 'SlaBreached', data: { target: due.target, dueAt: clock.dueAt, policyVersion } },
    );
  }
  const resolutionMark = events.find(
    (event) =>
      event.type !== 'TicketEscalated' &&
      'target' in event.data &&
      event.data.target === 'resolution',
  );
  const above = nextTier(ticket.tier);
  const previousMark = sla.resolution.warnedAt ?? ticket.openedAt;
  const escalatedByPerson =
    ticket.lastManualEscalationAt !== null && ticket.lastManualEscalationAt >= previousMark;
  if (resolutionMark && above && !escalatedByPerson) {
    const breach = events.some(
      (event) => event.type === 'SlaBreached' && event.data.target === 'resolution',
    );
    events.push({
      type: 'TicketEscalated',
      data: {
        fromTier: ticket.tier,
        toTier: above,
        reason: 'sla_breach',
        note: breach
          ? `Resolution target passed (due ${sla.resolution.dueAt})`
          : `Resolution target ${Math.round(sla.warnAt * 100)} % elapsed (due ${sla.resolution.dueAt})`,
        auto: true,
      },
    });
  }
  return events;
}

function escalate(command: EscalateTicket, ticket: Ticket): TicketEvent[] {
  mustNotBeResolvedOrClosed(ticket);
  const above = nextTier(ticket.tier);
  if (!above) {
    throw ruleBroken(RULE_CODES.alreadyAtTopTier, `The ticket is already at ${ticket.tier}`);
  }
  const toTier = command.data.toTier ?? above;
  if (tierRank(toTier) <= tierRank(ticket.tier)) {
    throw ruleBroken(
      RULE_CODES.escalationNotUpward,
      `Escalation goes upward: ${ticket.tier} cannot escalate to ${toTier}`,
    );
  }
  const { reason, note } = command.data;
  return [
    { type: 'TicketEscalated', data: { fromTier: ticket.tier, toTier, reason, note, auto: false } },
  ];
}

function resolve(command: ResolveTicket, ticket: Ticket): TicketEvent[] {
  mustNotBeClosed(ticket);
  if (ticket.status === 'resolved') {
    throw ruleBroken(RULE_CODES.alreadyResolved, 'The ticket is already resolved');
  }
  const { resolution, rootCause, escalationNecessary } = command.data;
  return [
    {
      type: 'TicketResolved',
      data: {
        resolution,
        resolvedTier: ticket.tier,
        ...(rootCause !== undefined && { rootCause }),
        ...(escalationNecessary !== undefined && { escalationNecessary }),
      },
    },
  ];
}

function recordFeedback(command: RecordFeedback, ticket: Ticket): TicketEvent[] {
  const { score, comment } = command.data;
  if (!Number.isInteger(score) || score < 1 || score > 5) {
    throw new DomainError(RULE_CODES.invalidScore, 'A feedback score is an integer from 1 to 5');
  }
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    throw ruleBroken(RULE_CODES.notResolved, 'Feedback is taken on resolved or closed tickets');
  }
  if (ticket.csat !== null) {
    throw ruleBroken(RULE_CODES.feedbackAlreadyReceived, 'This ticket has feedback already');
  }
  return [{ type: 'FeedbackReceived', data: { score, ...(comment !== undefined && { comment }) } }];
}

function changeStatus(command: ChangeTicketStatus, ticket: Ticket): TicketEvent[] {
  mustNotBeResolvedOrClosed(ticket);
  if (ticket.status === command.data.status) return [];
  return [{ type: 'TicketStatusChanged', data: { from: ticket.status, to: command.data.status } }];
}

/**
 * What one ticket's notes may add up to: at 10,000 characters a note, about
 * 10 MB in its history. A count rather than a rate, so the rule needs no clock
 * and a burst of notes is never refused before the limit.
 */
export const MAX_NOTES_PER_TICKET = 1000;

function addNote(command: AddTicketNote, ticket: Ticket): TicketEvent[] {
  mustNotBeClosed(ticket);
  if (ticket.noteCount >= MAX_NOTES_PER_TICKET) {
    throw ruleBroken(
      RULE_CODES.noteLimitReached,
      `A ticket takes at most ${MAX_NOTES_PER_TICKET} notes`,
    );
  }
  return [{ type: 'TicketNoteAdded', data: { body: command.data.body } }];
}

function reopen(command: ReopenTicket, ticket: Ticket): TicketEvent[] {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') {
    throw ruleBroken(RULE_CODES.notReopenable, 'Only a resolved or closed ticket can be reopened');
  }
  return [{ type: 'TicketReopened', data: { reason: command.data.reason } }];
}

function close(command: CloseTicket, ticket: Ticket): TicketEvent[] {
  mustNotBeClosed(ticket);
  const { reason } = command.data;
  return [{ type: 'TicketClosed', data: reason !== undefined ? { reason } : {} }];
}

/**
 * The ticket's rules as pure functions. `decide` answers with the events the
 * command causes (none when it changes nothing) or throws a DomainError.
 */
export function createTicketDecider(options: TicketDeciderOptions = {}): TicketDecider {
  const rules = options.priorityRules ?? DEFAULT_PRIORITY_RULES;
  function decide(
    command: TicketCommand,
    state: TicketState,
    context: DecisionContext = DEFAULT_CONTEXT,
  ): TicketEvent[] {
    if (command.type === 'OpenTicket') return open(command, state, rules, context);
    if (!state) throw new TicketNotFoundError();
    switch (command.type) {
      case 'AssignTicket':
        return assign(command, state);
      case 'AutoAssignTicket':
        return autoAssign(command, state);
      case 'CheckSla':
        return checkSla(command, state);
      case 'EscalateTicket':
        return escalate(command, state);
      case 'ResolveTicket':
        return resolve(command, state);
      case 'RecordFeedback':
        return recordFeedback(command, state);
      case 'ChangeTicketStatus':
        return changeStatus(command, state);
      case 'AddTicketNote':
        return addNote(command, state);
      case 'ReopenTicket':
        return reopen(command, state);
      case 'CloseTicket':
        return close(command, state);
      default:
        return assertNever(command);
    }
  }
  return { decide, evolve, initialState: initialTicketState };
}

/**
 * A broken business rule. `code` is stable and part of the HTTP contract;
 * the message is for people and may change.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** What a command names does not exist (404 rather than 409). */
export class NotFoundError extends DomainError {}

export class TicketNotFoundError extends NotFoundError {
  constructor() {
    super('TICKET_NOT_FOUND', 'No ticket has this id');
  }
}

export class AgentNotFoundError extends NotFoundError {
  constructor() {
    super('AGENT_NOT_FOUND', 'No agent has this id');
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Input well-formed but meaningless (an unknown time zone, hours that close before they open): a 400. */
export class InvalidInputError extends DomainError {
  constructor(readonly problems: readonly FieldProblem[]) {
    super('VALIDATION_FAILED', problems.map((problem) => problem.message).join('; '));
  }
}

export const RULE_CODES = {
  ticketAlreadyExists: 'TICKET_ALREADY_EXISTS',
  ticketClosed: 'TICKET_CLOSED',
  reopenRequired: 'REOPEN_REQUIRED',
  alreadyAtTopTier: 'ALREADY_AT_TOP_TIER',
  escalationNotUpward: 'ESCALATION_NOT_UPWARD',
  alreadyResolved: 'TICKET_ALREADY_RESOLVED',
  notResolved: 'TICKET_NOT_RESOLVED',
  feedbackAlreadyReceived: 'FEEDBACK_ALREADY_RECEIVED',
  notReopenable: 'TICKET_NOT_REOPENABLE',
  invalidScore: 'INVALID_FEEDBACK_SCORE',
  agentAlreadyExists: 'AGENT_ALREADY_EXISTS',
  noteLimitReached: 'NOTE_LIMIT_REACHED',
  customerErased: 'CUSTOMER_ERASED',
} as const;
export type RuleCode = (typeof RULE_CODES)[keyof typeof RULE_CODES];

export function ruleBroken(code: RuleCode, message: string): DomainError {
  return new DomainError(code, message);
}

import { DomainError, NotFoundError, TicketNotFoundError } from '../domain-errors';
import { echoed } from '../echoed-input';
import { assertNever } from '../ticket.events';
import {
  MAX_POST_MORTEM_ACTIONS,
  type ActionPlan,
  type ActionState,
  type Participant,
  type PostMortemCommand,
  type PostMortemContent,
  type PostMortemEvent,
} from './post-mortem.events';

export interface PostMortemAction extends ActionPlan {
  state: ActionState;
  plannedAt: string;
  /** When it was done or dropped. */
  closedAt: string | null;
  dropReason: string | null;
}

/** The post-mortem as last recorded, with its actions. */
export interface PostMortem extends PostMortemContent {
  recordedAt: string;
  amendedAt: string;
  /** In the order they were added. */
  actions: PostMortemAction[];
  version: number;
}

export type PostMortemState = PostMortem | null;

export type DatedPostMortemEvent = PostMortemEvent & { occurredAt: string };

/** What a post-mortem needs to know of its ticket, from the ticket's own stream; null if there is none. */
export type PostMortemTicket = {
  customerId: string;
  escalated: boolean;
  /** Resolved or closed: the customer is fine, the team can look back. */
  ended: boolean;
} | null;

export const POST_MORTEM_CODES = {
  notEscalated: 'TICKET_NOT_ESCALATED',
  notEnded: 'TICKET_NOT_RESOLVED',
  actionClosed: 'ACTION_CLOSED',
  actionLimitReached: 'ACTION_LIMIT_REACHED',
} as const;

export class PostMortemNotFoundError extends NotFoundError {
  constructor() {
    super('POST_MORTEM_NOT_FOUND', 'This ticket has no post-mortem');
  }
}

export class ActionNotFoundError extends NotFoundError {
  constructor(actionId: string) {
    super('ACTION_NOT_FOUND', `The post-mortem has no action ${echoed(actionId)}`);
  }
}

/** `open` while an action is open; `complete` once every action is done or dropped. */
export function postMortemStatus(postMortem: PostMortem): 'open' | 'complete' {
  return postMortem.actions.some((action) => action.state === 'open') ? 'open' : 'complete';
}

function withAction(
  postMortem: PostMortem,
  actionId: string,
  change: (action: PostMortemAction) => PostMortemAction,
): PostMortemAction[] {
  return postMortem.actions.map((action) =>
    action.actionId === actionId ? change(action) : action,
  );
}

export function evolvePostMortem(
  state: PostMortemState,
  event: DatedPostMortemEvent,
): PostMortemState {
  const at = event.occurredAt;
  if (event.type === 'PostMortemRecorded') {
    return {
      ...event.data,
      recordedAt: state?.recordedAt ?? at,
      amendedAt: at,
      actions: state?.actions ?? [],
      version: (state?.version ?? 0) + 1,
    };
  }
  if (!state) return state;
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'PostMortemActionPlanned': {
      const known = state.actions.some((action) => action.actionId === event.data.actionId);
      return {
        ...next,
        actions: known
          ? withAction(state, event.data.actionId, (action) => ({ ...action, ...event.data }))
          : [
              ...state.actions,
              { ...event.data, state: 'open', plannedAt: at, closedAt: null, dropReason: null },
            ],
      };
    }
    case 'PostMortemActionDone':
      return {
        ...next,
        actions: withAction(state, event.data.actionId, (action) => ({
          ...action,
          state: 'done',
          closedAt: at,
        })),
      };
    case 'PostMortemActionDropped':
      return {
        ...next,
        actions: withAction(state, event.data.actionId, (action) => ({
          ...action,
          state: 'dropped',
          closedAt: at,
          dropReason: event.data.reason,
        })),
      };
    default:
      return assertNever(event);
  }
}

function openAction(state: PostMortemState, actionId: string): PostMortemAction {
  if (!state) throw new PostMortemNotFoundError();
  const action = state.actions.find((candidate) => candidate.actionId === actionId);
  if (!action) throw new ActionNotFoundError(actionId);
  return action;
}

function actionClosed(action: PostMortemAction): DomainError {
  return new DomainError(
    POST_MORTEM_CODES.actionClosed,
    `Action ${echoed(action.actionId)} is already ${action.state}`,
  );
}

const samePlan = (a: ActionPlan, b: ActionPlan) =>
  a.kind === b.kind &&
  a.description === b.description &&
  a.owner === b.owner &&
  a.dueDate === b.dueDate;

const sameParticipants = (a: readonly Participant[], b: readonly Participant[]) =>
  a.length === b.length &&
  a.every((one, index) => one.agentId === b[index]?.agentId && one.role === b[index]?.role);

/**
 * Actions are numbered `a1`, `a2`… in the order they are added: the same
 * history always names them the same, and a name is never reused.
 */
function recordPostMortem(
  command: Extract<PostMortemCommand, { type: 'RecordPostMortem' }>,
  state: PostMortemState,
  ticket: PostMortemTicket | undefined,
): PostMortemEvent[] {
  if (!ticket) throw new TicketNotFoundError();
  if (!ticket.escalated) {
    throw new DomainError(
      POST_MORTEM_CODES.notEscalated,
      'Only an escalated ticket has a post-mortem',
    );
  }
  if (!ticket.ended) {
    throw new DomainError(
      POST_MORTEM_CODES.notEnded,
      'A post-mortem is written once the ticket is resolved or closed',
    );
  }
  const { actions, ...written } = command.data;
  const recorded = { ...written, customerId: ticket.customerId };
  const events: PostMortemEvent[] = [];
  const unchanged =
    state !== null &&
    state.rootCause === recorded.rootCause &&
    state.wentWell === recorded.wentWell &&
    state.toImprove === recorded.toImprove &&
    sameParticipants(state.participants, recorded.participants);
  if (!unchanged) events.push({ type: 'PostMortemRecorded', data: recorded });
  let added = state?.actions.length ?? 0;
  for (const { actionId, ...plan } of actions) {
    if (actionId === undefined) {
      // The same action sent again (the whole post-mortem is sent each time) is the one already there.
      if (state?.actions.some((action) => samePlan(action, { actionId: action.actionId, ...plan })))
        continue;
      added++;
      events.push({ type: 'PostMortemActionPlanned', data: { actionId: `a${added}`, ...plan } });
      continue;
    }
    const action = openAction(state, actionId);
    if (samePlan(action, { actionId, ...plan })) continue;
    if (action.state !== 'open') throw actionClosed(action);
    events.push({ type: 'PostMortemActionPlanned', data: { actionId, ...plan } });
  }
  if (added > MAX_POST_MORTEM_ACTIONS) {
    throw new DomainError(
      POST_MORTEM_CODES.actionLimitReached,
      `A post-mortem holds at most ${MAX_POST_MORTEM_ACTIONS} actions`,
    );
  }
  return events;
}

/** Sending again what is already so records nothing; a done action is not dropped, nor a dropped one done. */
export function decidePostMortem(
  command: PostMortemCommand,
  state: PostMortemState,
  ticket?: PostMortemTicket,
): PostMortemEvent[] {
  switch (command.type) {
    case 'RecordPostMortem':
      return recordPostMortem(command, state, ticket);
    case 'CompletePostMortemAction': {
      const action = openAction(state, command.data.actionId);
      if (action.state === 'done') return [];
      if (action.state === 'dropped') throw actionClosed(action);
      return [{ type: 'PostMortemActionDone', data: { ...command.data } }];
    }
    case 'DropPostMortemAction': {
      const action = openAction(state, command.data.actionId);
      if (action.state === 'dropped' && action.dropReason === command.data.reason) return [];
      if (action.state !== 'open') throw actionClosed(action);
      return [{ type: 'PostMortemActionDropped', data: { ...command.data } }];
    }
    default:
      return assertNever(command);
  }
}

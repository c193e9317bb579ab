/** What an action out of a post-mortem changes: the kinds of concrete work escalation reviews end in. */
export const ACTION_KINDS = [
  'concession',
  'training',
  'documentation',
  'process',
  'product',
] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const ACTION_STATES = ['open', 'done', 'dropped'] as const;
export type ActionState = (typeof ACTION_STATES)[number];

/** The same short code a resolution records: 1 to 64 lower-case letters, digits, dots, dashes, underscores. */
export const ROOT_CAUSE_CODE = /^[a-z0-9._-]{1,64}$/;

/** A calendar date, `YYYY-MM-DD` (UTC): an action's due date. */
export const DUE_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** At most this many actions per post-mortem, dropped ones included. */
export const MAX_POST_MORTEM_ACTIONS = 100;

export interface Participant {
  agentId: string;
  /** Free text: what they did in the escalation. */
  role: string;
}

export interface ActionPlan {
  actionId: string;
  kind: ActionKind;
  description: string;
  /** Who sees it through: an agent id or a team's id. */
  owner: string;
  dueDate: string;
}

/** What a post-mortem says, as written: the whole of it each time. */
export interface PostMortemContent {
  ticketId: string;
  /** The ticket's customer: whose key the free text is sealed with. */
  customerId: string;
  participants: Participant[];
  rootCause: string;
  wentWell: string;
  toImprove: string;
}

/** The post-mortem as written, first or amended. */
export type PostMortemRecorded = { type: 'PostMortemRecorded'; data: PostMortemContent };

/** An action added, or an open one changed. */
export type PostMortemActionPlanned = { type: 'PostMortemActionPlanned'; data: ActionPlan };

export type PostMortemActionDone = { type: 'PostMortemActionDone'; data: { actionId: string } };

export type PostMortemActionDropped = {
  type: 'PostMortemActionDropped';
  data: { actionId: string; reason: string };
};

export type PostMortemEvent =
  PostMortemRecorded | PostMortemActionPlanned | PostMortemActionDone | PostMortemActionDropped;

export type PostMortemEventType = PostMortemEvent['type'];

export const POST_MORTEM_EVENT_TYPES: readonly PostMortemEventType[] = [
  'PostMortemRecorded',
  'PostMortemActionPlanned',
  'PostMortemActionDone',
  'PostMortemActionDropped',
];

/**
 * A stream of its own beside the ticket's: the ticket's stream stays the
 * customer's case (its version is the ticket's If-Match, its snapshot stays
 * small), and a post-mortem written weeks later neither conflicts with nor
 * is conflicted by a reopen.
 */
export const POST_MORTEM_STREAM_PREFIX = 'post-mortem-';

export function postMortemStreamId(ticketId: string): string {
  return `${POST_MORTEM_STREAM_PREFIX}${ticketId}`;
}

/** An action as written in a command: without an id it is new, with one it changes that open action. */
export type ActionDraft = Omit<ActionPlan, 'actionId'> & { actionId?: string };

export type RecordPostMortem = {
  type: 'RecordPostMortem';
  data: {
    ticketId: string;
    participants: Participant[];
    rootCause: string;
    wentWell: string;
    toImprove: string;
    actions: ActionDraft[];
  };
};

export type CompletePostMortemAction = {
  type: 'CompletePostMortemAction';
  data: { actionId: string };
};

export type DropPostMortemAction = {
  type: 'DropPostMortemAction';
  data: { actionId: string; reason: string };
};

export type PostMortemCommand = RecordPostMortem | CompletePostMortemAction | DropPostMortemAction;

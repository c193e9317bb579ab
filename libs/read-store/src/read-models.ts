import type {
  ActionKind,
  ActionState,
  Agent,
  Priority,
  SlaMark,
  SlaTarget,
  Status,
  Tier,
  Ticket,
} from '@ledger/domain';

export const PROJECTION_NAMES = [
  'ticket-view',
  'queues',
  'tier-workload',
  'escalation-kpis',
  'agents',
  'alerts',
  'post-mortems',
] as const;
export type ProjectionName = (typeof PROJECTION_NAMES)[number];

export function isProjectionName(value: string): value is ProjectionName {
  return (PROJECTION_NAMES as readonly string[]).includes(value);
}

/** The document of `ticket-view` and of `queues`: the folded ticket. */
export type TicketDocument = Ticket;

/** The read models whose documents are tickets, found by their customer when one is erased. */
export const TICKET_READ_MODELS = ['ticket-view', 'queues'] as const;
export type TicketReadModel = (typeof TICKET_READ_MODELS)[number];

export function isTicketReadModel(name: ProjectionName): name is TicketReadModel {
  return (TICKET_READ_MODELS as readonly string[]).includes(name);
}

/** The document of `tier-workload`: where a ticket weighs, kept after it ends so a reopen finds it. */
export interface WorkloadDocument {
  ticketId: string;
  tier: Tier;
  status: Status;
  assigneeId: string | null;
  openedAt: string;
}

// The KPI table's facts of one ticket are a domain rule, like the tallies over them.
import type { EscalationFacts } from '@ledger/domain';
export type { EscalationFacts, TierStay } from '@ledger/domain';

/** The document of `agents`: the agent as its stream folds it. */
export type AgentDocument = Agent;

/** The worst SLA mark a ticket has received, and when. */
export interface SlaAlertMark {
  mark: SlaMark;
  target: SlaTarget;
  at: string;
}

/** The document of `alerts`: what says whether a ticket is idle or late, kept after it ends so a reopen finds it. */
export interface AlertDocument {
  ticketId: string;
  priority: Priority;
  tier: Tier;
  status: Status;
  assigneeId: string | null;
  /** The latest event other than an SLA mark. */
  lastActivityAt: string;
  /** A breach outranks a warning; null before any mark. */
  sla: SlaAlertMark | null;
}

/** An action of a post-mortem without its free text. */
export interface PostMortemActionFacts {
  actionId: string;
  kind: ActionKind;
  owner: string;
  dueDate: string;
  state: ActionState;
  /** When it was done or dropped. */
  closedAt: string | null;
}

/** A ticket's post-mortem as the read side needs it: no free text, which stays in the log. */
export interface PostMortemFacts {
  rootCause: string;
  recordedAt: string;
  /** When its last open action was closed, or when it was recorded without one; null while one is open. */
  completedAt: string | null;
  actions: PostMortemActionFacts[];
}

/**
 * The document of `post-mortems`: what says whether an escalated ticket
 * needs a post-mortem, and where its post-mortem stands. Folded from the
 * ticket's stream and its post-mortem's stream, both under the ticket id.
 * Which triggers make one required is configuration, applied when asked.
 */
export interface PostMortemDocument extends Pick<
  EscalationFacts,
  | 'ticketId'
  | 'openedAt'
  | 'category'
  | 'channel'
  | 'priority'
  | 'tier'
  | 'firstAssigneeId'
  | 'currentAssigneeId'
  | 'assigneeAtFirstEscalation'
  | 'escalationCount'
> {
  lastEscalatedAt: string | null;
  reachedManagement: boolean;
  urgentBreach: boolean;
  /** When it was last resolved or closed; null while worked on. */
  endedAt: string | null;
  /** The root cause its last resolution recorded, if any. */
  resolutionRootCause: string | null;
  postMortem: PostMortemFacts | null;
}

export interface ReadModelDocuments {
  'ticket-view': TicketDocument;
  queues: TicketDocument;
  'tier-workload': WorkloadDocument;
  'escalation-kpis': EscalationFacts;
  agents: AgentDocument;
  alerts: AlertDocument;
  'post-mortems': PostMortemDocument;
}

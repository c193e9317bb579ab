import type {
  Channel,
  PostMortemTrigger,
  Priority,
  QueuePlace,
  Status,
  Tier,
} from '@ledger/domain';
import type { PostMortemCountsOfGroup, PostMortemState } from './post-mortem-facts';
import type { EscalationTallies, KpiGrouping } from '@ledger/domain';
import type {
  AgentDocument,
  AlertDocument,
  EscalationFacts,
  PostMortemDocument,
  ProjectionName,
  ReadModelDocuments,
  TicketDocument,
  TicketReadModel,
} from './read-models';

/** A document written (`doc`) or removed (`doc: null`) by a projection. */
export interface DocumentChange<Doc> {
  id: string;
  doc: Doc | null;
}

/** One copy of a read model. A rebuild fills a new generation while the active one serves. */
export interface GenerationInfo {
  name: ProjectionName;
  generation: number;
  /** The projection code's version that filled it; a mismatch on start means rebuild. */
  projectionVersion: number;
  /** The last log position applied, undefined before the first event. */
  position: string | undefined;
}

export interface ProjectionRegistration {
  name: ProjectionName;
  active: GenerationInfo | undefined;
  building: GenerationInfo | undefined;
}

/** Where a queue page starts: the place in the queue of the last item of the previous page. */
export type QueueKey = QueuePlace;

export interface QueueQuery {
  tier: Tier;
  status?: Status;
  priority?: Priority;
  assigned?: boolean;
  limit: number;
  after?: QueueKey;
}

/** Where a ticket search page starts: the sort key of the last ticket of the previous page. */
export interface TicketSearchKey {
  openedAt: string;
  ticketId: string;
}

/** The filters of a ticket search that a ticket's field must equal. */
export const TICKET_SEARCH_EQUALITIES = [
  'tier',
  'status',
  'priority',
  'category',
  'channel',
  'assigneeId',
  'customerId',
  'escalated',
] as const;
export type TicketSearchEquality = (typeof TICKET_SEARCH_EQUALITIES)[number];

/** Tickets meeting every filter given, newest opened first. */
export interface TicketSearch {
  tier?: Tier;
  status?: Status;
  priority?: Priority;
  category?: string;
  channel?: Channel;
  assigneeId?: string;
  customerId?: string;
  /** Opened at or after this ISO instant. */
  openedFrom?: string;
  /** Opened before this ISO instant. */
  openedTo?: string;
  /** Escalated at least once, or never. */
  escalated?: boolean;
  limit: number;
  after?: TicketSearchKey;
}

export interface AgentWorkload {
  agentId: string;
  open: number;
}

export interface TierWorkload {
  tier: Tier;
  open: number;
  unassigned: number;
  pending: number;
  oldestOpenedAt: string | null;
  agents: AgentWorkload[];
}

export interface CohortRange {
  /** Inclusive ISO instant. */
  from?: string;
  /** Exclusive ISO instant. */
  to?: string;
}

/** Escalated tickets of the `post-mortems` read model meeting every filter given, by ticket id. */
export interface PostMortemSearch {
  state?: PostMortemState;
  /** Only tickets whose post-mortem is recorded: open or complete. */
  recorded?: boolean;
  /** Only tickets one of these triggers makes required; absent, required or not. */
  requiredBy?: readonly PostMortemTrigger[];
  /** Only tickets resolved or closed. */
  ended?: boolean;
  /** Opened at or after this ISO instant. */
  openedFrom?: string;
  /** Opened before this ISO instant. */
  openedTo?: string;
  limit: number;
  /** The ticket id the previous page ended with. */
  after?: string;
}

/** Open actions of one ticket's post-mortem due on one date. */
export interface OverdueActions {
  doc: PostMortemDocument;
  dueDate: string;
}

/** A lease held: commits made under it fail once `holder` has lost it. */
export interface LeaseHold {
  lease: string;
  holder: string;
}

/** A write to a generation the read model does not have (discarded, or replaced by a rebuild). */
export class UnknownGenerationError extends Error {
  constructor(
    readonly readModel: ProjectionName,
    readonly generation: number,
  ) {
    super(`Read model ${readModel} has no generation ${generation}`);
    this.name = 'UnknownGenerationError';
  }
}

/** A write under a lease that another holder has taken (this one let it expire). */
export class LeaseLostError extends Error {
  constructor(readonly hold: LeaseHold) {
    super(`${hold.holder} no longer holds the lease ${hold.lease}`);
    this.name = 'LeaseLostError';
  }
}

/**
 * What the projections write: generations of each read model, their
 * documents, and the checkpoint committed with them.
 */
export interface ProjectionStore {
  registration(name: ProjectionName): Promise<ProjectionRegistration>;
  /** Creates an empty generation, registered as building. */
  createGeneration(name: ProjectionName, projectionVersion: number): Promise<GenerationInfo>;
  /**
   * Makes `generation` the active one in one atomic step; the old one is
   * dropped. Queries see either the old or the new, never a mix.
   */
  activateGeneration(name: ProjectionName, generation: number, hold?: LeaseHold): Promise<void>;
  /** Drops a building generation that will not be activated. */
  discardGeneration(name: ProjectionName, generation: number): Promise<void>;

  loadDocuments<N extends ProjectionName>(
    name: N,
    generation: number,
    ids: readonly string[],
  ): Promise<Map<string, ReadModelDocuments[N]>>;
  /** The ids of a ticket read model's documents whose customer is `customerId`, as committed. */
  ticketIdsOfCustomer(
    name: TicketReadModel,
    generation: number,
    customerId: string,
  ): Promise<string[]>;
  /**
   * Applies the changes and moves the checkpoint to `position`, atomically;
   * with a `hold`, only while it is held (else LeaseLostError, nothing written).
   */
  commit<N extends ProjectionName>(
    name: N,
    generation: number,
    changes: readonly DocumentChange<ReadModelDocuments[N]>[],
    position: string,
    hold?: LeaseHold,
  ): Promise<void>;
}

/** Named leases, kept beside the read models: one holder at a time, for a while. */
export interface LeaseStore {
  /**
   * Takes the lease for `holder`, or renews it, for `ttlMs` from now; false
   * while another holder's lease runs. Projectors use one per read model, so
   * exactly one of them writes it.
   */
  claimLease(lease: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up, if `holder` holds it, so another may take it at once. */
  releaseLease(lease: string, holder: string): Promise<void>;
}

/** The ticket read models' questions (ticket view, queues). */
export interface TicketQueries {
  getTicket(ticketId: string): Promise<TicketDocument | undefined>;
  /** Unresolved, unclosed tickets of a tier in queue order: urgent first, VIP first, oldest first. */
  queue(query: QueueQuery): Promise<TicketDocument[]>;
  /**
   * Tickets of the ticket view meeting the search's filters, newest opened
   * first, then by ticket id (descending), at most `limit`, after `after`.
   */
  searchTickets(search: TicketSearch): Promise<TicketDocument[]>;
}

/** Who carries what: the tiers' and the agents' loads. */
export interface WorkloadQueries {
  workloads(): Promise<TierWorkload[]>;
  /** Every registered agent, lowest tier first, then by id. */
  agents(): Promise<AgentDocument[]>;
  /** Per agent asked about, the tickets assigned to them that are still worked on, oldest first. */
  openTicketsByAgent(agentIds: readonly string[]): Promise<Map<string, string[]>>;
}

/** What the escalation KPIs are computed from. */
export interface KpiQueries {
  /** The escalation facts of tickets opened in [from, to). */
  escalationFacts(range: CohortRange): Promise<EscalationFacts[]>;
  /**
   * What the escalation KPIs are computed from, over the tickets opened in
   * [from, to): in total, and per group when a grouping is asked. Equal to
   * `tallyEscalations` of `escalationFacts(range)`, without reading each ticket.
   */
  escalationTallies(range: CohortRange, grouping?: KpiGrouping): Promise<EscalationTallies>;
}

/** The alerts read model's questions. */
export interface AlertQueries {
  /**
   * Tickets still worked on, of `priority`, whose last activity is before
   * `before`: the most recently active first, at most `limit`.
   */
  idleTickets(priority: Priority, before: string, limit: number): Promise<AlertDocument[]>;
  /** Tickets still worked on that received an SLA warning or breach, latest mark first, at most `limit`. */
  slaAlerts(limit: number): Promise<AlertDocument[]>;
}

/** The post-mortems read model's questions. */
export interface PostMortemQueries {
  /** Escalated tickets meeting the search, by ticket id, at most `limit`, after `after`. */
  postMortems(search: PostMortemSearch): Promise<PostMortemDocument[]>;
  /**
   * Tickets `requiredBy` makes need a post-mortem, without one, ended at or
   * before `endedBy`: the latest ended first, at most `limit`.
   */
  missingPostMortems(
    requiredBy: readonly PostMortemTrigger[],
    endedBy: string,
    limit: number,
  ): Promise<PostMortemDocument[]>;
  /**
   * Per ticket and due date before `dueBefore` (`YYYY-MM-DD`), the post-mortems
   * with open actions due then: the latest due first, at most `limit`.
   */
  overdueActions(dueBefore: string, limit: number): Promise<OverdueActions[]>;
  /** Per root cause, the earliest completion of a complete post-mortem naming it. */
  postMortemCompletions(): Promise<Map<string, string>>;
  /**
   * The counts of `addToPostMortemCounts` over the escalated tickets opened
   * in `range`, one per group of `grouping` that has any (one, key null,
   * without a grouping).
   */
  postMortemCounts(
    range: CohortRange,
    grouping: KpiGrouping | undefined,
    requiredBy: readonly PostMortemTrigger[],
  ): Promise<PostMortemCountsOfGroup[]>;
}

/** Secrets kept with the read models, shared by every process that uses them. */
export interface SecretStore {
  /**
   * A random value made on first use and kept with the read models, so every
   * process sharing them gets the same one: the key that signs queue cursors.
   */
  secret(name: string): Promise<string>;
}

/** The questions the read models answer, from each one's active generation. */
export interface ReadModelQueries
  extends TicketQueries, WorkloadQueries, KpiQueries, AlertQueries, PostMortemQueries {}

/**
 * The read models' storage, as one adapter (SQLite, MongoDB) provides it:
 * writes go to a named generation (the projections), reads answer from the
 * active one (the queries). Code that needs one concern asks for its part.
 */
export interface ReadStore extends ProjectionStore, LeaseStore, ReadModelQueries, SecretStore {
  close(): Promise<void>;
}

export const READ_STORE = Symbol('READ_STORE');

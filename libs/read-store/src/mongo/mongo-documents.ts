import { priorityRank, tierRank } from '@ledger/domain';
import {
  escalationToResolutionMs,
  groupKey,
  KPI_GROUPINGS,
  ticketShare,
  type EscalationTally,
  type KpiGrouping,
} from '../escalation-tallies';
import {
  isWorkedOn,
  type AgentDocument,
  type AlertDocument,
  type EscalationFacts,
  type ProjectionName,
  type ReadModelDocuments,
  type TicketDocument,
  type WorkloadDocument,
} from '../read-models';

/** A read model's document as stored: the document itself, and the fields its queries use. */
export interface StoredDocument {
  _id: string;
  doc: unknown;
  [field: string]: unknown;
}

/** One ticket's share of the escalation tallies, without the list of durations. */
export type TallyShare = Omit<EscalationTally, 'escalationToResolutionMs'>;

export interface StoredFacts extends StoredDocument {
  doc: EscalationFacts;
  openedAt: string;
  /** The ticket's key under each KPI grouping. */
  keys: Record<KpiGrouping, string>;
  share: TallyShare;
  toResolutionMs: number | null;
}

interface ReadModelCollection<Doc> {
  stem: string;
  /** Index key specifications, with the filter of a partial index where only some documents count. */
  indexes: { key: Record<string, 1 | -1>; partial?: Record<string, unknown> }[];
  encode(id: string, doc: Doc): StoredDocument;
}

/** The ticket's share of a tally (`ticketShare`): a pipeline's sums of shares count what any store counts. */
function shareOf(facts: EscalationFacts): TallyShare {
  const share: Partial<EscalationTally> = ticketShare(facts);
  delete share.escalationToResolutionMs;
  return share as TallyShare;
}

const COLLECTIONS: { [N in ProjectionName]: ReadModelCollection<ReadModelDocuments[N]> } = {
  'ticket-view': {
    stem: 'ticket_view',
    indexes: [{ key: { 'doc.customer.id': 1 } }],
    encode: (id, doc: TicketDocument) => ({ _id: id, doc }),
  },
  queues: {
    stem: 'queues',
    indexes: [
      {
        key: { tier: 1, priorityRank: 1, vipRank: 1, openedAt: 1, _id: 1 },
        partial: { active: true },
      },
      { key: { 'doc.customer.id': 1 } },
    ],
    encode: (id, ticket: TicketDocument) => ({
      _id: id,
      doc: ticket,
      tier: ticket.tier,
      active: isWorkedOn(ticket.status),
      status: ticket.status,
      priorityRank: priorityRank(ticket.priority),
      vipRank: ticket.customer.tier === 'vip' ? 0 : 1,
      openedAt: ticket.openedAt,
      assigneeId: ticket.assigneeId,
    }),
  },
  'tier-workload': {
    stem: 'tier_workload',
    indexes: [{ key: { tier: 1, assigneeId: 1 }, partial: { active: true } }],
    encode: (id, workload: WorkloadDocument) => ({
      _id: id,
      doc: workload,
      tier: workload.tier,
      active: isWorkedOn(workload.status),
      status: workload.status,
      assigneeId: workload.assigneeId,
      openedAt: workload.openedAt,
    }),
  },
  'escalation-kpis': {
    stem: 'escalation_kpis',
    indexes: [{ key: { openedAt: 1 } }],
    encode: (id, facts: EscalationFacts): StoredFacts => ({
      _id: id,
      doc: facts,
      openedAt: facts.openedAt,
      keys: Object.fromEntries(
        KPI_GROUPINGS.map((grouping) => [grouping, groupKey(facts, grouping)]),
      ) as Record<KpiGrouping, string>,
      share: shareOf(facts),
      toResolutionMs: escalationToResolutionMs(facts),
    }),
  },
  agents: {
    stem: 'agents',
    indexes: [],
    encode: (id, agent: AgentDocument) => ({ _id: id, doc: agent, tierRank: tierRank(agent.tier) }),
  },
  alerts: {
    stem: 'alerts',
    indexes: [
      { key: { priority: 1, lastActivityAt: -1 }, partial: { active: true } },
      // Only marked tickets carry `slaAt` (undefined fields are not stored).
      { key: { slaAt: -1 }, partial: { active: true, slaAt: { $exists: true } } },
    ],
    encode: (id, alert: AlertDocument) => ({
      _id: id,
      doc: alert,
      active: isWorkedOn(alert.status),
      priority: alert.priority,
      lastActivityAt: alert.lastActivityAt,
      slaAt: alert.sla?.at,
    }),
  },
};

export function collectionName(name: ProjectionName, generation: number): string {
  return `rm_${COLLECTIONS[name].stem}_g${generation}`;
}

/** The generation a collection of `name` holds, or undefined if it is not one of its collections. */
export function generationOfCollection(
  name: ProjectionName,
  collection: string,
): number | undefined {
  const match = new RegExp(`^rm_${COLLECTIONS[name].stem}_g(\\d+)$`).exec(collection);
  return match ? Number(match[1]) : undefined;
}

export function indexesOf(name: ProjectionName): ReadModelCollection<unknown>['indexes'] {
  return COLLECTIONS[name].indexes;
}

export function encodeDocument<N extends ProjectionName>(
  name: N,
  id: string,
  doc: ReadModelDocuments[N],
): StoredDocument {
  return (COLLECTIONS[name] as ReadModelCollection<ReadModelDocuments[N]>).encode(id, doc);
}

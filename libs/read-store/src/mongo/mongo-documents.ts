import { isWorkedOn, queuePlaceOf, queueSortKey, tierRank, triggersOf } from '@ledger/domain';
import {
  escalationToResolutionMs,
  groupKey,
  KPI_GROUPINGS,
  rootCauseShare,
  ticketShare,
  type EscalationTally,
  type KpiGrouping,
} from '@ledger/domain';
import {
  type AgentDocument,
  type AlertDocument,
  type EscalationFacts,
  type PostMortemDocument,
  type ProjectionName,
  type ReadModelDocuments,
  type TicketDocument,
  type WorkloadDocument,
} from '../read-models';
import { openDueDates, postMortemStateOf, rootCauseOf } from '../post-mortem-facts';

/** A read model's document as stored: the document itself, and the fields its queries use. */
export interface StoredDocument {
  _id: string;
  doc: unknown;
  [field: string]: unknown;
}

/** One ticket's share of the escalation tallies: its numbers, without durations or root causes. */
export type TallyShare = Omit<
  EscalationTally,
  'escalationToResolutionMs' | 'escalationsByRootCause'
>;

export interface StoredFacts extends StoredDocument {
  doc: EscalationFacts;
  openedAt: string;
  /** The ticket's key under each KPI grouping. */
  keys: Record<KpiGrouping, string>;
  share: TallyShare;
  toResolutionMs: number | null;
  /** What the ticket adds under its root cause, if anything. */
  rootCause: { rootCause: string; escalations: number } | null;
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
  delete share.escalationsByRootCause;
  return share as TallyShare;
}

const COLLECTIONS: { [N in ProjectionName]: ReadModelCollection<ReadModelDocuments[N]> } = {
  'ticket-view': {
    stem: 'ticket_view',
    // Searches walk the tickets newest first; a customer's or an agent's are few among many.
    indexes: [
      { key: { openedAt: -1, _id: -1 } },
      { key: { customerId: 1, openedAt: -1, _id: -1 } },
      { key: { assigneeId: 1, openedAt: -1, _id: -1 } },
      // An erased customer's tickets are found by it.
      { key: { 'doc.customer.id': 1 } },
    ],
    encode: (id, ticket: TicketDocument) => ({
      _id: id,
      doc: ticket,
      tier: ticket.tier,
      status: ticket.status,
      priority: ticket.priority,
      category: ticket.category,
      channel: ticket.channel,
      assigneeId: ticket.assigneeId,
      customerId: ticket.customer.id,
      openedAt: ticket.openedAt,
      escalated: ticket.escalationCount > 0,
    }),
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
    encode: (id, ticket: TicketDocument) => {
      const [priorityRank, vipRank, openedAt] = queueSortKey(queuePlaceOf(ticket));
      return {
        _id: id,
        doc: ticket,
        tier: ticket.tier,
        active: isWorkedOn(ticket.status),
        status: ticket.status,
        priorityRank,
        vipRank,
        openedAt,
        assigneeId: ticket.assigneeId,
      };
    },
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
      rootCause: rootCauseShare(facts),
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
  'post-mortems': {
    stem: 'post_mortems',
    indexes: [
      // Only escalated tickets are ever asked about: the others are many and never listed.
      { key: { state: 1, _id: 1 }, partial: { escalated: true } },
      { key: { openedAt: 1, _id: 1 }, partial: { escalated: true } },
      { key: { endedAt: -1 }, partial: { escalated: true, state: 'missing' } },
      { key: { openDues: -1 }, partial: { hasOpenActions: true } },
      { key: { rootCause: 1, completedAt: 1 }, partial: { state: 'complete' } },
    ],
    encode: (id, doc: PostMortemDocument) => {
      const openDues = openDueDates(doc);
      const triggers = triggersOf(doc);
      return {
        _id: id,
        doc,
        escalated: doc.escalationCount > 0,
        openedAt: doc.openedAt,
        // The triggers, one flag each: which ones make a post-mortem required is asked at query time.
        management: triggers.includes('management'),
        reEscalated: triggers.includes('re-escalated'),
        urgentBreach: triggers.includes('urgent-breach'),
        state: postMortemStateOf(doc),
        endedAt: doc.endedAt,
        openDues,
        hasOpenActions: openDues.length > 0,
        rootCause: rootCauseOf(doc),
        completedAt: doc.postMortem?.completedAt ?? null,
      };
    },
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

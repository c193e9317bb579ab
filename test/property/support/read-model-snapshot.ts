import {
  KPI_GROUPINGS,
  PRIORITIES,
  STATUSES,
  TIERS,
  type EscalationTallies,
  type Tier,
} from '@ledger/domain';
import type {
  AlertDocument,
  EscalationFacts,
  QueueQuery,
  ReadStore,
  TicketDocument,
  TierWorkload,
} from '@ledger/read-store';
import { inAnyOrder } from '../../support/escalation-facts';

/** Larger than any generated queue: one page holds it all. */
const WHOLE_QUEUE = 10_000;

export type QueueFilter = Omit<QueueQuery, 'tier' | 'limit' | 'after'>;

/** No filter, then each filter on its own. */
export const QUEUE_FILTERS: readonly QueueFilter[] = [
  {},
  ...STATUSES.map((status) => ({ status })),
  ...PRIORITIES.map((priority) => ({ priority })),
  { assigned: true },
  { assigned: false },
];

export function queueLabel(tier: Tier, filter: QueueFilter): string {
  return `${tier} ${JSON.stringify(filter)}`;
}

/** Everything the read side answers, asked through the port only. */
export interface ReadModelSnapshot {
  tickets: Record<string, TicketDocument | null>;
  queues: Record<string, TicketDocument[]>;
  workloads: TierWorkload[];
  escalationFacts: EscalationFacts[];
  /** The KPI tallies of the whole log, without a grouping and by each: what a store sums apart from the facts. */
  kpiTallies: Record<string, EscalationTallies>;
  /** Per priority, every ticket idle at all (last active before the far future), and every SLA-marked one. */
  alerts: { idle: Record<string, AlertDocument[]>; sla: AlertDocument[] };
}

const FAR_FUTURE = '9999-12-31T00:00:00.000Z';
const EVERY_ALERT = 10_000;

export async function snapshotReadModels(
  store: ReadStore,
  ticketIds: readonly string[],
): Promise<ReadModelSnapshot> {
  const tickets: ReadModelSnapshot['tickets'] = {};
  for (const id of ticketIds) tickets[id] = (await store.getTicket(id)) ?? null;
  const queues: ReadModelSnapshot['queues'] = {};
  for (const tier of TIERS) {
    for (const filter of QUEUE_FILTERS) {
      queues[queueLabel(tier, filter)] = await store.queue({
        tier,
        ...filter,
        limit: WHOLE_QUEUE,
      });
    }
  }
  return {
    tickets,
    queues,
    workloads: await store.workloads(),
    escalationFacts: await store.escalationFacts({}),
    kpiTallies: await snapshotTallies(store),
    alerts: await snapshotAlerts(store),
  };
}

async function snapshotTallies(store: ReadStore): Promise<ReadModelSnapshot['kpiTallies']> {
  const tallies: ReadModelSnapshot['kpiTallies'] = {};
  for (const grouping of [undefined, ...KPI_GROUPINGS]) {
    tallies[grouping ?? 'none'] = inAnyOrder(await store.escalationTallies({}, grouping));
  }
  return tallies;
}

async function snapshotAlerts(store: ReadStore): Promise<ReadModelSnapshot['alerts']> {
  const idle: Record<string, AlertDocument[]> = {};
  for (const priority of PRIORITIES) {
    idle[priority] = await store.idleTickets(priority, FAR_FUTURE, EVERY_ALERT);
  }
  return { idle, sla: await store.slaAlerts(EVERY_ALERT) };
}

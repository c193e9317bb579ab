import { isActive, PRIORITIES, TIERS, type Ticket } from '@ledger/domain';
import type { QueueQuery, TierWorkload } from '@ledger/read-store';

/**
 * What the queues and workloads should hold, worked out from the folded
 * tickets with plain array code, in the order the read-store port promises:
 * urgent first, VIP first, oldest first, then by ticket id; agents busiest
 * first, then by id.
 */
export function expectedQueue(
  tickets: readonly Ticket[],
  query: Omit<QueueQuery, 'limit' | 'after'>,
): Ticket[] {
  const key = (ticket: Ticket) => [
    PRIORITIES.indexOf(ticket.priority),
    ticket.customer.tier === 'vip' ? 0 : 1,
    ticket.openedAt,
    ticket.ticketId,
  ];
  return tickets
    .filter(
      (ticket) =>
        isActive(ticket) &&
        ticket.tier === query.tier &&
        (query.status === undefined || ticket.status === query.status) &&
        (query.priority === undefined || ticket.priority === query.priority) &&
        (query.assigned === undefined || (ticket.assigneeId !== null) === query.assigned),
    )
    .sort((a, b) => {
      const [left, right] = [key(a), key(b)];
      for (let i = 0; i < left.length; i++) {
        if (left[i] < right[i]) return -1;
        if (left[i] > right[i]) return 1;
      }
      return 0;
    });
}

export function expectedWorkloads(tickets: readonly Ticket[]): TierWorkload[] {
  return TIERS.map((tier) => {
    const open = tickets.filter((ticket) => isActive(ticket) && ticket.tier === tier);
    const perAgent = new Map<string, number>();
    for (const ticket of open) {
      if (ticket.assigneeId !== null) {
        perAgent.set(ticket.assigneeId, (perAgent.get(ticket.assigneeId) ?? 0) + 1);
      }
    }
    const openedAts = open.map((ticket) => ticket.openedAt).sort();
    return {
      tier,
      open: open.length,
      unassigned: open.filter((ticket) => ticket.assigneeId === null).length,
      pending: open.filter((ticket) => ticket.status === 'pending').length,
      oldestOpenedAt: openedAts[0] ?? null,
      agents: [...perAgent]
        .map(([agentId, count]) => ({ agentId, open: count }))
        .sort((a, b) => b.open - a.open || (a.agentId < b.agentId ? -1 : 1)),
    };
  });
}

import { isActive, PRIORITIES, TIERS, type Ticket } from '@ledger/domain';
import type { AlertDocument, QueueQuery, SlaAlertMark, TierWorkload } from '@ledger/read-store';
import { nth } from '../../support/elements';

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
        if (nth(left, i) < nth(right, i)) return -1;
        if (nth(left, i) > nth(right, i)) return 1;
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

/** The worst mark of a ticket: a breach over a warning, then the later; at the same instant, resolution's (it is recorded after). */
function worstMark(ticket: Ticket): SlaAlertMark | null {
  if (!ticket.sla) return null;
  const { firstResponse, resolution } = ticket.sla;
  const candidates: (SlaAlertMark & { rank: number })[] = [];
  const add = (
    rank: number,
    mark: SlaAlertMark['mark'],
    target: SlaAlertMark['target'],
    at: string | null,
  ) => {
    if (at !== null)
      candidates.push({ rank: rank * 2 + (target === 'resolution' ? 1 : 0), mark, target, at });
  };
  add(0, 'warning', 'first_response', firstResponse.warnedAt);
  add(0, 'warning', 'resolution', resolution.warnedAt);
  add(1, 'breach', 'first_response', firstResponse.breachedAt);
  add(1, 'breach', 'resolution', resolution.breachedAt);
  const byMarkThenTime = (a: (typeof candidates)[number], b: (typeof candidates)[number]) =>
    Math.floor(a.rank / 2) - Math.floor(b.rank / 2) ||
    (a.at < b.at ? -1 : a.at > b.at ? 1 : a.rank - b.rank);
  const worst = candidates.sort(byMarkThenTime).at(-1);
  return worst ? { mark: worst.mark, target: worst.target, at: worst.at } : null;
}

function alertOf(ticket: Ticket): AlertDocument {
  const { ticketId, priority, tier, status, assigneeId, lastActivityAt } = ticket;
  return { ticketId, priority, tier, status, assigneeId, lastActivityAt, sla: worstMark(ticket) };
}

const newestFirst =
  (at: (alert: AlertDocument) => string) => (a: AlertDocument, b: AlertDocument) =>
    at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : a.ticketId < b.ticketId ? -1 : 1;

/** The alert lists, from the domain's tickets: every active ticket counts as idle when asked about the far future. */
export function expectedAlerts(tickets: readonly Ticket[]): {
  idle: Record<string, AlertDocument[]>;
  sla: AlertDocument[];
} {
  const active = tickets.filter(isActive).map(alertOf);
  const idle: Record<string, AlertDocument[]> = {};
  for (const priority of PRIORITIES) {
    idle[priority] = active
      .filter((alert) => alert.priority === priority)
      .sort(newestFirst((alert) => alert.lastActivityAt));
  }
  const sla = active
    .filter((alert) => alert.sla !== null)
    .sort(newestFirst((alert) => alert.sla!.at));
  return { idle, sla };
}

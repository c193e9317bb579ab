import type { Ticket } from './ticket.state';
import { priorityRank, type Priority } from './ticket.values';

/**
 * Where a ticket stands in its tier's queue. The queue order is urgent
 * first, VIP first, oldest first, then by ticket id so that no two tie: every
 * queue follows it — the stores' queue pages (by `queueSortKey`, which their
 * indexes and page cursors are built on) and the assigner's picks (by
 * `compareQueuePlaces`).
 */
export interface QueuePlace {
  priority: Priority;
  vip: boolean;
  openedAt: string;
  ticketId: string;
}

export function queuePlaceOf(
  ticket: Pick<Ticket, 'priority' | 'customer' | 'openedAt' | 'ticketId'>,
): QueuePlace {
  return {
    priority: ticket.priority,
    vip: ticket.customer.tier === 'vip',
    openedAt: ticket.openedAt,
    ticketId: ticket.ticketId,
  };
}

/**
 * The place as the fields a store sorts by, each ascending, in this order.
 * Strings compare by code unit, as SQLite's and MongoDB's default
 * collations compare them for the ASCII instants and ids they hold.
 */
export function queueSortKey(place: QueuePlace): [number, number, string, string] {
  return [priorityRank(place.priority), place.vip ? 0 : 1, place.openedAt, place.ticketId];
}

export function compareQueuePlaces(a: QueuePlace, b: QueuePlace): number {
  const left = queueSortKey(a);
  const right = queueSortKey(b);
  for (let field = 0; field < left.length; field++) {
    if (left[field]! < right[field]!) return -1;
    if (left[field]! > right[field]!) return 1;
  }
  return 0;
}

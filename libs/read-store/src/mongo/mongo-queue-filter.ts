import { priorityRank } from '@ledger/domain';
import type { Document } from 'mongodb';
import type { QueueQuery } from '../read-store';

/** Queue order: urgent first, VIP first, oldest first, then by ticket id. */
export const QUEUE_ORDER = { priorityRank: 1, vipRank: 1, openedAt: 1, _id: 1 } as const;

/**
 * The documents of one queue page. `after` resumes past the previous page's
 * last key: greater on the first of the four sort fields, or equal on it and
 * greater on the rest.
 */
export function queueFilter(query: QueueQuery): Document {
  const filter: Document = { tier: query.tier, active: true };
  if (query.status !== undefined) filter.status = query.status;
  if (query.priority !== undefined) filter.priorityRank = priorityRank(query.priority);
  if (query.assigned !== undefined) {
    filter.assigneeId = query.assigned ? { $ne: null } : null;
  }
  if (query.after !== undefined) {
    const { priority, vip, openedAt, ticketId } = query.after;
    const key: [string, unknown][] = [
      ['priorityRank', priorityRank(priority)],
      ['vipRank', vip ? 0 : 1],
      ['openedAt', openedAt],
      ['_id', ticketId],
    ];
    filter.$or = key.map(([field, value], index) => ({
      ...Object.fromEntries(key.slice(0, index)),
      [field]: { $gt: value },
    }));
  }
  return filter;
}

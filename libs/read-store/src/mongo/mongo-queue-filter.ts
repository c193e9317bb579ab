import { priorityRank, queueSortKey } from '@ledger/domain';
import type { Document } from 'mongodb';
import type { QueueQuery } from '../read-store';

/** The fields of the domain's queue sort key (`queueSortKey`), in its order. */
export const QUEUE_ORDER = { priorityRank: 1, vipRank: 1, openedAt: 1, _id: 1 } as const;

/**
 * The documents past a sort key, in the direction of the sort (`$gt` for
 * ascending fields, `$lt` for descending ones): past it on the first field,
 * or equal on it and past it on the rest.
 */
export function pastKey(key: readonly [string, unknown][], past: '$gt' | '$lt'): Document[] {
  return key.map(([field, value], index) => ({
    ...Object.fromEntries(key.slice(0, index)),
    [field]: { [past]: value },
  }));
}

/** The documents of one queue page. `after` resumes past the previous page's last key. */
export function queueFilter(query: QueueQuery): Document {
  const filter: Document = { tier: query.tier, active: true };
  if (query.status !== undefined) filter.status = query.status;
  if (query.priority !== undefined) filter.priorityRank = priorityRank(query.priority);
  if (query.assigned !== undefined) {
    filter.assigneeId = query.assigned ? { $ne: null } : null;
  }
  if (query.after !== undefined) {
    const key = queueSortKey(query.after);
    filter.$or = pastKey(
      Object.keys(QUEUE_ORDER).map((field, index) => [field, key[index]]),
      '$gt',
    );
  }
  return filter;
}

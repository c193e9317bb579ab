import type { PostMortemTrigger } from '@ledger/domain';
import type { Document } from 'mongodb';
import type { PostMortemSearch } from '../read-store';

/** The stored field of each trigger's flag. */
const TRIGGER_FIELDS: Record<PostMortemTrigger, string> = {
  management: 'management',
  're-escalated': 'reEscalated',
  'urgent-breach': 'urgentBreach',
};

/** The post-mortems documents of one search page, in `_id` order. */
export function postMortemFilter(search: PostMortemSearch): Document {
  const filter: Document = { escalated: true };
  if (search.state !== undefined) filter.state = search.state;
  if (search.recorded) filter.$and = [{ state: { $in: ['open', 'complete'] } }];
  if (search.requiredBy !== undefined) {
    // $or of nothing is an error in MongoDB: no trigger named matches no document.
    filter.$or =
      search.requiredBy.length === 0
        ? [{ _id: { $in: [] } }]
        : search.requiredBy.map((trigger) => ({ [TRIGGER_FIELDS[trigger]]: true }));
  }
  if (search.ended) filter.endedAt = { $ne: null };
  const openedAt: Document = {};
  if (search.openedFrom !== undefined) openedAt.$gte = search.openedFrom;
  if (search.openedTo !== undefined) openedAt.$lt = search.openedTo;
  if (Object.keys(openedAt).length > 0) filter.openedAt = openedAt;
  if (search.after !== undefined) filter._id = { $gt: search.after };
  return filter;
}

import type { Document } from 'mongodb';
import { TICKET_SEARCH_EQUALITIES, type TicketSearch } from '../read-store';
import { pastKey } from './mongo-queue-filter';

/** Search order: newest opened first, then by ticket id, descending. */
export const SEARCH_ORDER = { openedAt: -1, _id: -1 } as const;

/** The ticket-view documents of one search page. `after` resumes past the previous page's last key. */
export function ticketSearchFilter(search: TicketSearch): Document {
  const filter: Document = {};
  // The stored documents carry each of these under the filter's own name.
  for (const field of TICKET_SEARCH_EQUALITIES) {
    if (search[field] !== undefined) filter[field] = search[field];
  }
  const openedAt: Document = {};
  if (search.openedFrom !== undefined) openedAt.$gte = search.openedFrom;
  if (search.openedTo !== undefined) openedAt.$lt = search.openedTo;
  if (Object.keys(openedAt).length > 0) filter.openedAt = openedAt;
  if (search.after !== undefined) {
    filter.$or = pastKey(
      [
        ['openedAt', search.after.openedAt],
        ['_id', search.after.ticketId],
      ],
      '$lt',
    );
  }
  return filter;
}

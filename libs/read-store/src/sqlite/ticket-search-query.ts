import {
  TICKET_SEARCH_EQUALITIES,
  type TicketSearch,
  type TicketSearchEquality,
} from '../read-store';
import { cohortConditions, whereClause } from './cohort-condition';
import type { SqlQuery } from './sql-query';

/** The column of each equality filter of the ticket view's table. */
const COLUMNS: Record<TicketSearchEquality, string> = {
  tier: 'tier',
  status: 'status',
  priority: 'priority',
  category: 'category',
  channel: 'channel',
  assigneeId: 'assignee_id',
  customerId: 'customer_id',
  escalated: 'escalated',
};

/**
 * One page of a ticket search. Only the filters present appear in the SQL;
 * the row-value comparison resumes at the previous page's last key, newest
 * first, so a page costs the same wherever it is in the list.
 */
export function ticketSearchQuery(table: string, search: TicketSearch): SqlQuery {
  const { conditions, params } = cohortConditions({
    from: search.openedFrom,
    to: search.openedTo,
  });
  for (const field of TICKET_SEARCH_EQUALITIES) {
    const value = search[field];
    if (value === undefined) continue;
    conditions.push(`${COLUMNS[field]} = ?`);
    params.push(typeof value === 'boolean' ? Number(value) : value);
  }
  if (search.after !== undefined) {
    conditions.push('(opened_at, id) < (?, ?)');
    params.push(search.after.openedAt, search.after.ticketId);
  }
  params.push(search.limit);
  return {
    sql: `SELECT doc FROM ${table} ${whereClause(conditions)} ORDER BY opened_at DESC, id DESC LIMIT ?`,
    params,
  };
}

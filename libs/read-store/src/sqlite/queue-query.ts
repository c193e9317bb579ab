import { priorityRank, queueSortKey } from '@ledger/domain';
import type { QueueQuery } from '../read-store';
import type { SqlQuery, SqlValue } from './sql-query';

/**
 * One queue page. Only the filters present appear in the SQL, so each
 * combination is its own statement and every one of them can walk the
 * partial queue-order index; the row-value comparison resumes the walk at the
 * previous page's last key instead of skipping rows with OFFSET.
 */
export function queueQuery(table: string, query: QueueQuery): SqlQuery {
  const conditions = ['tier = ?', 'active = 1'];
  const params: SqlValue[] = [query.tier];
  if (query.status !== undefined) {
    conditions.push('status = ?');
    params.push(query.status);
  }
  if (query.priority !== undefined) {
    conditions.push('priority_rank = ?');
    params.push(priorityRank(query.priority));
  }
  if (query.assigned !== undefined) {
    conditions.push(query.assigned ? 'assignee_id IS NOT NULL' : 'assignee_id IS NULL');
  }
  if (query.after !== undefined) {
    conditions.push('(priority_rank, vip_rank, opened_at, id) > (?, ?, ?, ?)');
    params.push(...queueSortKey(query.after));
  }
  params.push(query.limit);
  return {
    sql:
      `SELECT doc FROM ${table} WHERE ${conditions.join(' AND ')} ` +
      'ORDER BY priority_rank, vip_rank, opened_at, id LIMIT ?',
    params,
  };
}

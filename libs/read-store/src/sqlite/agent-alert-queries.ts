export function agentsSql(table: string): string {
  return `SELECT doc FROM ${table} ORDER BY tier_rank, id`;
}

/** Over the tier-workload table; the agent ids come as one JSON array parameter, so one statement serves any number. */
export function openTicketsOfAgentsSql(table: string): string {
  return `SELECT assignee_id AS agent_id, id FROM ${table}
    WHERE active = 1 AND assignee_id IN (SELECT value FROM json_each(?))
    ORDER BY assignee_id, opened_at, id`;
}

/** After `SELECT <alert columns> FROM <table>`. */
export const IDLE_TICKETS_WHERE =
  'WHERE active = 1 AND priority = ? AND last_activity_at < ? ORDER BY last_activity_at DESC, id LIMIT ?';

/** After `SELECT <alert columns> FROM <table>`. */
export const SLA_ALERTS_WHERE =
  'WHERE active = 1 AND sla_at IS NOT NULL ORDER BY sla_at DESC, id LIMIT ?';

export function tierTotalsSql(table: string): string {
  return `SELECT tier, COUNT(*) AS open, SUM(assignee_id IS NULL) AS unassigned,
      SUM(status = 'pending') AS pending, MIN(opened_at) AS oldest_opened_at
    FROM ${table} WHERE active = 1 GROUP BY tier`;
}

export function agentLoadsSql(table: string): string {
  return `SELECT tier, assignee_id AS agent_id, COUNT(*) AS open
    FROM ${table} WHERE active = 1 AND assignee_id IS NOT NULL
    GROUP BY tier, assignee_id ORDER BY tier, open DESC, assignee_id`;
}

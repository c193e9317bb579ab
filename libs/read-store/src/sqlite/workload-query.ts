import { TIERS, type Tier } from '@ledger/domain';
import type { TierWorkload } from '../read-store';

export interface TierTotalsRow {
  tier: Tier;
  open: number;
  unassigned: number;
  pending: number;
  oldest_opened_at: string | null;
}

export interface AgentLoadRow {
  tier: Tier;
  agent_id: string;
  open: number;
}

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

/** Every tier in ladder order, with zeros for tiers that have no open ticket. */
export function tierWorkloads(totals: TierTotalsRow[], agents: AgentLoadRow[]): TierWorkload[] {
  return TIERS.map((tier) => {
    const row = totals.find((candidate) => candidate.tier === tier);
    return {
      tier,
      open: row?.open ?? 0,
      unassigned: row?.unassigned ?? 0,
      pending: row?.pending ?? 0,
      oldestOpenedAt: row?.oldest_opened_at ?? null,
      agents: agents
        .filter((agent) => agent.tier === tier)
        .map((agent) => ({ agentId: agent.agent_id, open: agent.open })),
    };
  });
}

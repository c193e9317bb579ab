import { TIERS, type Tier } from '@ledger/domain';
import type { TierWorkload } from './read-store';

/** What a store's workload query gives per tier, over the tickets still worked on. */
export interface TierTotalsRow {
  tier: Tier;
  open: number;
  unassigned: number;
  pending: number;
  oldest_opened_at: string | null;
}

/** What it gives per agent of a tier. */
export interface AgentLoadRow {
  tier: Tier;
  agent_id: string;
  open: number;
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

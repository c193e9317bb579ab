import type { Availability } from '../agent/agent.events';
import type { Tier } from '../ticket.values';

/** What the assigner knows of an agent when it chooses. */
export interface AgentLoad {
  agentId: string;
  tier: Tier;
  capacity: number;
  availability: Availability;
  /** Tickets assigned to them and still worked on, automatic or not. */
  open: number;
  /** Since when nothing was given to them: their latest assignment, or coming online if later. */
  idleSince: string;
}

/**
 * The agent a ticket waiting in `tier` goes to: online, of that tier, with
 * spare capacity; the fewest open tickets first, then the one idle longest,
 * then by id so the choice never depends on the order agents are listed.
 */
export function chooseAgent(tier: Tier, agents: Iterable<AgentLoad>): AgentLoad | undefined {
  let best: AgentLoad | undefined;
  for (const agent of agents) {
    if (agent.tier !== tier || agent.availability !== 'online' || agent.open >= agent.capacity) {
      continue;
    }
    if (!best || ranksBefore(agent, best)) best = agent;
  }
  return best;
}

function ranksBefore(a: AgentLoad, b: AgentLoad): boolean {
  if (a.open !== b.open) return a.open < b.open;
  if (a.idleSince !== b.idleSince) return a.idleSince < b.idleSince;
  return a.agentId < b.agentId;
}

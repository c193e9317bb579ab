import type { Tier } from '../ticket.values';

export const AVAILABILITIES = ['online', 'offline'] as const;
export type Availability = (typeof AVAILABILITIES)[number];

export type AgentRegistered = {
  type: 'AgentRegistered';
  /** Capacity: how many open tickets the assigner may give the agent at once. */
  data: { agentId: string; name: string; tier: Tier; capacity: number };
};

export type AgentAvailabilityChanged = {
  type: 'AgentAvailabilityChanged';
  data: { from: Availability; to: Availability };
};

export type AgentEvent = AgentRegistered | AgentAvailabilityChanged;

export const AGENT_EVENT_TYPES: readonly AgentEvent['type'][] = [
  'AgentRegistered',
  'AgentAvailabilityChanged',
];

export const AGENT_STREAM_PREFIX = 'agent-';

export function agentStreamId(agentId: string): string {
  return `${AGENT_STREAM_PREFIX}${agentId}`;
}

export type RegisterAgent = {
  type: 'RegisterAgent';
  data: { agentId: string; name: string; tier: Tier; capacity: number };
};

export type ChangeAgentAvailability = {
  type: 'ChangeAgentAvailability';
  data: { availability: Availability };
};

export type AgentCommand = RegisterAgent | ChangeAgentAvailability;

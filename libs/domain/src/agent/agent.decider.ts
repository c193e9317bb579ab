import { echoed } from '../echoed-input';
import { AgentNotFoundError, DomainError, ruleBroken, RULE_CODES } from '../domain-errors';
import { assertNever } from '../ticket.events';
import type { AgentCommand, AgentEvent, Availability } from './agent.events';
import type { Tier } from '../ticket.values';

export interface Agent {
  agentId: string;
  name: string;
  tier: Tier;
  capacity: number;
  availability: Availability;
  registeredAt: string;
  /** When the availability last changed (the registration, until it does). */
  availabilityChangedAt: string;
  version: number;
}

export type AgentState = Agent | null;

export type DatedAgentEvent = AgentEvent & { occurredAt: string };

export const MAX_AGENT_CAPACITY = 1000;

export function evolveAgent(state: AgentState, event: DatedAgentEvent): AgentState {
  switch (event.type) {
    case 'AgentRegistered':
      return {
        ...event.data,
        availability: 'offline',
        registeredAt: event.occurredAt,
        availabilityChangedAt: event.occurredAt,
        version: (state?.version ?? 0) + 1,
      };
    case 'AgentAvailabilityChanged':
      if (!state) return state;
      return {
        ...state,
        availability: event.data.to,
        availabilityChangedAt: event.occurredAt,
        version: state.version + 1,
      };
    default:
      return assertNever(event);
  }
}

/** An agent starts offline: the assigner gives work only to agents who said they are online. */
export function decideAgent(command: AgentCommand, state: AgentState): AgentEvent[] {
  switch (command.type) {
    case 'RegisterAgent': {
      if (state) {
        throw ruleBroken(
          RULE_CODES.agentAlreadyExists,
          `Agent ${echoed(command.data.agentId)} already exists`,
        );
      }
      const { capacity } = command.data;
      if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_AGENT_CAPACITY) {
        throw new DomainError(
          'INVALID_CAPACITY',
          `A capacity is an integer from 1 to ${MAX_AGENT_CAPACITY}`,
        );
      }
      return [{ type: 'AgentRegistered', data: { ...command.data } }];
    }
    case 'ChangeAgentAvailability': {
      if (!state) throw new AgentNotFoundError();
      const to = command.data.availability;
      if (state.availability === to) return [];
      return [{ type: 'AgentAvailabilityChanged', data: { from: state.availability, to } }];
    }
    default:
      return assertNever(command);
  }
}

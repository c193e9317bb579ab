import {
  AGENT_EVENT_TYPES,
  AGENT_STREAM_PREFIX,
  evolveAgent,
  type AgentEvent,
} from '@ledger/domain';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';
import type { EventSource, Projection } from '../projection';

export type RecordedAgentEvent = RecordedEvent & AgentEvent;

const agentEventTypes = new Set<string>(AGENT_EVENT_TYPES);

export const AGENT_EVENTS: EventSource<RecordedAgentEvent> = {
  accepts: (event): event is RecordedAgentEvent =>
    event.streamId.startsWith(AGENT_STREAM_PREFIX) && agentEventTypes.has(event.type),
  documentIdOf: (event) => event.streamId.slice(AGENT_STREAM_PREFIX.length),
};

/** Each agent as its stream folds it: tier, capacity, availability. */
export const agentsProjection: Projection<'agents', RecordedAgentEvent> = {
  name: 'agents',
  version: 1,
  source: AGENT_EVENTS,
  apply: (agent, event) => evolveAgent(agent, datedEvent<AgentEvent>(event)),
};

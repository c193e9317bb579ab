import {
  decideAgent,
  evolveAgent,
  type AgentCommand,
  type AgentEvent,
  type AgentState,
} from '@ledger/domain';
import type { StreamKind } from '../commands/stream-kind';

/** Agents on the command path: one stream per agent. */
export const AGENT_KIND: StreamKind<AgentCommand, AgentEvent, AgentState> = {
  decider: { initialState: () => null, evolve: evolveAgent, decide: decideAgent },
};

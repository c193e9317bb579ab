import type { DomainError } from '../domain-errors';
import { decideAgent, evolveAgent, type AgentState } from './agent.decider';
import type { AgentEvent } from './agent.events';

const registered: AgentEvent = {
  type: 'AgentRegistered',
  data: { agentId: 'ana', name: 'Ana', tier: 'L2', capacity: 3 },
};

function given(events: AgentEvent[]): AgentState {
  return events.reduce<AgentState>(
    (state, event) => evolveAgent(state, { ...event, occurredAt: '2026-01-01T09:00:00.000Z' }),
    null,
  );
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return (error as DomainError).code;
  }
  return undefined;
}

describe('an agent', () => {
  it('is registered once, and starts offline', () => {
    expect(decideAgent({ type: 'RegisterAgent', data: registered.data }, given([]))).toEqual([
      registered,
    ]);
    expect(given([registered])?.availability).toBe('offline');
    expect(
      codeOf(() =>
        decideAgent({ type: 'RegisterAgent', data: registered.data }, given([registered])),
      ),
    ).toBe('AGENT_ALREADY_EXISTS');
  });

  it('has a capacity from 1 to 1000', () => {
    for (const capacity of [0, 1.5, 1001]) {
      const command = { type: 'RegisterAgent', data: { ...registered.data, capacity } } as const;
      expect(codeOf(() => decideAgent(command, null))).toBe('INVALID_CAPACITY');
    }
  });

  it('goes online, and a second online records nothing', () => {
    const online = { type: 'ChangeAgentAvailability', data: { availability: 'online' } } as const;
    const wentOnline: AgentEvent = {
      type: 'AgentAvailabilityChanged',
      data: { from: 'offline', to: 'online' },
    };
    expect(decideAgent(online, given([registered]))).toEqual([wentOnline]);
    expect(decideAgent(online, given([registered, wentOnline]))).toEqual([]);
  });

  it('must exist to change availability', () => {
    const online = { type: 'ChangeAgentAvailability', data: { availability: 'online' } } as const;
    expect(codeOf(() => decideAgent(online, null))).toBe('AGENT_NOT_FOUND');
  });
});

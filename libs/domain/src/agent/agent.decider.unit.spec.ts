import { deciderSpecification } from '../testing/decider-specification';
import { decideAgent, evolveAgent, type AgentState } from './agent.decider';
import type { AgentEvent } from './agent.events';

const { given } = deciderSpecification({
  initialState: (): AgentState => null,
  evolve: evolveAgent,
  decide: decideAgent,
});

const registered: AgentEvent = {
  type: 'AgentRegistered',
  data: { agentId: 'ana', name: 'Ana', tier: 'L2', capacity: 3 },
};

describe('an agent', () => {
  it('is registered once, and starts offline', () => {
    given([]).when({ type: 'RegisterAgent', data: registered.data }).then([registered]);
    expect(given([registered]).state?.availability).toBe('offline');
    given([registered])
      .when({ type: 'RegisterAgent', data: registered.data })
      .thenThrows('AGENT_ALREADY_EXISTS');
  });

  it('has a capacity from 1 to 1000', () => {
    for (const capacity of [0, 1.5, 1001]) {
      given([])
        .when({ type: 'RegisterAgent', data: { ...registered.data, capacity } })
        .thenThrows('INVALID_CAPACITY');
    }
  });

  it('goes online, and a second online records nothing', () => {
    const online = { type: 'ChangeAgentAvailability', data: { availability: 'online' } } as const;
    const wentOnline: AgentEvent = {
      type: 'AgentAvailabilityChanged',
      data: { from: 'offline', to: 'online' },
    };
    given([registered]).when(online).then([wentOnline]);
    given([registered, wentOnline]).when(online).then([]);
  });

  it('must exist to change availability', () => {
    given([])
      .when({ type: 'ChangeAgentAvailability', data: { availability: 'online' } })
      .thenThrows('AGENT_NOT_FOUND');
  });
});

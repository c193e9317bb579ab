import { chooseAgent, type AgentLoad } from './choose-agent';

const agent = (agentId: string, overrides: Partial<AgentLoad> = {}): AgentLoad => ({
  agentId,
  tier: 'L1',
  capacity: 3,
  availability: 'online',
  open: 0,
  idleSince: '2026-01-01T09:00:00.000Z',
  ...overrides,
});

describe('choosing an agent for a waiting ticket', () => {
  it('takes the online agent of the tier with the fewest open tickets', () => {
    const chosen = chooseAgent('L1', [agent('ana', { open: 2 }), agent('bo', { open: 1 })]);
    expect(chosen?.agentId).toBe('bo');
  });

  it('breaks a tie by the one idle longest', () => {
    const chosen = chooseAgent('L1', [
      agent('ana', { idleSince: '2026-01-01T10:00:00.000Z' }),
      agent('bo', { idleSince: '2026-01-01T08:00:00.000Z' }),
    ]);
    expect(chosen?.agentId).toBe('bo');
  });

  it('passes over agents offline, of another tier, or at capacity', () => {
    expect(
      chooseAgent('L1', [
        agent('off', { availability: 'offline' }),
        agent('l2', { tier: 'L2' }),
        agent('full', { open: 3, capacity: 3 }),
      ]),
    ).toBeUndefined();
  });

  it('does not depend on the order agents are listed', () => {
    const agents = [agent('cy'), agent('al'), agent('bo')];
    expect(chooseAgent('L1', agents)?.agentId).toBe('al');
    expect(chooseAgent('L1', [...agents].reverse())?.agentId).toBe('al');
  });
});

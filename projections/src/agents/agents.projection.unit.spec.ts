import { RecordedLog } from '../../../test/support/recorded-log';
import type { RecordedEvent } from '@ledger/event-store';
import { AGENT_EVENTS, agentsProjection, type RecordedAgentEvent } from './agents.projection';

const log = new RecordedLog();

const recorded = (streamId: string, type: string, data: unknown, minute = 0): RecordedEvent =>
  log.record(streamId, { type, data }, new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString());

describe('the agents projection', () => {
  it('folds agent streams only, one document per agent', () => {
    const registered = recorded('agent-ana', 'AgentRegistered', {
      agentId: 'ana',
      name: 'Ana',
      tier: 'L2',
      capacity: 4,
    });
    expect(AGENT_EVENTS.accepts(registered)).toBe(true);
    expect(AGENT_EVENTS.documentIdOf(registered as RecordedAgentEvent)).toBe('ana');
    expect(AGENT_EVENTS.accepts(recorded('ticket-1', 'TicketOpened', {}))).toBe(false);
    expect(AGENT_EVENTS.accepts(recorded('agent-ana', 'SomethingElse', {}))).toBe(false);
  });

  it('keeps the agent’s availability and when it changed', () => {
    const agent = [
      recorded('agent-ana', 'AgentRegistered', {
        agentId: 'ana',
        name: 'Ana',
        tier: 'L2',
        capacity: 4,
      }),
      recorded('agent-ana', 'AgentAvailabilityChanged', { from: 'offline', to: 'online' }, 7),
    ].reduce(
      (doc, event) => agentsProjection.apply(doc, event as RecordedAgentEvent),
      null as ReturnType<typeof agentsProjection.apply>,
    );
    expect(agent).toEqual({
      agentId: 'ana',
      name: 'Ana',
      tier: 'L2',
      capacity: 4,
      availability: 'online',
      registeredAt: '2026-01-05T09:00:00.000Z',
      availabilityChangedAt: '2026-01-05T09:07:00.000Z',
      version: 2,
    });
  });
});

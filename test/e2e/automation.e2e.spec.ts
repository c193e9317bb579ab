import { Automation } from '../../apps/api/src/automation/automation';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { SHORT_POLICY } from './support/sla-policies';
import { nth } from '../support/elements';

interface HistoryEvent {
  type: string;
  position: string;
  actor: string;
  data: Record<string, unknown>;
}

const lastPosition = (events: HistoryEvent[]) => nth(events, -1).position;

describe('automatic escalation and assignment', () => {
  const clock = new TestClock('2026-03-02T09:00:00.000Z');
  let api: TestApp;

  async function settle(): Promise<void> {
    await api.app.get(Automation).settle();
  }

  async function history(ticketId: string) {
    const answer = await api.request('GET', `/v1/tickets/${ticketId}/history`);
    return answer.body.events as HistoryEvent[];
  }

  beforeAll(async () => {
    api = await startTestApp({ clock, config: { automation: 'on' } });
  });

  afterAll(async () => {
    await api.close();
  });

  it('escalates a ticket about to miss its SLA, assigns it in each tier, and survives a restart', async () => {
    expect((await api.request('PUT', '/v1/sla-policy', SHORT_POLICY)).body.version).toBe(1);
    const opened = await api.request('POST', '/v1/tickets', {
      subject: 'Checkout is down',
      channel: 'chat',
      customer: { id: 'c-1' },
      category: 'payments',
      priority: 'urgent',
    });
    expect(opened.status).toBe(201);
    const { ticketId } = opened.body;
    const view = await api.request('GET', `/v1/tickets/${ticketId}?after=${opened.body.position}`);
    expect(view.body).toMatchObject({
      firstResponseDueAt: '2026-03-02T09:10:00.000Z',
      resolutionDueAt: '2026-03-02T10:00:00.000Z',
      sla: { policyVersion: 1 },
    });

    // 8 minutes in, nobody has answered: the first-response warning.
    clock.advanceMinutes(8);
    await settle();
    expect((await history(ticketId)).map((event) => event.type)).toEqual([
      'TicketOpened',
      'SlaWarning',
    ]);

    // An L1 agent comes online: the waiting ticket is theirs.
    await api.request('POST', '/v1/agents', {
      agentId: 'ana',
      name: 'Ana',
      tier: 'L1',
      capacity: 2,
    });
    await api.request('POST', '/v1/agents', { agentId: 'bo', name: 'Bo', tier: 'L2', capacity: 1 });
    await api.request('POST', '/v1/agents/ana/availability', { availability: 'online' });
    await settle();
    let events = await history(ticketId);
    expect(events.at(-1)).toMatchObject({
      type: 'TicketAssigned',
      actor: 'automation',
      automation: 'assigner',
      data: { agentId: 'ana', tier: 'L1', auto: true },
    });

    // 48 minutes in: the resolution warning moves it up to L2, where it waits for an agent.
    clock.set('2026-03-02T09:48:00.000Z');
    await settle();
    events = await history(ticketId);
    expect(events.slice(-2)).toMatchObject([
      { type: 'SlaWarning', data: { target: 'resolution', dueAt: '2026-03-02T10:00:00.000Z' } },
      {
        type: 'TicketEscalated',
        actor: 'automation',
        automation: 'sla-clock',
        data: { fromTier: 'L1', toTier: 'L2', reason: 'sla_breach', auto: true },
      },
    ]);
    await api.request('POST', '/v1/agents/bo/availability', { availability: 'online' });
    await settle();
    expect((await history(ticketId)).at(-1)).toMatchObject({
      type: 'TicketAssigned',
      data: { agentId: 'bo', tier: 'L2', auto: true },
    });

    // A restart in the middle: nothing is marked twice, nothing is forgotten.
    const before = (await history(ticketId)).length;
    await api.close({ removeData: false });
    api = await startTestApp({ clock, dataDir: api.dataDir, config: { automation: 'on' } });
    await settle();
    expect(await history(ticketId)).toHaveLength(before);

    clock.set('2026-03-02T10:00:00.000Z');
    await settle();
    events = await history(ticketId);
    expect(events.slice(-2)).toMatchObject([
      { type: 'SlaBreached', data: { target: 'resolution' } },
      { type: 'TicketEscalated', data: { fromTier: 'L2', toTier: 'L3', auto: true } },
    ]);
    expect(events.filter((event) => event.type.startsWith('Sla'))).toHaveLength(3);

    const alerts = await api.request('GET', `/v1/alerts?after=${lastPosition(events)}`);
    expect(alerts.body.alerts).toContainEqual(
      expect.objectContaining({ kind: 'sla_breach', ticketId, target: 'resolution' }),
    );
  });
});

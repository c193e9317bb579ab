import type { TicketEvent } from '@ledger/domain';
import type { EscalationFacts } from '@ledger/read-store';
import type { RecordedTicketEvent } from '../projection';
import { escalationFactsProjection } from './escalation-facts.projection';

const ticketId = '0b9c3c55-5d7c-4c0e-8f43-3f6c8b1a2d10';
let version = 0;

/** The event as the log would hand it over, `minute` minutes into the day. */
const at = (minute: number, event: TicketEvent): RecordedTicketEvent =>
  ({
    ...event,
    streamId: `ticket-${ticketId}`,
    version: ++version,
    position: String(version),
    metadata: {
      eventId: `e${version}`,
      occurredAt: new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString(),
      actor: 'a',
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
    },
  }) as RecordedTicketEvent;

const project = (events: RecordedTicketEvent[]): EscalationFacts =>
  events.reduce<EscalationFacts | null>(escalationFactsProjection.apply, null)!;

const opened = (minute: number) =>
  at(minute, {
    type: 'TicketOpened',
    data: {
      ticketId,
      subject: 's',
      description: '',
      channel: 'chat',
      customer: { id: 'c', tier: 'standard' },
      category: 'billing',
      priority: 'medium',
      priorityReason: 'default',
      tier: 'L1',
    },
  });

describe('escalation facts', () => {
  it('count the minutes of each finished stay in a tier, and not the stay under way', () => {
    const result = project([
      opened(0),
      at(15, {
        type: 'TicketEscalated',
        data: { fromTier: 'L1', toTier: 'L2', reason: 'complexity', note: 'n', auto: false },
      }),
      at(45, { type: 'TicketResolved', data: { resolution: 'r', resolvedTier: 'L2' } }),
      at(50, { type: 'TicketReopened', data: { reason: 'again' } }),
    ]);
    expect(result.tierDwellMinutes).toEqual({ L1: 15, L2: 30 });
    expect(result.currentStay).toEqual({ tier: 'L2', enteredAt: '2026-01-05T09:50:00.000Z' });
    expect(result.resolved).toBe(false);
    expect(result.reopened).toBe(true);
  });

  it('remember who held the ticket when it was first escalated', () => {
    const result = project([
      opened(0),
      at(1, { type: 'TicketAssigned', data: { agentId: 'ana', tier: 'L1', auto: false } }),
      at(2, {
        type: 'TicketEscalated',
        data: { fromTier: 'L1', toTier: 'L2', reason: 'crisis', note: 'n', auto: false },
      }),
      at(3, { type: 'TicketAssigned', data: { agentId: 'bo', tier: 'L2', auto: false } }),
      at(4, {
        type: 'TicketEscalated',
        data: { fromTier: 'L2', toTier: 'L3', reason: 'crisis', note: 'n', auto: false },
      }),
    ]);
    expect(result.firstAssigneeId).toBe('ana');
    expect(result.assigneeAtFirstEscalation).toBe('ana');
    expect(result.escalationCount).toBe(2);
    expect(result.escalationReasons).toEqual({ crisis: 2 });
    expect(result.firstEscalatedAt).toBe('2026-01-05T09:02:00.000Z');
  });

  it('keep the last resolution and the resolver judgement', () => {
    const result = project([
      opened(0),
      at(5, {
        type: 'TicketResolved',
        data: { resolution: 'r', resolvedTier: 'L1', escalationNecessary: false },
      }),
      at(6, { type: 'FeedbackReceived', data: { score: 2 } }),
      at(7, { type: 'TicketClosed', data: {} }),
    ]);
    expect(result).toMatchObject({
      resolved: true,
      resolvedTier: 'L1',
      escalationNecessary: false,
      lastResolvedAt: '2026-01-05T09:05:00.000Z',
      feedbackScore: 2,
      closed: true,
    });
  });
});

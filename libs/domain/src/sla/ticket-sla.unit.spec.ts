import { hoursOn } from '../../../../test/support/calendars';
import type { TicketOpened } from '../ticket.events';
import { foldTicket, type DatedTicketEvent, type Ticket } from '../ticket.state';
import type { BusinessCalendar } from './business-calendar';
import { DEFAULT_SLA_POLICY, slaTermsFor } from './sla-policy';
import { nextSlaMarkAt } from './ticket-sla';

/** Monday to Friday, 9 to 5 in Paris, closed on 1 May 2026 (a Friday). */
const paris: BusinessCalendar = {
  timeZone: 'Europe/Paris',
  hours: hoursOn('09:00', '17:00'),
  holidays: ['2026-05-01'],
};

function openedAt(
  occurredAt: string,
  priority: TicketOpened['data']['priority'],
  calendar?: BusinessCalendar,
): DatedTicketEvent {
  const policy = { ...DEFAULT_SLA_POLICY, ...(calendar && { calendar }) };
  return {
    type: 'TicketOpened',
    occurredAt,
    data: {
      ticketId: 't-1',
      subject: 'Export broken',
      description: '',
      channel: 'email',
      customer: { id: 'c-1', tier: 'standard' },
      category: 'billing',
      priority,
      priorityReason: 'explicit',
      tier: 'L1',
      sla: slaTermsFor(policy, priority),
    },
  };
}

const status = (to: 'pending' | 'in_progress', occurredAt: string): DatedTicketEvent => ({
  type: 'TicketStatusChanged',
  occurredAt,
  data: { from: to === 'pending' ? 'open' : 'pending', to },
});

function sla(events: DatedTicketEvent[]) {
  return (foldTicket(events) as Ticket).sla!;
}

describe('a ticket opened under the default policy', () => {
  it('is due by the targets of its priority, around the clock', () => {
    const { firstResponse, resolution } = sla([openedAt('2026-03-03T09:00:00.000Z', 'urgent')]);
    expect(firstResponse.dueAt).toBe('2026-03-03T09:15:00.000Z');
    expect(firstResponse.warnAt).toBe('2026-03-03T09:12:00.000Z');
    expect(resolution.dueAt).toBe('2026-03-03T13:00:00.000Z');
    expect(resolution.warnAt).toBe('2026-03-03T12:12:00.000Z');
  });

  it('keeps the policy version it was opened under', () => {
    expect(sla([openedAt('2026-03-03T09:00:00.000Z', 'low')]).policyVersion).toBe(0);
  });
});

describe('business hours', () => {
  it('carry a deadline over the night and the weekend', () => {
    // Friday 16:00 Paris, high: first response in 1 h (Friday 17:00), resolution in 8 h (Monday 16:00).
    const { firstResponse, resolution } = sla([
      openedAt('2026-03-06T15:00:00.000Z', 'high', paris),
    ]);
    expect(firstResponse.dueAt).toBe('2026-03-06T16:00:00.000Z');
    expect(resolution.dueAt).toBe('2026-03-09T15:00:00.000Z');
  });

  it('skip a holiday', () => {
    // Thursday 30 April 16:00 Paris (14:00 UTC), high: 1 h on Thursday, then Friday is 1 May.
    const { resolution } = sla([openedAt('2026-04-30T14:00:00.000Z', 'high', paris)]);
    expect(resolution.dueAt).toBe('2026-05-04T14:00:00.000Z');
  });
});

describe('time spent pending', () => {
  it('does not count toward resolution', () => {
    const { resolution, firstResponse } = sla([
      openedAt('2026-03-03T09:00:00.000Z', 'urgent'),
      status('pending', '2026-03-03T10:00:00.000Z'),
      status('in_progress', '2026-03-03T12:30:00.000Z'),
    ]);
    // 1 h ran before the pause, 3 h are left from 12:30.
    expect(resolution.dueAt).toBe('2026-03-03T15:30:00.000Z');
    expect(resolution.warnAt).toBe('2026-03-03T14:42:00.000Z');
    // First response is not paused.
    expect(firstResponse.dueAt).toBe('2026-03-03T09:15:00.000Z');
  });

  it('is counted in business time: a pending night under business hours moves nothing extra', () => {
    // Tuesday 16:00 Paris, high (8 h): pending from 16:30 to Wednesday 09:30 Paris.
    const { resolution } = sla([
      openedAt('2026-03-03T15:00:00.000Z', 'high', paris),
      status('pending', '2026-03-03T15:30:00.000Z'),
      status('in_progress', '2026-03-04T08:30:00.000Z'),
    ]);
    // 30 min ran; 7 h 30 left from Wednesday 09:30 Paris: Wednesday 17:00 Paris.
    expect(resolution.dueAt).toBe('2026-03-04T16:00:00.000Z');
  });

  it('stops the clock: no mark is owed while pending', () => {
    const paused = sla([
      openedAt('2026-03-03T09:00:00.000Z', 'urgent'),
      {
        type: 'TicketAssigned',
        occurredAt: '2026-03-03T09:01:00.000Z',
        data: { agentId: 'a', tier: 'L1', auto: false },
      },
      status('pending', '2026-03-03T10:00:00.000Z'),
    ]);
    expect(nextSlaMarkAt(paused)).toBeNull();
  });

  it('does not move a deadline that passed before the pause', () => {
    const { resolution } = sla([
      openedAt('2026-03-03T09:00:00.000Z', 'urgent'),
      status('pending', '2026-03-03T14:00:00.000Z'),
      status('in_progress', '2026-03-03T18:00:00.000Z'),
    ]);
    expect(resolution.dueAt).toBe('2026-03-03T13:00:00.000Z');
  });
});

describe('the next mark', () => {
  it('is the earliest warning or deadline not yet marked', () => {
    const events = [openedAt('2026-03-03T09:00:00.000Z', 'urgent')];
    expect(nextSlaMarkAt(sla(events))).toBe('2026-03-03T09:12:00.000Z');
    events.push({
      type: 'TicketAssigned',
      occurredAt: '2026-03-03T09:05:00.000Z',
      data: { agentId: 'a', tier: 'L1', auto: false },
    });
    expect(nextSlaMarkAt(sla(events))).toBe('2026-03-03T12:12:00.000Z');
  });
});

import { RecordedLog } from '../../../test/support/recorded-log';
import { hoursOn } from '../../../test/support/calendars';
import {
  foldTicket,
  type SlaTerms,
  type Status,
  type TicketEvent,
  type WorkStatus,
} from '@ledger/domain';
import type { EscalationFacts } from '@ledger/read-store';
import { dated, type RecordedTicketEvent } from '../projection';
import { escalationFactsProjection } from './escalation-facts.projection';

const ticketId = '0b9c3c55-5d7c-4c0e-8f43-3f6c8b1a2d10';
const log = new RecordedLog();

/** The event as the log would hand it over, `minute` minutes into the day. */
const at = (minute: number, event: TicketEvent): RecordedTicketEvent =>
  log.record(`ticket-${ticketId}`, event, new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString());

const project = (events: RecordedTicketEvent[]): EscalationFacts =>
  events.reduce<EscalationFacts | null>(escalationFactsProjection.apply, null)!;

const opened = (minute: number, sla?: SlaTerms) =>
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
      ...(sla && { sla }),
    },
  });

/** An hour to answer, two to resolve, around the clock. */
const terms: SlaTerms = {
  policyVersion: 1,
  firstResponseMinutes: 60,
  resolutionMinutes: 120,
  warnAt: 0.5,
};

const assigned = (minute: number, agentId: string, auto = false) =>
  at(minute, { type: 'TicketAssigned', data: { agentId, tier: 'L1', auto } });
const escalated = (minute: number, auto: boolean) =>
  at(minute, {
    type: 'TicketEscalated',
    data: { fromTier: 'L1', toTier: 'L2', reason: 'sla_breach', note: 'n', auto },
  });
const moved = (minute: number, from: Status, to: WorkStatus) =>
  at(minute, { type: 'TicketStatusChanged', data: { from, to } });
const resolved = (minute: number) =>
  at(minute, { type: 'TicketResolved', data: { resolution: 'r', resolvedTier: 'L1' } });
const reopened = (minute: number) =>
  at(minute, { type: 'TicketReopened', data: { reason: 'again' } });

/** What the domain's own fold says of the ticket's SLA clocks. */
const domainSla = (events: RecordedTicketEvent[]) => foldTicket(events.map(dated))!.sla;

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

  it('keep the last resolution, its root cause and the resolver judgement', () => {
    const result = project([
      opened(0),
      at(5, {
        type: 'TicketResolved',
        data: { resolution: 'r', resolvedTier: 'L1', escalationNecessary: false, rootCause: 'bug' },
      }),
      at(6, { type: 'FeedbackReceived', data: { score: 2 } }),
      at(7, { type: 'TicketClosed', data: {} }),
    ]);
    expect(result).toMatchObject({
      resolved: true,
      resolvedTier: 'L1',
      escalationNecessary: false,
      rootCause: 'bug',
      lastResolvedAt: '2026-01-05T09:05:00.000Z',
      feedbackScore: 2,
      closed: true,
    });
  });
});

describe('escalation facts of a ticket under an SLA', () => {
  it('keep when the ticket was first assigned, whoever assigned it later', () => {
    const result = project([opened(0, terms), assigned(20, 'ana'), assigned(50, 'bo', true)]);

    expect(result.firstAssignedAt).toBe('2026-01-05T09:20:00.000Z');
    expect(result.sla?.firstResponse).toMatchObject({
      dueAt: '2026-01-05T10:00:00.000Z',
      metAt: '2026-01-05T09:20:00.000Z',
    });
  });

  it('count the escalations the SLA clock made apart from the ones people made', () => {
    const result = project([
      opened(0, terms),
      escalated(10, false),
      at(11, {
        type: 'TicketEscalated',
        data: { fromTier: 'L2', toTier: 'L3', reason: 'sla_breach', note: 'n', auto: true },
      }),
      at(12, {
        type: 'TicketEscalated',
        data: { fromTier: 'L3', toTier: 'MANAGEMENT', reason: 'crisis', note: 'n', auto: false },
      }),
    ]);

    expect(result.escalationCount).toBe(3);
    expect(result.autoEscalationCount).toBe(1);
  });

  it('move the resolution deadline by the time spent pending, as the domain does', () => {
    const events = [
      opened(0, terms),
      moved(10, 'open', 'pending'),
      moved(40, 'pending', 'in_progress'),
      resolved(140),
    ];
    const result = project(events);

    // 10 minutes ran before the pause, 110 were left at 09:40.
    expect(result.sla?.resolution).toMatchObject({
      dueAt: '2026-01-05T11:30:00.000Z',
      metAt: '2026-01-05T11:20:00.000Z',
      runningSince: null,
    });
    expect(result.sla).toEqual(domainSla(events));
    expect(result.lastResolutionDueAt).toBe('2026-01-05T11:30:00.000Z');
  });

  it('date the deadline of a ticket resolved while pending from the resolution, the pause left out', () => {
    const events = [opened(0, terms), moved(10, 'open', 'pending'), resolved(200)];
    const result = project(events);

    // 10 minutes ran before the pause; the clock's own deadline still says 11:00.
    expect(result.sla?.resolution.dueAt).toBe('2026-01-05T11:00:00.000Z');
    expect(result.lastResolutionDueAt).toBe('2026-01-05T14:10:00.000Z');
    expect(result.sla).toEqual(domainSla(events));
  });

  it('run the resolution clock again from a reopen, with what was left of it', () => {
    const events = [opened(0, terms), resolved(30), reopened(60)];
    const result = project(events);

    expect(result.sla?.resolution).toMatchObject({
      usedMs: 30 * 60_000,
      runningSince: '2026-01-05T10:00:00.000Z',
      dueAt: '2026-01-05T11:30:00.000Z',
      metAt: null,
    });
    expect(result.lastResolutionDueAt).toBeNull();
    expect(result.sla).toEqual(domainSla(events));
  });

  it('stop the resolution clock when the ticket is closed, and resume it on a reopen', () => {
    const events = [opened(0, terms), moved(5, 'open', 'pending'), escalated(25, false)];
    events.push(at(45, { type: 'TicketClosed', data: {} }), reopened(105));

    expect(project(events).sla).toEqual(domainSla(events));
    // 5 + 20 minutes ran before the close; 95 left from 10:45.
    expect(project(events).sla?.resolution.dueAt).toBe('2026-01-05T12:20:00.000Z');
  });

  it('record warnings and breaches once per target, as the domain does', () => {
    const breach = (minute: number, target: 'first_response' | 'resolution') =>
      at(minute, {
        type: 'SlaBreached',
        data: { target, dueAt: '2026-01-05T10:00:00.000Z', policyVersion: 1 },
      });
    const events = [
      opened(0, terms),
      at(30, {
        type: 'SlaWarning',
        data: {
          target: 'first_response',
          warnAt: '2026-01-05T09:30:00.000Z',
          dueAt: '2026-01-05T10:00:00.000Z',
          policyVersion: 1,
        },
      }),
      breach(60, 'first_response'),
      assigned(70, 'ana'),
      breach(120, 'resolution'),
    ];
    const result = project(events);

    expect(result.sla?.firstResponse).toMatchObject({
      warnedAt: '2026-01-05T09:30:00.000Z',
      breachedAt: '2026-01-05T10:00:00.000Z',
      metAt: '2026-01-05T10:10:00.000Z',
    });
    expect(result.sla?.resolution.breachedAt).toBe('2026-01-05T11:00:00.000Z');
    expect(result.sla).toEqual(domainSla(events));
  });

  it('count deadlines in the business time of the terms’ calendar', () => {
    const calendar = {
      timeZone: 'UTC',
      hours: hoursOn('09:00', '17:00'),
      holidays: [],
    };
    // Monday 2026-01-05, 16:30: half an hour left that day, the rest from Tuesday 09:00.
    const events = [opened(450, { ...terms, calendar })];

    expect(project(events).sla?.firstResponse.dueAt).toBe('2026-01-06T09:30:00.000Z');
    expect(project(events).sla).toEqual(domainSla(events));
  });

  it('have no SLA clocks for a ticket opened before SLA policies', () => {
    const result = project([opened(0), assigned(5, 'ana'), resolved(500)]);

    expect(result.sla).toBeNull();
    expect(result.firstAssignedAt).toBe('2026-01-05T09:05:00.000Z');
  });
});

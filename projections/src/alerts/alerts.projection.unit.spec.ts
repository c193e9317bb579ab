import { RecordedLog } from '../../../test/support/recorded-log';
import type { TicketEvent } from '@ledger/domain';
import type { AlertDocument } from '@ledger/read-store';
import type { RecordedTicketEvent } from '../projection';
import { alertsProjection } from './alerts.projection';

const log = new RecordedLog();

/** The event as the log would hand it over, `minute` minutes into the day. */
const at = (minute: number, event: TicketEvent): RecordedTicketEvent =>
  log.record('ticket-t-1', event, new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString());

const opened: TicketEvent = {
  type: 'TicketOpened',
  data: {
    ticketId: 't-1',
    subject: 'Slow',
    description: '',
    channel: 'web',
    customer: { id: 'c', tier: 'standard' },
    category: 'perf',
    priority: 'high',
    priorityReason: 'explicit',
    tier: 'L1',
  },
};
const mark = (type: 'SlaWarning' | 'SlaBreached', target: 'first_response' | 'resolution') =>
  (type === 'SlaWarning'
    ? { type, data: { target, warnAt: 'w', dueAt: 'd', policyVersion: 0 } }
    : { type, data: { target, dueAt: 'd', policyVersion: 0 } }) as TicketEvent;

function project(events: RecordedTicketEvent[]): AlertDocument | null {
  return events.reduce<AlertDocument | null>(alertsProjection.apply, null);
}

const minuteOf = (minute: number) => new Date(Date.UTC(2026, 0, 5, 9, minute)).toISOString();

describe('the alerts projection', () => {
  it('dates the last activity by any event but the SLA clock’s own marks', () => {
    const alert = project([
      at(0, opened),
      at(5, { type: 'TicketNoteAdded', data: { body: 'looking' } }),
      at(30, mark('SlaWarning', 'first_response')),
    ]);
    expect(alert?.lastActivityAt).toBe(minuteOf(5));
  });

  it('keeps the worst mark: a breach outranks a later warning', () => {
    const alert = project([
      at(0, opened),
      at(10, mark('SlaBreached', 'first_response')),
      at(20, mark('SlaWarning', 'resolution')),
    ]);
    expect(alert?.sla).toEqual({ mark: 'breach', target: 'first_response', at: minuteOf(10) });
  });

  it('keeps the later of two marks of the same kind', () => {
    const alert = project([
      at(0, opened),
      at(10, mark('SlaWarning', 'first_response')),
      at(20, mark('SlaWarning', 'resolution')),
    ]);
    expect(alert?.sla).toEqual({ mark: 'warning', target: 'resolution', at: minuteOf(20) });
  });

  it('follows the ticket across tiers, assignees and statuses', () => {
    const alert = project([
      at(0, opened),
      at(1, { type: 'TicketAssigned', data: { agentId: 'ana', tier: 'L1', auto: true } }),
      at(2, {
        type: 'TicketEscalated',
        data: { fromTier: 'L1', toTier: 'L3', reason: 'crisis', note: 'n', auto: false },
      }),
      at(3, { type: 'TicketResolved', data: { resolution: 'ok', resolvedTier: 'L3' } }),
    ]);
    expect(alert).toMatchObject({ tier: 'L3', assigneeId: null, status: 'resolved' });
  });
});

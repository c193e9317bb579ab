import type { AlertDocument } from '@ledger/read-store';
import { alertList } from './alert-list';

const HOUR = 3_600_000;

const doc = (ticketId: string, overrides: Partial<AlertDocument> = {}): AlertDocument => ({
  ticketId,
  priority: 'high',
  tier: 'L1',
  status: 'open',
  assigneeId: null,
  lastActivityAt: '2026-01-05T09:00:00.000Z',
  sla: null,
  ...overrides,
});

describe('the alert list', () => {
  const breached = doc('t-breach', {
    sla: { mark: 'breach', target: 'resolution', at: '2026-01-05T12:00:00.000Z' },
  });
  const warned = doc('t-warn', {
    sla: { mark: 'warning', target: 'first_response', at: '2026-01-05T10:00:00.000Z' },
  });
  const idle = doc('t-idle', { lastActivityAt: '2026-01-05T07:00:00.000Z' });

  it('dates an idle ticket from when its threshold ran out, and lists the latest first', () => {
    const alerts = alertList(
      { idle: [{ thresholdMs: 4 * HOUR, tickets: [idle] }], marked: [breached, warned] },
      10,
    );

    expect(
      alerts.map(({ kind, ticketId, since, target }) => ({ kind, ticketId, since, target })),
    ).toEqual([
      {
        kind: 'sla_breach',
        ticketId: 't-breach',
        since: '2026-01-05T12:00:00.000Z',
        target: 'resolution',
      },
      { kind: 'idle', ticketId: 't-idle', since: '2026-01-05T11:00:00.000Z', target: undefined },
      {
        kind: 'sla_warning',
        ticketId: 't-warn',
        since: '2026-01-05T10:00:00.000Z',
        target: 'first_response',
      },
    ]);
  });

  it('lists a ticket both late and idle once under each kind, and keeps at most `limit`', () => {
    const both = doc('t-both', { ...breached, ticketId: 't-both' });
    const alerts = alertList(
      { idle: [{ thresholdMs: HOUR, tickets: [both] }], marked: [both] },
      10,
    );

    expect(alerts.map((alert) => alert.kind)).toEqual(['sla_breach', 'idle']);
    expect(
      alertList({ idle: [{ thresholdMs: HOUR, tickets: [both] }], marked: [both] }, 1),
    ).toHaveLength(1);
  });
});

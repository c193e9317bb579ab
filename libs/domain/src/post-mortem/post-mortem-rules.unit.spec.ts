import {
  addBusinessDays,
  isOverdue,
  isPostMortemRequired,
  subtractBusinessDays,
  triggersOf,
} from './post-mortem-rules';

describe('which escalations need a post-mortem', () => {
  const trail = { escalationCount: 1, reachedManagement: false, urgentBreach: false };

  it('names what triggers it: management, a second escalation, an urgent breach', () => {
    expect(triggersOf(trail)).toEqual([]);
    expect(triggersOf({ ...trail, reachedManagement: true })).toEqual(['management']);
    expect(triggersOf({ ...trail, escalationCount: 2, urgentBreach: true })).toEqual([
      're-escalated',
      'urgent-breach',
    ]);
  });

  it('asks only for the triggers configured, and never for a ticket not escalated', () => {
    const breached = { ...trail, urgentBreach: true };
    expect(isPostMortemRequired(breached, ['management'])).toBe(false);
    expect(isPostMortemRequired(breached, ['urgent-breach'])).toBe(true);
    expect(isPostMortemRequired({ ...breached, escalationCount: 0 }, ['urgent-breach'])).toBe(
      false,
    );
  });
});

describe('business days', () => {
  it('count Monday to Friday time only (UTC)', () => {
    // Friday 10:00 → the next Friday 10:00.
    expect(addBusinessDays('2026-01-09T10:00:00.000Z', 5)).toBe('2026-01-16T10:00:00.000Z');
    // Saturday noon → counted from Monday 00:00: the next Saturday 00:00 (Friday's end).
    expect(addBusinessDays('2026-01-10T12:00:00.000Z', 5)).toBe('2026-01-17T00:00:00.000Z');
    // Wednesday 15:30 → the next Wednesday 15:30.
    expect(addBusinessDays('2026-01-07T15:30:00.000Z', 5)).toBe('2026-01-14T15:30:00.000Z');
  });

  // Monday 00:00 and the Saturday 00:00 before it are the same business instant: forward lands on the Saturday.
  it('go back as they go forward', () => {
    for (const instant of [
      '2026-01-09T10:00:00.000Z',
      '2026-01-14T15:30:00.000Z',
      '2026-01-13T00:00:00.000Z',
    ]) {
      expect(addBusinessDays(subtractBusinessDays(instant, 5), 5)).toBe(instant);
    }
    // From a Sunday: the week's five days, back to its Monday 00:00.
    expect(subtractBusinessDays('2026-01-18T12:00:00.000Z', 5)).toBe('2026-01-12T00:00:00.000Z');
  });
});

describe('an action due on a date', () => {
  it('is overdue from the start of the next day (UTC)', () => {
    expect(isOverdue('2026-02-01', '2026-02-01T23:59:59.999Z')).toBe(false);
    expect(isOverdue('2026-02-01', '2026-02-02T00:00:00.000Z')).toBe(true);
  });
});

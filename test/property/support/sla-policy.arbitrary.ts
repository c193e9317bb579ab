import fc from 'fast-check';
import {
  PRIORITIES,
  type BusinessCalendar,
  type Priority,
  type SlaTargets,
  type VersionedSlaPolicy,
} from '@ledger/domain';
import { hoursOn } from '../../support/calendars';

/** Weekdays in Paris with a lunch break, closed on a holiday a week into the scenarios. */
const parisOffice: BusinessCalendar = {
  timeZone: 'Europe/Paris',
  hours: [...hoursOn('09:00', '12:30'), ...hoursOn('13:30', '18:00')],
  holidays: ['2026-01-12'],
};
/** Weekends only, in a zone west of UTC: a deadline often lies days after the opening. */
const weekendDesk: BusinessCalendar = {
  timeZone: 'America/New_York',
  hours: hoursOn('09:00', '17:00', [0, 6]),
  holidays: [],
};

/**
 * Targets short enough next to the scenarios' step gaps that deadlines pass
 * often, before and after answers and resolutions.
 */
const targets: fc.Arbitrary<SlaTargets> = fc.record({
  firstResponseMinutes: fc.integer({ min: 1, max: 180 }),
  resolutionMinutes: fc.integer({ min: 1, max: 600 }),
});

/** A policy as the SLA policy decider would accept it, with or without a calendar. */
export const slaPolicy: fc.Arbitrary<VersionedSlaPolicy> = fc
  .record({
    version: fc.integer({ min: 1, max: 3 }),
    targets: fc.tuple(...PRIORITIES.map(() => targets)),
    warnAt: fc.constantFrom(0.5, 0.8),
    calendar: fc.constantFrom(undefined, parisOffice, weekendDesk),
  })
  .map(({ version, targets: byPriority, warnAt, calendar }) => ({
    version,
    targets: Object.fromEntries(
      PRIORITIES.map((priority, index) => [priority, byPriority[index]]),
    ) as Record<Priority, SlaTargets>,
    warnAt,
    ...(calendar && { calendar }),
  }));

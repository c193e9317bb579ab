import { deciderSpecification } from '../testing/decider-specification';
import type { BusinessCalendar } from './business-calendar';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from './sla-policy';
import {
  decideSlaPolicy,
  evolveSlaPolicy,
  initialSlaPolicy,
  type SlaPolicyChanged,
} from './sla-policy.decider';

const { given } = deciderSpecification({
  initialState: initialSlaPolicy,
  evolve: evolveSlaPolicy,
  decide: decideSlaPolicy,
});

const defaults: SlaPolicy = {
  targets: DEFAULT_SLA_POLICY.targets,
  warnAt: DEFAULT_SLA_POLICY.warnAt,
};

const change = (policy: SlaPolicy) => ({ type: 'ChangeSlaPolicy', data: policy }) as const;

const changedToHalf: SlaPolicyChanged = {
  type: 'SlaPolicyChanged',
  data: { ...defaults, warnAt: 0.5, version: 1 },
};

/** What an invalid policy's error names: these fields, in this order, and no other. */
const problemsIn = (...fields: string[]) => ({ problems: fields.map((field) => ({ field })) });

describe('changing the SLA policy', () => {
  it('records the next version', () => {
    given([])
      .when(change({ ...defaults, warnAt: 0.5 }))
      .then([changedToHalf]);
  });

  it('records nothing when the policy in force is set again', () => {
    given([changedToHalf])
      .when(change({ warnAt: 0.5, targets: defaults.targets }))
      .then([]);
  });

  it('refuses targets that are not positive, naming the field', () => {
    const targets = { ...defaults.targets, low: { firstResponseMinutes: 0, resolutionMinutes: 5 } };
    given([])
      .when(change({ ...defaults, targets }))
      .thenThrows('VALIDATION_FAILED', problemsIn('targets.low.firstResponseMinutes'));
  });

  it('refuses a warning share outside (0, 1)', () => {
    given([])
      .when(change({ ...defaults, warnAt: 1 }))
      .thenThrows('VALIDATION_FAILED', problemsIn('warnAt'));
  });

  it('refuses an unknown time zone, hours closing before they open, and bad holidays', () => {
    const calendar: BusinessCalendar = {
      timeZone: 'Mars/Olympus',
      hours: [{ day: 1, opens: '17:00', closes: '09:00' }],
      holidays: ['2026-13-45'],
    };
    given([])
      .when(change({ ...defaults, calendar }))
      .thenThrows(
        'VALIDATION_FAILED',
        problemsIn('calendar.timeZone', 'calendar.hours.0', 'calendar.holidays.0'),
      );
  });

  it('refuses a holiday on a day the month does not have', () => {
    const calendar = {
      timeZone: 'UTC',
      hours: [{ day: 1 as const, opens: '09:00', closes: '17:00' }],
    };
    given([])
      .when(change({ ...defaults, calendar: { ...calendar, holidays: ['2026-02-30'] } }))
      .thenThrows('VALIDATION_FAILED', problemsIn('calendar.holidays.0'));
  });

  it('refuses a calendar that never opens', () => {
    given([])
      .when(change({ ...defaults, calendar: { timeZone: 'UTC', hours: [], holidays: [] } }))
      .thenThrows('VALIDATION_FAILED', problemsIn('calendar.hours'));
  });
});

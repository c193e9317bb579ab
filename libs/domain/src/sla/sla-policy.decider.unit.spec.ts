import { InvalidInputError } from '../domain-errors';
import type { BusinessCalendar } from './business-calendar';
import { DEFAULT_SLA_POLICY, type SlaPolicy, type VersionedSlaPolicy } from './sla-policy';
import { decideSlaPolicy } from './sla-policy.decider';

const defaults: SlaPolicy = {
  targets: DEFAULT_SLA_POLICY.targets,
  warnAt: DEFAULT_SLA_POLICY.warnAt,
};

function problemsOf(policy: SlaPolicy): string[] {
  try {
    decideSlaPolicy({ type: 'ChangeSlaPolicy', data: policy }, DEFAULT_SLA_POLICY);
  } catch (error) {
    return (error as InvalidInputError).problems.map((problem) => problem.field);
  }
  return [];
}

/** The policy in force once `policy` replaces the default. */
function changedFromDefault(policy: SlaPolicy): VersionedSlaPolicy {
  const [changed] = decideSlaPolicy({ type: 'ChangeSlaPolicy', data: policy }, DEFAULT_SLA_POLICY);
  if (!changed) throw new Error('The default policy did not change');
  return changed.data;
}

describe('changing the SLA policy', () => {
  it('records the next version', () => {
    expect(changedFromDefault({ ...defaults, warnAt: 0.5 })).toEqual({
      ...defaults,
      warnAt: 0.5,
      version: 1,
    });
  });

  it('records nothing when the policy in force is set again', () => {
    const changed = changedFromDefault({ ...defaults, warnAt: 0.5 });
    expect(
      decideSlaPolicy(
        { type: 'ChangeSlaPolicy', data: { warnAt: 0.5, targets: defaults.targets } },
        changed,
      ),
    ).toEqual([]);
  });

  it('refuses targets that are not positive, naming the field', () => {
    const targets = { ...defaults.targets, low: { firstResponseMinutes: 0, resolutionMinutes: 5 } };
    expect(problemsOf({ ...defaults, targets })).toEqual(['targets.low.firstResponseMinutes']);
  });

  it('refuses a warning share outside (0, 1)', () => {
    expect(problemsOf({ ...defaults, warnAt: 1 })).toEqual(['warnAt']);
  });

  it('refuses an unknown time zone, hours closing before they open, and bad holidays', () => {
    const calendar: BusinessCalendar = {
      timeZone: 'Mars/Olympus',
      hours: [{ day: 1, opens: '17:00', closes: '09:00' }],
      holidays: ['2026-13-45'],
    };
    expect(problemsOf({ ...defaults, calendar })).toEqual([
      'calendar.timeZone',
      'calendar.hours.0',
      'calendar.holidays.0',
    ]);
  });

  it('refuses a holiday on a day the month does not have', () => {
    const calendar = {
      timeZone: 'UTC',
      hours: [{ day: 1 as const, opens: '09:00', closes: '17:00' }],
    };
    expect(
      problemsOf({ ...defaults, calendar: { ...calendar, holidays: ['2026-02-30'] } }),
    ).toEqual(['calendar.holidays.0']);
  });

  it('refuses a calendar that never opens', () => {
    expect(
      problemsOf({ ...defaults, calendar: { timeZone: 'UTC', hours: [], holidays: [] } }),
    ).toEqual(['calendar.hours']);
  });
});

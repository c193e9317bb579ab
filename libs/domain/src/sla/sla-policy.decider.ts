import { echoed } from '../echoed-input';
import { canonicalJson } from '../canonical-json';
import { InvalidInputError, type FieldProblem } from '../domain-errors';
import { PRIORITIES } from '../ticket.values';
import { addBusinessTime, minutesOfDay, type BusinessCalendar } from './business-calendar';
import type { SlaPolicy, VersionedSlaPolicy } from './sla-policy';
import { DEFAULT_SLA_POLICY } from './sla-policy';

/** Every policy change, in one stream: its version is the policy's version. */
export const SLA_POLICY_STREAM = 'sla-policy';

export type SlaPolicyChanged = {
  type: 'SlaPolicyChanged';
  data: SlaPolicy & { version: number };
};

export type ChangeSlaPolicy = { type: 'ChangeSlaPolicy'; data: SlaPolicy };

/** The policy in force after `event`; the default (version 0) before any. */
export function evolveSlaPolicy(
  _current: VersionedSlaPolicy,
  event: SlaPolicyChanged,
): VersionedSlaPolicy {
  return event.data;
}

export const initialSlaPolicy = (): VersionedSlaPolicy => DEFAULT_SLA_POLICY;

/** Longest target: a year of business time; a longer one is a typo, not a promise. */
const MAX_TARGET_MINUTES = 366 * 24 * 60;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * `YYYY-MM-DD` naming a day that exists. `Date.parse` takes 2026-02-30 as
 * March 2nd, so a date is real only if it reads back as itself.
 */
function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const parsed = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === date;
}

function calendarProblems(calendar: BusinessCalendar): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isTimeZone(calendar.timeZone)) {
    problems.push({
      field: 'calendar.timeZone',
      message: `Unknown time zone ${echoed(calendar.timeZone)}`,
    });
  }
  calendar.hours.forEach(({ opens, closes }, index) => {
    const field = `calendar.hours.${index}`;
    try {
      if (minutesOfDay(closes) <= minutesOfDay(opens)) {
        problems.push({
          field,
          message: `${field} closes (${echoed(closes)}) before it opens (${echoed(opens)})`,
        });
      }
    } catch (error) {
      problems.push({ field, message: (error as Error).message });
    }
  });
  calendar.holidays.forEach((date, index) => {
    if (!isCalendarDate(date)) {
      problems.push({
        field: `calendar.holidays.${index}`,
        message: `Not a date: ${echoed(date)}`,
      });
    }
  });
  if (problems.length === 0) {
    try {
      addBusinessTime(new Date(), 1, calendar);
    } catch {
      problems.push({ field: 'calendar.hours', message: 'The calendar never opens' });
    }
  }
  return problems;
}

/** What makes a policy meaningless, beyond its shape (which the API checks). */
export function slaPolicyProblems(policy: SlaPolicy): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const priority of PRIORITIES) {
    const targets = policy.targets[priority];
    for (const key of ['firstResponseMinutes', 'resolutionMinutes'] as const) {
      const minutes = targets?.[key];
      if (typeof minutes !== 'number' || !(minutes > 0) || minutes > MAX_TARGET_MINUTES) {
        problems.push({
          field: `targets.${priority}.${key}`,
          message: `targets.${priority}.${key} must be above 0 and at most ${MAX_TARGET_MINUTES}`,
        });
      }
    }
  }
  if (!(policy.warnAt > 0 && policy.warnAt < 1)) {
    problems.push({ field: 'warnAt', message: 'warnAt must be above 0 and below 1' });
  }
  if (policy.calendar) problems.push(...calendarProblems(policy.calendar));
  return problems;
}

/** Setting the policy in force again records nothing, so a retried change is harmless. */
export function decideSlaPolicy(
  command: ChangeSlaPolicy,
  current: VersionedSlaPolicy,
): SlaPolicyChanged[] {
  const problems = slaPolicyProblems(command.data);
  if (problems.length > 0) throw new InvalidInputError(problems);
  const { targets, warnAt, calendar } = command.data;
  const inForce = { targets: current.targets, warnAt: current.warnAt, calendar: current.calendar };
  if (canonicalJson({ targets, warnAt, calendar }) === canonicalJson(inForce)) return [];
  return [
    {
      type: 'SlaPolicyChanged',
      data: {
        version: current.version + 1,
        targets,
        warnAt,
        ...(calendar !== undefined && { calendar }),
      },
    },
  ];
}

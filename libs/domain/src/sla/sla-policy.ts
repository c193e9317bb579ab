import type { Priority } from '../ticket.values';
import { addBusinessTime, type BusinessCalendar } from './business-calendar';

/** Targets of one priority, in minutes of business time. */
export interface SlaTargets {
  /** From opening to the first assignment. */
  firstResponseMinutes: number;
  /** From opening to resolution, time spent pending excluded. */
  resolutionMinutes: number;
}

export interface SlaPolicy {
  targets: Record<Priority, SlaTargets>;
  /** When SLA time runs; around the clock when absent. */
  calendar?: BusinessCalendar;
  /** The share of a target after which a warning is due (0.8: at 80 %). */
  warnAt: number;
}

const HOUR = 60;

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  targets: {
    urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * HOUR },
    high: { firstResponseMinutes: HOUR, resolutionMinutes: 8 * HOUR },
    medium: { firstResponseMinutes: 4 * HOUR, resolutionMinutes: 24 * HOUR },
    low: { firstResponseMinutes: 8 * HOUR, resolutionMinutes: 72 * HOUR },
  },
  warnAt: 0.8,
};

export interface SlaDeadlines {
  firstResponseDueAt: string;
  resolutionDueAt: string;
}

/**
 * When a ticket opened at `openedAt` is due, before any time spent pending
 * (which pushes the resolution deadline back by that much business time).
 */
export function slaDeadlines(
  openedAt: string,
  priority: Priority,
  policy: SlaPolicy,
): SlaDeadlines {
  const opened = new Date(openedAt);
  const { firstResponseMinutes, resolutionMinutes } = policy.targets[priority];
  return {
    firstResponseDueAt: addBusinessTime(
      opened,
      firstResponseMinutes * 60_000,
      policy.calendar,
    ).toISOString(),
    resolutionDueAt: addBusinessTime(
      opened,
      resolutionMinutes * 60_000,
      policy.calendar,
    ).toISOString(),
  };
}

import type { Priority } from '../ticket.values';
import type { BusinessCalendar } from './business-calendar';

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

/** A policy as recorded: version 0 is the built-in default, in force until a policy is set. */
export interface VersionedSlaPolicy extends SlaPolicy {
  version: number;
}

const HOUR = 60;

export const DEFAULT_SLA_POLICY: VersionedSlaPolicy = {
  version: 0,
  targets: {
    urgent: { firstResponseMinutes: 15, resolutionMinutes: 4 * HOUR },
    high: { firstResponseMinutes: HOUR, resolutionMinutes: 8 * HOUR },
    medium: { firstResponseMinutes: 4 * HOUR, resolutionMinutes: 24 * HOUR },
    low: { firstResponseMinutes: 8 * HOUR, resolutionMinutes: 72 * HOUR },
  },
  warnAt: 0.8,
};

/**
 * What a ticket is measured by, copied into its opening event: its history
 * alone says when it was due, whatever the policy became later.
 */
export interface SlaTerms {
  policyVersion: number;
  firstResponseMinutes: number;
  resolutionMinutes: number;
  warnAt: number;
  calendar?: BusinessCalendar;
}

export function slaTermsFor(policy: VersionedSlaPolicy, priority: Priority): SlaTerms {
  return {
    policyVersion: policy.version,
    ...policy.targets[priority],
    warnAt: policy.warnAt,
    ...(policy.calendar !== undefined && { calendar: policy.calendar }),
  };
}

/** What makes a post-mortem required, as POST_MORTEM_REQUIRED names them. */
export const POST_MORTEM_TRIGGERS = ['management', 're-escalated', 'urgent-breach'] as const;
export type PostMortemTrigger = (typeof POST_MORTEM_TRIGGERS)[number];

/** What the triggers look at: how far and how often a ticket was escalated, and how late an urgent one ran. */
export interface EscalationTrail {
  escalationCount: number;
  /** Escalated to MANAGEMENT at least once. */
  reachedManagement: boolean;
  /** Breached an SLA target while its priority was urgent. */
  urgentBreach: boolean;
}

export function triggersOf(trail: EscalationTrail): PostMortemTrigger[] {
  if (trail.escalationCount === 0) return [];
  return POST_MORTEM_TRIGGERS.filter((trigger) =>
    trigger === 'management'
      ? trail.reachedManagement
      : trigger === 're-escalated'
        ? trail.escalationCount >= 2
        : trail.urgentBreach,
  );
}

/** Only an escalated ticket needs one: an urgent breach that was never escalated does not. */
export function isPostMortemRequired(
  trail: EscalationTrail,
  required: readonly PostMortemTrigger[],
): boolean {
  return triggersOf(trail).some((trigger) => required.includes(trigger));
}

/** Business days a required post-mortem may wait after the resolution before it is alerted as missing. */
export const POST_MORTEM_GRACE_BUSINESS_DAYS = 5;

const DAY_MS = 86_400_000;

const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
const isWeekend = (ms: number) => {
  const day = new Date(ms).getUTCDay();
  return day === 0 || day === 6;
};

/**
 * `days` whole days of Monday-to-Friday time (UTC) after `instant`: time on
 * a Saturday or a Sunday does not count. 5 business days after Friday 10:00
 * is the next Friday 10:00; after Saturday noon, the next Saturday 00:00.
 */
export function addBusinessDays(instant: string, days: number): string {
  let at = Date.parse(instant);
  let remaining = days * DAY_MS;
  while (remaining > 0) {
    const day = dayStart(at);
    if (isWeekend(day)) {
      at = day + DAY_MS;
      continue;
    }
    const step = Math.min(remaining, day + DAY_MS - at);
    at += step;
    remaining -= step;
  }
  return new Date(at).toISOString();
}

/** The latest instant `days` business days before `instant`: the inverse of `addBusinessDays`. */
export function subtractBusinessDays(instant: string, days: number): string {
  let at = Date.parse(instant);
  let remaining = days * DAY_MS;
  while (remaining > 0) {
    const day = dayStart(at - 1);
    if (isWeekend(day)) {
      at = day;
      continue;
    }
    const step = Math.min(remaining, at - day);
    at -= step;
    remaining -= step;
  }
  return new Date(at).toISOString();
}

/** When an action due on `dueDate` becomes overdue: the start (UTC) of the day after. */
export function overdueFrom(dueDate: string): string {
  return new Date(Date.parse(`${dueDate}T00:00:00.000Z`) + DAY_MS).toISOString();
}

export function isOverdue(dueDate: string, asOf: string): boolean {
  return asOf >= overdueFrom(dueDate);
}

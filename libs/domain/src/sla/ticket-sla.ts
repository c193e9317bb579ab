import type { DatedTicketEvent } from '../ticket.state';
import type { Status } from '../ticket.values';
import { addBusinessTime, businessTimeBetween } from './business-calendar';
import type { SlaTerms } from './sla-policy';

export const SLA_TARGETS = ['first_response', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

export const SLA_MARKS = ['warning', 'breach'] as const;
export type SlaMark = (typeof SLA_MARKS)[number];

/** One target's clock. Instants are ISO strings; durations are business milliseconds. */
export interface SlaTargetClock {
  targetMs: number;
  /** Business time used by runs that have ended (the resolution clock stops while pending). */
  usedMs: number;
  /** When the current run began; null while the clock is stopped. */
  runningSince: string | null;
  /** When the warning share of the target is reached, as of the latest run. */
  warnAt: string;
  /** When the target is reached, as of the latest run. */
  dueAt: string;
  /** First response: the first assignment. Resolution: the latest resolution. */
  metAt: string | null;
  warnedAt: string | null;
  breachedAt: string | null;
}

/** What moves a clock once it is set: the warning share and the calendar of the ticket's terms. */
type ClockRules = Pick<SlaTerms, 'warnAt' | 'calendar'>;

/**
 * A ticket's SLA: of the terms it was opened under, what its clocks still
 * need (the targets are in the clocks), and one clock per target.
 */
export interface TicketSla extends ClockRules {
  policyVersion: number;
  firstResponse: SlaTargetClock;
  resolution: SlaTargetClock;
}

export interface DueSlaMark {
  target: SlaTarget;
  mark: SlaMark;
  /** The instant the mark became due. */
  at: string;
}

const MS_PER_MINUTE = 60_000;

function warnShareMs(clock: SlaTargetClock, terms: ClockRules): number {
  return Math.round(clock.targetMs * terms.warnAt);
}

function startClock(targetMinutes: number, terms: SlaTerms, at: string): SlaTargetClock {
  const targetMs = Math.round(targetMinutes * MS_PER_MINUTE);
  const start = new Date(at);
  return {
    targetMs,
    usedMs: 0,
    runningSince: at,
    warnAt: addBusinessTime(
      start,
      Math.round(targetMs * terms.warnAt),
      terms.calendar,
    ).toISOString(),
    dueAt: addBusinessTime(start, targetMs, terms.calendar).toISOString(),
    metAt: null,
    warnedAt: null,
    breachedAt: null,
  };
}

export function openSla(terms: SlaTerms, openedAt: string): TicketSla {
  return {
    policyVersion: terms.policyVersion,
    warnAt: terms.warnAt,
    ...(terms.calendar !== undefined && { calendar: terms.calendar }),
    firstResponse: startClock(terms.firstResponseMinutes, terms, openedAt),
    resolution: startClock(terms.resolutionMinutes, terms, openedAt),
  };
}

function stopClock(clock: SlaTargetClock, terms: ClockRules, at: string): SlaTargetClock {
  if (clock.runningSince === null) return clock;
  const ran = businessTimeBetween(new Date(clock.runningSince), new Date(at), terms.calendar);
  return { ...clock, usedMs: clock.usedMs + ran, runningSince: null };
}

/**
 * A new run from `at` with what is left of the target. An instant already
 * passed stays where it was: pausing after a deadline does not move it.
 */
function resumeClock(clock: SlaTargetClock, terms: ClockRules, at: string): SlaTargetClock {
  if (clock.runningSince !== null) return clock;
  const start = new Date(at);
  const moved = (instant: string, shareMs: number) => {
    const left = shareMs - clock.usedMs;
    return left > 0 ? addBusinessTime(start, left, terms.calendar).toISOString() : instant;
  };
  return {
    ...clock,
    runningSince: at,
    warnAt: moved(clock.warnAt, warnShareMs(clock, terms)),
    dueAt: moved(clock.dueAt, clock.targetMs),
  };
}

/** Runs the resolution clock while the ticket is worked on, stops it otherwise (pending, resolved, closed). */
export function runResolutionClock(sla: TicketSla, runs: boolean, at: string): TicketSla {
  const resolution = runs
    ? resumeClock(sla.resolution, sla, at)
    : stopClock(sla.resolution, sla, at);
  return resolution === sla.resolution ? sla : { ...sla, resolution };
}

export function meetFirstResponse(sla: TicketSla, at: string): TicketSla {
  if (sla.firstResponse.metAt !== null) return sla;
  return {
    ...sla,
    firstResponse: { ...stopClock(sla.firstResponse, sla, at), metAt: at },
  };
}

export function meetResolution(sla: TicketSla, at: string): TicketSla {
  return { ...sla, resolution: { ...stopClock(sla.resolution, sla, at), metAt: at } };
}

export function recordSlaMark(
  sla: TicketSla,
  target: SlaTarget,
  mark: SlaMark,
  at: string,
): TicketSla {
  const key = target === 'first_response' ? 'firstResponse' : 'resolution';
  const clock = sla[key];
  const field = mark === 'warning' ? 'warnedAt' : 'breachedAt';
  if (clock[field] !== null) return sla;
  return { ...sla, [key]: { ...clock, [field]: at } };
}

function clockOf(sla: TicketSla, target: SlaTarget): SlaTargetClock {
  return target === 'first_response' ? sla.firstResponse : sla.resolution;
}

/**
 * The marks a running clock owes at `now`, warnings before breaches; each
 * target is warned and breached once in a ticket's life. A target already
 * met, or a clock stopped, owes nothing.
 */
export function dueSlaMarks(sla: TicketSla, now: string): DueSlaMark[] {
  const due: DueSlaMark[] = [];
  for (const target of SLA_TARGETS) {
    const clock = clockOf(sla, target);
    if (clock.runningSince === null) continue;
    if (target === 'first_response' && clock.metAt !== null) continue;
    if (clock.warnedAt === null && clock.warnAt <= now) {
      due.push({ target, mark: 'warning', at: clock.warnAt });
    }
    if (clock.breachedAt === null && clock.dueAt <= now) {
      due.push({ target, mark: 'breach', at: clock.dueAt });
    }
  }
  return due;
}

/** The next instant at which `dueSlaMarks` will owe something; null if never (as things stand). */
export function nextSlaMarkAt(sla: TicketSla): string | null {
  let next: string | null = null;
  for (const target of SLA_TARGETS) {
    const clock = clockOf(sla, target);
    if (clock.runningSince === null) continue;
    if (target === 'first_response' && clock.metAt !== null) continue;
    for (const [done, instant] of [
      [clock.warnedAt, clock.warnAt],
      [clock.breachedAt, clock.dueAt],
    ] as const) {
      if (done === null && (next === null || instant < next)) next = instant;
    }
  }
  return next;
}

/** The status an event moves a ticket to; null for the events that leave it as it was. */
function statusSetBy(event: DatedTicketEvent): Status | null {
  switch (event.type) {
    case 'TicketEscalated':
    case 'TicketReopened':
      return 'open';
    case 'TicketResolved':
      return 'resolved';
    case 'TicketClosed':
      return 'closed';
    case 'TicketStatusChanged':
      return event.data.to;
    default:
      return null;
  }
}

/**
 * The clocks after `event`. The first assignment answers the ticket;
 * resolution time runs only while it is worked on (open or in progress), so
 * pending, resolved and closed stretches are not counted. Running a running
 * clock, or stopping a stopped one, changes nothing, so each status an event
 * sets can simply run or stop it.
 */
export function evolveTicketSla(sla: TicketSla, event: DatedTicketEvent): TicketSla {
  const at = event.occurredAt;
  switch (event.type) {
    case 'SlaWarning':
      return recordSlaMark(sla, event.data.target, 'warning', at);
    case 'SlaBreached':
      return recordSlaMark(sla, event.data.target, 'breach', at);
    case 'TicketAssigned':
      return meetFirstResponse(sla, at);
    default:
      break;
  }
  let next = sla;
  if (event.type === 'TicketResolved') next = meetResolution(next, at);
  if (event.type === 'TicketReopened') {
    next = { ...next, resolution: { ...next.resolution, metAt: null } };
  }
  const status = statusSetBy(event);
  if (status === null) return next;
  return runResolutionClock(next, status === 'open' || status === 'in_progress', at);
}

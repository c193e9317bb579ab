import type { EscalationFacts } from './escalation-facts';

/** How a ticket stands against one SLA target: not measured (yet), met, or missed. */
export type SlaOutcome = 'met' | 'missed' | null;

const atOrBefore = (instant: string, deadline: string) =>
  Date.parse(instant) <= Date.parse(deadline);

/**
 * Measured once the ticket is assigned or its breach is recorded; met when
 * the first assignment came at or before the due instant, which never moves:
 * the first-response clock does not pause.
 */
export function firstResponseOutcome(facts: EscalationFacts): SlaOutcome {
  if (!facts.sla) return null;
  const { dueAt, breachedAt } = facts.sla.firstResponse;
  if (facts.firstAssignedAt !== null) {
    return atOrBefore(facts.firstAssignedAt, dueAt) ? 'met' : 'missed';
  }
  return breachedAt !== null ? 'missed' : null;
}

/**
 * Measured once the ticket is resolved or its breach is recorded; met when it
 * is resolved, no breach was ever recorded, and the last resolution came at
 * or before the deadline as the clock stood at that moment.
 */
export function resolutionOutcome(facts: EscalationFacts): SlaOutcome {
  if (!facts.sla) return null;
  if (facts.sla.resolution.breachedAt !== null) return 'missed';
  const { resolved, lastResolvedAt, lastResolutionDueAt } = facts;
  if (!resolved || lastResolvedAt === null || lastResolutionDueAt === null) return null;
  return atOrBefore(lastResolvedAt, lastResolutionDueAt) ? 'met' : 'missed';
}

/** Whole milliseconds from the opening to the first assignment; null if never assigned. */
export function timeToFirstResponseMs(facts: EscalationFacts): number | null {
  if (facts.firstAssignedAt === null) return null;
  return Date.parse(facts.firstAssignedAt) - Date.parse(facts.openedAt);
}

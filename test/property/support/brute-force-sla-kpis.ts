import type { DatedTicketEvent, SlaTarget, SlaTerms } from '@ledger/domain';
import { nth } from '../../support/elements';
import { isBusinessMinute, targetReachedAt } from './business-minutes';

const MINUTE_MS = 60_000;

const round2 = (value: number) => Math.round(value * 100) / 100;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : round2((100 * part) / whole));

type Judged = 'met' | 'missed' | 'not measured';

const breachRecorded = (events: DatedTicketEvent[], target: SlaTarget) =>
  events.some((event) => event.type === 'SlaBreached' && event.data.target === target);

const firstAssignment = (events: DatedTicketEvent[]) =>
  events.find((event) => event.type === 'TicketAssigned');

function termsOf(events: DatedTicketEvent[]): SlaTerms {
  const opened = nth(events, 0);
  if (opened.type !== 'TicketOpened' || !opened.data.sla) throw new Error('Not under an SLA');
  return opened.data.sla;
}

/** Met when the answer came no later than the instant the target's business minutes were used up. */
const metBy = (reachedAt: number | null, answeredAt: string) =>
  reachedAt === null || Date.parse(answeredAt) <= reachedAt ? 'met' : 'missed';

function firstResponse(events: DatedTicketEvent[]): Judged {
  const assignment = firstAssignment(events);
  if (!assignment) return breachRecorded(events, 'first_response') ? 'missed' : 'not measured';
  const terms = termsOf(events);
  const reachedAt = targetReachedAt(
    nth(events, 0).occurredAt,
    assignment.occurredAt,
    terms.firstResponseMinutes,
    (minute) => isBusinessMinute(terms.calendar, minute),
  );
  return metBy(reachedAt, assignment.occurredAt);
}

/** Whether a ticket is worked on after `event`, or null if the event leaves that as it was. */
function workedOnAfter(event: DatedTicketEvent): boolean | null {
  switch (event.type) {
    case 'TicketEscalated':
    case 'TicketReopened':
      return true;
    case 'TicketResolved':
    case 'TicketClosed':
      return false;
    case 'TicketStatusChanged':
      return event.data.to === 'in_progress';
    default:
      return null;
  }
}

/**
 * Whether the ticket was worked on during the minute starting at `minute`:
 * open or in progress since its last change at or before then. Asked for
 * minutes in increasing order, it reads each event once.
 */
function workedOnDuring(events: DatedTicketEvent[]): (minute: number) => boolean {
  let workedOn = true;
  let next = 0;
  return (minute) => {
    for (; next < events.length && Date.parse(nth(events, next).occurredAt) <= minute; next++) {
      workedOn = workedOnAfter(nth(events, next)) ?? workedOn;
    }
    return workedOn;
  };
}

/**
 * Resolution time counts the business minutes in which the ticket was worked
 * on (pending, resolved and closed stretches do not count), from the opening
 * to its last resolution.
 */
function resolution(events: DatedTicketEvent[]): Judged {
  const ends = events.filter(
    (event) => event.type === 'TicketResolved' || event.type === 'TicketReopened',
  );
  const last = ends[ends.length - 1];
  if (breachRecorded(events, 'resolution')) return 'missed';
  if (last?.type !== 'TicketResolved') return 'not measured';
  const terms = termsOf(events);
  const workedOn = workedOnDuring(events);
  const reachedAt = targetReachedAt(
    nth(events, 0).occurredAt,
    last.occurredAt,
    terms.resolutionMinutes,
    (minute) => workedOn(minute) && isBusinessMinute(terms.calendar, minute),
  );
  return metBy(reachedAt, last.occurredAt);
}

function compliance(judged: Judged[]): number {
  const measured = judged.filter((each) => each !== 'not measured');
  return rate(measured.filter((each) => each === 'met').length, measured.length);
}

/**
 * The SLA and automation rows of the KPI table, straight from each ticket's
 * events. Business time is counted minute by minute off the calendar zone's
 * wall clock, not with the domain's calendar arithmetic or its clocks: nothing
 * is shared with the domain's SLA fold, the projection or the tally.
 */
export function bruteForceSlaMetrics(tickets: DatedTicketEvent[][]) {
  const underSla = tickets.filter((events) => {
    const opened = nth(events, 0);
    return opened.type === 'TicketOpened' && opened.data.sla;
  });
  const firstResponses = underSla.map(firstResponse);
  const resolutions = underSla.map(resolution);
  const breaching = underSla.filter(
    (_, index) => firstResponses[index] === 'missed' || resolutions[index] === 'missed',
  );
  const escalations = tickets.flat().filter((event) => event.type === 'TicketEscalated');
  const toFirstResponse = tickets.flatMap((events) => {
    const assignment = firstAssignment(events);
    if (!assignment) return [];
    return [
      (Date.parse(assignment.occurredAt) - Date.parse(nth(events, 0).occurredAt)) / MINUTE_MS,
    ];
  });
  return {
    slaBreachRate: rate(breaching.length, underSla.length),
    slaCompliance: {
      firstResponse: compliance(firstResponses),
      resolution: compliance(resolutions),
    },
    autoEscalations: escalations.filter((event) => event.data.auto).length,
    manualEscalations: escalations.filter((event) => !event.data.auto).length,
    meanTimeToFirstResponse:
      toFirstResponse.length === 0
        ? null
        : round2(
            toFirstResponse.reduce((sum, minutes) => sum + minutes, 0) / toFirstResponse.length,
          ),
  };
}

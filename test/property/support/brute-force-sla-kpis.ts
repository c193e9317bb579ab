import { foldTicket, type DatedTicketEvent, type SlaTarget } from '@ledger/domain';
import { nth } from '../../support/elements';

const MINUTE_MS = 60_000;

const round2 = (value: number) => Math.round(value * 100) / 100;
const rate = (part: number, whole: number) => (whole === 0 ? 0 : round2((100 * part) / whole));

type Judged = 'met' | 'missed' | 'not measured';

const breachRecorded = (events: DatedTicketEvent[], target: SlaTarget) =>
  events.some((event) => event.type === 'SlaBreached' && event.data.target === target);

const firstAssignment = (events: DatedTicketEvent[]) =>
  events.find((event) => event.type === 'TicketAssigned');

function firstResponse(events: DatedTicketEvent[]): Judged {
  const assignment = firstAssignment(events);
  if (assignment) {
    const dueAt = foldTicket(events.slice(0, 1))!.sla!.firstResponse.dueAt;
    return Date.parse(assignment.occurredAt) <= Date.parse(dueAt) ? 'met' : 'missed';
  }
  return breachRecorded(events, 'first_response') ? 'missed' : 'not measured';
}

function resolution(events: DatedTicketEvent[]): Judged {
  const ends = events.filter(
    (event) => event.type === 'TicketResolved' || event.type === 'TicketReopened',
  );
  const last = ends[ends.length - 1];
  const resolved = last?.type === 'TicketResolved';
  if (breachRecorded(events, 'resolution')) return 'missed';
  if (!resolved) return 'not measured';
  // The deadline just then, had work gone on: a ticket resolved while pending
  // has a clock standing still, whose last deadline ignores the pause so far.
  const workGoesOn: DatedTicketEvent = {
    type: 'TicketStatusChanged',
    data: { from: 'pending', to: 'in_progress' },
    occurredAt: last.occurredAt,
  };
  const before = events.slice(0, events.indexOf(last));
  const dueAt = foldTicket([...before, workGoesOn])!.sla!.resolution.dueAt;
  return Date.parse(last.occurredAt) <= Date.parse(dueAt) ? 'met' : 'missed';
}

function compliance(judged: Judged[]): number {
  const measured = judged.filter((each) => each !== 'not measured');
  return rate(measured.filter((each) => each === 'met').length, measured.length);
}

/**
 * The SLA and automation rows of the KPI table, straight from each ticket's
 * events. Deadlines are read off the domain's own fold of the events up to
 * the moment that matters (the opening, the last resolution), the way the
 * domain itself would have seen them then; nothing is shared with the
 * projection or the tally.
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

import fc from 'fast-check';
import { foldTicket, type DatedTicketEvent, type TicketCommand } from '@ledger/domain';
import { toTicketView } from '@ledger/projections';
import { Automation } from '../../apps/api/src/automation/automation';
import { startTestApp, type TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { decideScenario, ticketIdOf } from './support/scenario-log';
import { commandFor, scenario } from './support/ticket-commands.arbitrary';
import { nth } from '../support/elements';

const MINUTE_MS = 60_000;

/** The HTTP request that sends a command. */
function requestOf(ticketId: string, command: TicketCommand): { path: string; body: unknown } {
  const at = (action: string) => `/v1/tickets/${ticketId}/${action}`;
  switch (command.type) {
    case 'OpenTicket':
      return { path: '/v1/tickets', body: command.data };
    case 'AssignTicket':
      return { path: at('assign'), body: command.data };
    case 'EscalateTicket':
      return { path: at('escalate'), body: command.data };
    case 'ResolveTicket':
      return { path: at('resolve'), body: command.data };
    case 'RecordFeedback':
      return { path: at('feedback'), body: command.data };
    case 'ChangeTicketStatus':
      return { path: at('status'), body: command.data };
    case 'AddTicketNote':
      return { path: at('notes'), body: command.data };
    case 'ReopenTicket':
      return { path: at('reopen'), body: command.data };
    case 'CloseTicket':
      return { path: at('close'), body: command.data };
    case 'AutoAssignTicket':
    case 'CheckSla':
      throw new Error(`${command.type} is the automation's, not sent over HTTP`);
  }
}

/** The same instant written with another UTC offset: asOf takes any ISO 8601 form. */
function written(ms: number, zone: string): string {
  if (zone === 'Z') return new Date(ms).toISOString();
  const sign = zone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = zone.slice(1).split(':').map(Number);
  if (hours === undefined || minutes === undefined) throw new Error(`Not a UTC offset: ${zone}`);
  const offsetMs = sign * (hours * 60 + minutes) * MINUTE_MS;
  return new Date(ms + offsetMs).toISOString().replace('Z', zone);
}

/** A random instant to ask about: near one of the steps, in some time zone. */
const probe = fc.record({
  ticket: fc.nat(),
  step: fc.nat(),
  shiftMs: fc.constantFrom(-MINUTE_MS, -1, 0, 1, 30 * MINUTE_MS),
  zone: fc.constantFrom('Z', '+05:30', '-03:00'),
});

describe('a ticket as of an instant, over HTTP', () => {
  let api: TestApp;
  let automation: Automation;
  const clock = new TestClock('2026-03-01T08:00:00.000Z');
  let run = 0;

  beforeAll(async () => {
    // The SLA clock runs, so histories hold the warnings, breaches and escalations it records; no
    // agent is registered, so the assigner never acts.
    api = await startTestApp({ clock, config: { automation: 'on' } });
    automation = api.app.get(Automation);
  });
  afterAll(() => api?.close());

  it('is the fold of exactly the events that happened at or before it', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario(),
        fc.array(probe, { minLength: 1, maxLength: 12 }),
        async (generated, probes) => {
          // Runs share the app: fresh ticket ids and a later start each time.
          run += 1;
          clock.advanceMinutes(60 * 24 * 30);
          const decided = decideScenario(generated, {
            start: clock.now().toISOString(),
            run,
            slaClock: true,
          });

          for (const [index, step] of generated.steps.entries()) {
            const instant = nth(decided.instants, index);
            clock.set(instant);
            // The marks due by now land before the step, those its command makes due right after it.
            await automation.settle();
            const ticketId = ticketIdOf(step.ticket, run);
            const command = commandFor(step, ticketId, instant);
            const { path, body } = requestOf(ticketId, command);
            const answer = await api.request('POST', path, body);
            await automation.settle();
            const refusal = decided.refusals[index];
            if (refusal === null) {
              expect({ step: index, status: answer.status }).toEqual({
                step: index,
                status: command.type === 'OpenTicket' ? 201 : 200,
              });
            } else {
              expect({ step: index, status: answer.status, code: answer.body.error?.code }).toEqual(
                {
                  step: index,
                  status: refusal === 'TICKET_NOT_FOUND' ? 404 : 409,
                  code: refusal,
                },
              );
            }
          }

          const histories = new Map<string, DatedTicketEvent[]>();
          for (const ticketId of decided.ticketIds) {
            const history = await api.request('GET', `/v1/tickets/${ticketId}/history`);
            const events: DatedTicketEvent[] =
              history.status === 200
                ? history.body.events.map((event: any) => ({
                    type: event.type,
                    data: event.data,
                    occurredAt: event.occurredAt,
                  }))
                : [];
            // The log holds what the domain decided, at the instants the clock gave.
            expect(events).toEqual(decided.histories.get(ticketId) ?? []);
            histories.set(ticketId, events);
          }

          const asked: { ticketId: string; at: string }[] = probes.map((each) => {
            const ms =
              Date.parse(nth(decided.instants, each.step % decided.instants.length)) + each.shiftMs;
            return {
              ticketId: nth(decided.ticketIds, each.ticket % decided.ticketIds.length),
              at: written(ms, each.zone),
            };
          });
          // The instants of the ticket's own events, and just before them: where "inclusive" shows.
          for (const [ticketId, events] of histories) {
            for (const event of events) {
              asked.push({ ticketId, at: event.occurredAt });
              asked.push({
                ticketId,
                at: new Date(Date.parse(event.occurredAt) - 1).toISOString(),
              });
            }
          }

          for (const { ticketId, at } of asked) {
            const upTo = histories
              .get(ticketId)!
              .filter((event) => Date.parse(event.occurredAt) <= Date.parse(at));
            const ticket = foldTicket(upTo);
            const answer = await api.request(
              'GET',
              `/v1/tickets/${ticketId}?asOf=${encodeURIComponent(at)}`,
            );
            if (ticket === null) {
              expect({
                ticketId,
                at,
                status: answer.status,
                code: answer.body.error?.code,
              }).toEqual({
                ticketId,
                at,
                status: 404,
                code: 'TICKET_NOT_FOUND',
              });
            } else {
              expect({ ticketId, at, status: answer.status, view: answer.body }).toEqual({
                ticketId,
                at,
                status: 200,
                view: toTicketView(ticket),
              });
              expect(answer.headers.get('etag')).toBe(`"${ticket.version}"`);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});

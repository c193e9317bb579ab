import { RecordedLog } from '../../../../test/support/recorded-log';
import { hoursOn } from '../../../../test/support/calendars';
import fc from 'fast-check';
import {
  agentStreamId,
  compareQueuePlaces,
  DEFAULT_SLA_POLICY,
  PRIORITIES,
  foldTicket,
  slaTermsFor,
  ticketStreamId,
  type AgentEvent,
  type BusinessCalendar,
  type DatedTicketEvent,
  type Priority,
  type Status,
  type TicketEvent,
  type Tier,
  type WorkStatus,
} from '@ledger/domain';
import { datedEvent, type RecordedEvent } from '@ledger/event-store';
import { AutomationView } from './automation-view';

let log = new RecordedLog();

beforeEach(() => {
  log = new RecordedLog();
});

/** `HH:MM` UTC on Monday 5 January 2026, or on `day`. */
const at = (time: string, day = '2026-01-05') => `${day}T${time}:00.000Z`;

const agentEvent = (agentId: string, event: AgentEvent, occurredAt: string): RecordedEvent =>
  log.record(agentStreamId(agentId), event, occurredAt);
const ticketEvent = (ticketId: string, event: TicketEvent, occurredAt: string): RecordedEvent =>
  log.record(ticketStreamId(ticketId), event, occurredAt);

const registered = (agentId: string, tier: Tier, capacity: number, occurredAt: string) =>
  agentEvent(
    agentId,
    { type: 'AgentRegistered', data: { agentId, name: agentId, tier, capacity } },
    occurredAt,
  );

const online = (agentId: string, occurredAt: string) =>
  agentEvent(
    agentId,
    { type: 'AgentAvailabilityChanged', data: { from: 'offline', to: 'online' } },
    occurredAt,
  );

const offline = (agentId: string, occurredAt: string) =>
  agentEvent(
    agentId,
    { type: 'AgentAvailabilityChanged', data: { from: 'online', to: 'offline' } },
    occurredAt,
  );

/** An agent registered and online at `occurredAt`. */
const onlineAgent = (agentId: string, tier: Tier, capacity: number, occurredAt = at('08:00')) => [
  registered(agentId, tier, capacity, occurredAt),
  online(agentId, occurredAt),
];

interface Opening {
  priority?: Priority;
  vip?: boolean;
  calendar?: BusinessCalendar;
}

/** An L1 ticket opened under the default SLA policy (with `calendar`, if given). */
const opened = (
  ticketId: string,
  occurredAt: string,
  { priority = 'medium', vip = false, calendar }: Opening = {},
) =>
  ticketEvent(
    ticketId,
    {
      type: 'TicketOpened',
      data: {
        ticketId,
        subject: 'Cannot log in',
        description: '',
        channel: 'email',
        customer: { id: `customer-${ticketId}`, tier: vip ? 'vip' : 'standard' },
        category: 'account',
        priority,
        priorityReason: 'explicit',
        tier: 'L1',
        sla: slaTermsFor({ ...DEFAULT_SLA_POLICY, ...(calendar && { calendar }) }, priority),
      },
    },
    occurredAt,
  );

const assigned = (
  ticketId: string,
  agentId: string,
  occurredAt: string,
  { tier = 'L1', auto = true }: { tier?: Tier; auto?: boolean } = {},
) => ticketEvent(ticketId, { type: 'TicketAssigned', data: { agentId, tier, auto } }, occurredAt);

const escalated = (ticketId: string, fromTier: Tier, toTier: Tier, occurredAt: string) =>
  ticketEvent(
    ticketId,
    {
      type: 'TicketEscalated',
      data: { fromTier, toTier, reason: 'complexity', note: 'needs a specialist', auto: false },
    },
    occurredAt,
  );

const resolved = (ticketId: string, occurredAt: string, resolvedTier: Tier = 'L1') =>
  ticketEvent(
    ticketId,
    { type: 'TicketResolved', data: { resolution: 'fixed', resolvedTier } },
    occurredAt,
  );

const statusChanged = (ticketId: string, from: Status, to: WorkStatus, occurredAt: string) =>
  ticketEvent(ticketId, { type: 'TicketStatusChanged', data: { from, to } }, occurredAt);

const reopened = (ticketId: string, occurredAt: string) =>
  ticketEvent(ticketId, { type: 'TicketReopened', data: { reason: 'came back' } }, occurredAt);

const firstResponseWarning = (ticketId: string, warnAt: string, dueAt: string) =>
  ticketEvent(
    ticketId,
    { type: 'SlaWarning', data: { target: 'first_response', warnAt, dueAt, policyVersion: 0 } },
    warnAt,
  );

/** The ticket's own events, as folding them needs: what the automation reads to restore it. */
const datedEventsOf = (ticketId: string, events: RecordedEvent[]): DatedTicketEvent[] =>
  events
    .filter((event) => event.streamId === ticketStreamId(ticketId))
    .map((event) => datedEvent<TicketEvent>(event));

function given(...events: (RecordedEvent | RecordedEvent[])[]): AutomationView {
  const view = new AutomationView();
  for (const event of events.flat()) view.apply(event);
  return view;
}

describe('the assigner', () => {
  it('gives a waiting ticket to the online agent of its tier with the fewest open tickets', () => {
    const view = given(
      onlineAgent('ana', 'L1', 3),
      onlineAgent('bo', 'L1', 3),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:00')),
      opened('t-2', at('09:01')),
      assigned('t-2', 'ana', at('09:01')),
      opened('t-3', at('09:02')),
      assigned('t-3', 'bo', at('09:02')),
      opened('t-4', at('09:03')),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([
      { ticketId: 't-4', agentId: 'bo', tier: 'L1' },
    ]);
  });

  it('breaks a tie by the agent idle longest since their latest assignment', () => {
    const view = given(
      onlineAgent('ana', 'L1', 3),
      onlineAgent('bo', 'L1', 3),
      opened('t-1', at('09:00')),
      opened('t-2', at('09:00')),
      assigned('t-2', 'bo', at('09:05')),
      assigned('t-1', 'ana', at('09:10')),
      opened('t-3', at('09:20')),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([
      { ticketId: 't-3', agentId: 'bo', tier: 'L1' },
    ]);
  });

  it('counts an agent idle from coming online when that is later than their latest assignment', () => {
    const view = given(
      onlineAgent('ana', 'L1', 3),
      onlineAgent('bo', 'L1', 3),
      opened('t-1', at('09:00')),
      opened('t-2', at('09:00')),
      assigned('t-1', 'ana', at('09:05')),
      assigned('t-2', 'bo', at('09:10')),
      offline('ana', at('09:15')),
      online('ana', at('09:20')),
      opened('t-3', at('09:30')),
    );

    expect(view.planAssignments(at('09:40'))).toEqual([
      { ticketId: 't-3', agentId: 'bo', tier: 'L1' },
    ]);
  });

  it('passes over agents offline, of another tier or at capacity', () => {
    const view = given(
      registered('off', 'L1', 3, at('08:00')),
      onlineAgent('second-line', 'L2', 3),
      onlineAgent('full', 'L1', 1),
      opened('t-1', at('09:00')),
      assigned('t-1', 'full', at('09:00')),
      opened('t-2', at('09:05')),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([]);
  });

  it('counts its own picks as assignments: after one, a tie goes to the agent who got nothing', () => {
    const view = given(
      onlineAgent('ana', 'L1', 3),
      onlineAgent('bo', 'L1', 3),
      opened('t-0', at('09:00')),
      assigned('t-0', 'bo', at('09:00')),
      opened('t-1', at('09:10')),
      opened('t-2', at('09:11')),
    );

    // Ana takes t-1 at 09:20: both then hold one ticket, and Bo has been idle since 09:00.
    expect(view.planAssignments(at('09:20'))).toEqual([
      { ticketId: 't-1', agentId: 'ana', tier: 'L1' },
      { ticketId: 't-2', agentId: 'bo', tier: 'L1' },
    ]);
  });

  it('gives the one free place to an urgent ticket before a VIP one', () => {
    const view = given(
      onlineAgent('ana', 'L1', 1),
      opened('vip-high', at('09:00'), { priority: 'high', vip: true }),
      opened('urgent', at('09:05'), { priority: 'urgent' }),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([
      { ticketId: 'urgent', agentId: 'ana', tier: 'L1' },
    ]);
  });

  it('gives the one free place to a VIP customer before an older ticket of the same priority', () => {
    const view = given(
      onlineAgent('ana', 'L1', 1),
      opened('standard', at('09:00'), { priority: 'high' }),
      opened('vip', at('09:05'), { priority: 'high', vip: true }),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([
      { ticketId: 'vip', agentId: 'ana', tier: 'L1' },
    ]);
  });

  it('gives the one free place to the oldest of otherwise equal tickets', () => {
    const view = given(
      onlineAgent('ana', 'L1', 1),
      opened('newer', at('09:00', '2026-01-06')),
      opened('older', at('09:00')),
    );

    expect(view.planAssignments(at('10:00', '2026-01-06'))).toEqual([
      { ticketId: 'older', agentId: 'ana', tier: 'L1' },
    ]);
  });

  it('hands out waiting tickets in the domain’s queue order, which the stores’ queue pages follow too', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            ticketId: fc.stringMatching(/^[0-9a-f]{1,4}$/),
            priority: fc.constantFrom(...PRIORITIES),
            vip: fc.boolean(),
            // Few instants, so that ties fall through to VIP and id.
            openedAt: fc.constantFrom(at('09:00'), at('09:05'), at('09:00', '2026-01-06')),
          }),
          { selector: (ticket) => ticket.ticketId, minLength: 1, maxLength: 30 },
        ),
        (tickets) => {
          log = new RecordedLog();
          const view = given(
            onlineAgent('ana', 'L1', tickets.length),
            tickets.map(({ ticketId, openedAt, priority, vip }) =>
              opened(ticketId, openedAt, { priority, vip }),
            ),
          );

          const handedOut = view.planAssignments(at('10:00', '2026-01-06'));
          expect(handedOut.map((plan) => plan.ticketId)).toEqual(
            [...tickets].sort(compareQueuePlaces).map((ticket) => ticket.ticketId),
          );
        },
      ),
    );
  });

  it('plans no more tickets for an agent than their spare capacity', () => {
    const view = given(
      onlineAgent('ana', 'L1', 2),
      onlineAgent('bo', 'L1', 1),
      opened('held', at('09:00')),
      assigned('held', 'ana', at('09:00')),
      ...['t-1', 't-2', 't-3', 't-4', 't-5'].map((id, index) => opened(id, at(`09:0${index + 1}`))),
    );

    const plan = view.planAssignments(at('09:30'));

    expect(plan.map(({ ticketId }) => ticketId)).toEqual(['t-1', 't-2']);
    expect(plan.map(({ agentId }) => agentId).sort()).toEqual(['ana', 'bo']);
  });

  it('takes a ticket escalated out of a tier off that tier’s waiting list', () => {
    const view = given(
      opened('t-1', at('09:00')),
      escalated('t-1', 'L1', 'L2', at('09:10')),
      onlineAgent('ana', 'L1', 3, at('09:20')),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([]);
  });

  it('lets a ticket escalated into a tier wait there for an agent of that tier', () => {
    const view = given(
      onlineAgent('ana', 'L1', 3),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:00')),
      escalated('t-1', 'L1', 'L2', at('09:10')),
      onlineAgent('bo', 'L2', 1, at('09:20')),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([
      { ticketId: 't-1', agentId: 'bo', tier: 'L2' },
    ]);
  });

  it('frees a place when a ticket is escalated away from its agent', () => {
    const view = given(
      onlineAgent('ana', 'L1', 1),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:00')),
      opened('t-2', at('09:05')),
      escalated('t-1', 'L1', 'L2', at('09:10')),
    );

    expect(view.planAssignments(at('09:30'))).toEqual([
      { ticketId: 't-2', agentId: 'ana', tier: 'L1' },
    ]);
  });

  it('frees a place when an agent’s ticket is resolved', () => {
    const events = [
      onlineAgent('ana', 'L1', 1),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:00')),
      opened('t-2', at('09:05')),
    ].flat();
    const view = given(events);
    expect(view.planAssignments(at('09:10'))).toEqual([]);

    view.apply(resolved('t-1', at('09:30')));

    expect(view.planAssignments(at('09:40'))).toEqual([
      { ticketId: 't-2', agentId: 'ana', tier: 'L1' },
    ]);
  });

  it('counts a ticket assigned by hand toward the agent’s load', () => {
    const view = given(
      onlineAgent('ana', 'L1', 2),
      onlineAgent('bo', 'L1', 2),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:01'), { auto: false }),
      opened('t-2', at('09:05')),
    );

    expect(view.loads()).toContainEqual({ agentId: 'ana', capacity: 2, open: 1 });
    expect(view.planAssignments(at('09:30'))).toEqual([
      { ticketId: 't-2', agentId: 'bo', tier: 'L1' },
    ]);
  });

  it('gives nothing more to an agent assigned up to capacity by hand', () => {
    const view = given(
      onlineAgent('ana', 'L1', 1),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:01'), { auto: false }),
      opened('t-2', at('09:02')),
      assigned('t-2', 'ana', at('09:03'), { auto: false }),
      opened('t-3', at('09:04')),
    );

    expect(view.loads()).toEqual([{ agentId: 'ana', capacity: 1, open: 2 }]);
    expect(view.planAssignments(at('09:30'))).toEqual([]);
  });
});

describe('the SLA clock’s schedule', () => {
  // Urgent under the default policy: answered in 15 minutes (warned at 12), resolved in 4 hours.

  it('hands over a ticket once its warning instant is reached, and not before', () => {
    const view = given(opened('t-1', at('09:00'), { priority: 'urgent' }));

    expect(view.takeDueSla('2026-01-05T09:11:59.999Z')).toEqual([]);
    expect(view.takeDueSla(at('09:12'))).toEqual(['t-1']);
  });

  it('hands over a ticket once, and not again after its warning is recorded', () => {
    const view = given(opened('t-1', at('09:00'), { priority: 'urgent' }));
    expect(view.takeDueSla(at('09:12'))).toEqual(['t-1']);
    expect(view.takeDueSla(at('09:13'))).toEqual([]);

    view.apply(firstResponseWarning('t-1', at('09:12'), at('09:15')));

    expect(view.takeDueSla(at('09:12'))).toEqual([]);
    expect(view.takeDueSla('2026-01-05T09:14:59.999Z')).toEqual([]);
  });

  it('hands over a ticket again when the retry of a mark it could not record falls due', () => {
    const view = given(opened('t-1', at('09:00'), { priority: 'urgent' }));
    expect(view.takeDueSla(at('09:12'))).toEqual(['t-1']);

    view.retryLater('t-1', '2026-01-05T09:12:05.000Z');

    expect(view.takeDueSla('2026-01-05T09:12:04.999Z')).toEqual([]);
    expect(view.takeDueSla('2026-01-05T09:12:05.000Z')).toEqual(['t-1']);
    expect(view.takeDueSla(at('09:13'))).toEqual([]);
  });

  it('hands over a warned ticket again when its breach falls due', () => {
    const view = given(opened('t-1', at('09:00'), { priority: 'urgent' }));
    view.takeDueSla(at('09:12'));
    view.apply(firstResponseWarning('t-1', at('09:12'), at('09:15')));

    expect(view.takeDueSla(at('09:15'))).toEqual(['t-1']);
  });

  it('does not hand over a pending ticket: its resolution clock is stopped', () => {
    const view = given(
      opened('t-1', at('09:00'), { priority: 'urgent' }),
      assigned('t-1', 'ana', at('09:01')),
      statusChanged('t-1', 'open', 'pending', at('09:02')),
    );

    expect(view.takeDueSla(at('13:30'))).toEqual([]);
  });

  it('moves the resolution warning later by the time spent pending', () => {
    const view = given(
      opened('t-1', at('09:00'), { priority: 'urgent' }),
      assigned('t-1', 'ana', at('09:01')),
      statusChanged('t-1', 'open', 'pending', at('09:02')),
      statusChanged('t-1', 'pending', 'in_progress', at('14:00')),
    );

    // 2 of the 192 minutes to the warning ran before the pause: 190 are left from 14:00.
    expect(view.takeDueSla('2026-01-05T17:09:59.999Z')).toEqual([]);
    expect(view.takeDueSla(at('17:10'))).toEqual(['t-1']);
  });

  it('counts only business hours, across a night, a weekend and a holiday', () => {
    const paris: BusinessCalendar = {
      timeZone: 'Europe/Paris',
      hours: hoursOn('09:00', '17:00'),
      holidays: ['2026-01-12'],
    };
    // Friday 16:00 in Paris (UTC+1); medium is answered in 4 business hours, warned after 3 h 12.
    const view = given(opened('t-1', at('15:00', '2026-01-09'), { calendar: paris }));

    // One hour on Friday; the other 2 h 12 from Tuesday 09:00 in Paris, Monday being a holiday.
    expect(view.takeDueSla(at('18:12', '2026-01-09'))).toEqual([]);
    expect(view.takeDueSla(at('10:12', '2026-01-12'))).toEqual([]);
    expect(view.takeDueSla('2026-01-13T10:11:59.999Z')).toEqual([]);
    expect(view.takeDueSla(at('10:12', '2026-01-13'))).toEqual(['t-1']);
  });
});

describe('ended and reopened tickets', () => {
  it('forgets a resolved ticket, and lists it to restore when it is reopened', () => {
    const view = given(
      onlineAgent('ana', 'L1', 2),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:01')),
      resolved('t-1', at('09:30')),
    );
    expect(view.ticket('t-1')).toBeUndefined();
    expect(view.loads()).toEqual([{ agentId: 'ana', capacity: 2, open: 0 }]);

    view.apply(reopened('t-1', at('10:00')));

    expect([...view.toRestore]).toEqual(['t-1']);
  });

  it('takes an assignment recorded before a reopened ticket is restored as its agent’s latest', () => {
    const history = [
      onlineAgent('ana', 'L1', 3),
      onlineAgent('bo', 'L1', 3),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:01')),
      opened('t-2', at('09:02')),
      assigned('t-2', 'bo', at('09:03')),
      opened('t-3', at('09:04')),
      assigned('t-3', 'ana', at('09:05')),
      resolved('t-1', at('09:30')),
      reopened('t-1', at('10:00')),
      assigned('t-1', 'bo', at('10:05'), { auto: false }),
      resolved('t-2', at('10:10')),
      opened('t-4', at('10:20')),
    ].flat();
    const view = given(history);

    view.restore(foldTicket(datedEventsOf('t-1', history)));

    // One open ticket each: Ana has had nothing since 09:05, Bo got t-1 at 10:05.
    expect(view.planAssignments(at('10:30'))).toEqual([
      { ticketId: 't-4', agentId: 'ana', tier: 'L1' },
    ]);
  });

  it('counts a restored ticket again toward its agent', () => {
    const history = [
      onlineAgent('ana', 'L1', 2),
      opened('t-1', at('09:00')),
      assigned('t-1', 'ana', at('09:01')),
      resolved('t-1', at('09:30')),
      reopened('t-1', at('10:00')),
    ].flat();
    const view = given(history);

    view.restore(foldTicket(datedEventsOf('t-1', history)));

    expect(view.toRestore.size).toBe(0);
    expect(view.ticket('t-1')).toMatchObject({ status: 'open', assigneeId: 'ana' });
    expect(view.loads()).toEqual([{ agentId: 'ana', capacity: 2, open: 1 }]);
  });
});

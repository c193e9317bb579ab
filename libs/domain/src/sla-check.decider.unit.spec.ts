import { DEFAULT_SLA_POLICY, slaTermsFor } from './sla/sla-policy';
import { createTicketDecider } from './ticket.decider';
import type { TicketEvent } from './ticket.events';
import { deciderSpecification } from './testing/decider-specification';

// The specification dates the n-th given event 2026-01-01 09:0n UTC.
const spec = deciderSpecification(createTicketDecider());
const opened: TicketEvent = {
  type: 'TicketOpened',
  data: {
    ticketId: 't-1',
    subject: 'Checkout fails',
    description: '',
    channel: 'chat',
    customer: { id: 'c-1', tier: 'standard' },
    category: 'payments',
    priority: 'urgent',
    priorityReason: 'explicit',
    tier: 'L1',
    sla: slaTermsFor(DEFAULT_SLA_POLICY, 'urgent'),
  },
};
const assigned: TicketEvent = {
  type: 'TicketAssigned',
  data: { agentId: 'ana', tier: 'L1', auto: false },
};
const check = (now: string) => ({ type: 'CheckSla', data: { now } }) as const;
const day = (time: string) => `2026-01-01T${time}:00.000Z`;

const firstResponseWarning: TicketEvent = {
  type: 'SlaWarning',
  data: { target: 'first_response', warnAt: day('09:12'), dueAt: day('09:15'), policyVersion: 0 },
};
const firstResponseBreach: TicketEvent = {
  type: 'SlaBreached',
  data: { target: 'first_response', dueAt: day('09:15'), policyVersion: 0 },
};
const resolutionWarning: TicketEvent = {
  type: 'SlaWarning',
  data: { target: 'resolution', warnAt: day('12:12'), dueAt: day('13:00'), policyVersion: 0 },
};
const resolutionBreach: TicketEvent = {
  type: 'SlaBreached',
  data: { target: 'resolution', dueAt: day('13:00'), policyVersion: 0 },
};
const autoEscalation = (fromTier: 'L1' | 'L2', toTier: 'L2' | 'L3', note: string): TicketEvent => ({
  type: 'TicketEscalated',
  data: { fromTier, toTier, reason: 'sla_breach', note, auto: true },
});
const warnedNote = `Resolution target 80 % elapsed (due ${day('13:00')})`;
const breachedNote = `Resolution target passed (due ${day('13:00')})`;

describe('the SLA clock looking at a ticket', () => {
  it('records nothing before the warning share has elapsed', () => {
    spec
      .given([opened])
      .when(check(day('09:11')))
      .then([]);
  });

  it('warns when 80 % of the first-response target has elapsed', () => {
    spec
      .given([opened])
      .when(check(day('09:12')))
      .then([firstResponseWarning]);
  });

  it('records a breach once the first-response target has passed unanswered', () => {
    spec
      .given([opened, firstResponseWarning])
      .when(check(day('09:20')))
      .then([firstResponseBreach]);
  });

  it('owes both marks at once after a long silence, the warning first', () => {
    spec
      .given([opened])
      .when(check(day('09:16')))
      .then([firstResponseWarning, firstResponseBreach]);
  });

  it('marks each target once in the ticket’s life', () => {
    spec
      .given([opened, firstResponseWarning, firstResponseBreach])
      .when(check(day('09:30')))
      .then([]);
  });

  it('owes no first-response mark once the ticket is assigned', () => {
    spec
      .given([opened, assigned])
      .when(check(day('09:20')))
      .then([]);
  });

  it('escalates one tier at the resolution warning', () => {
    spec
      .given([opened, assigned])
      .when(check(day('12:12')))
      .then([resolutionWarning, autoEscalation('L1', 'L2', warnedNote)]);
  });

  it('escalates once more at the resolution breach', () => {
    spec
      .given([
        opened,
        assigned,
        resolutionWarning,
        autoEscalation('L1', 'L2', warnedNote),
        { type: 'TicketAssigned', data: { agentId: 'bo', tier: 'L2', auto: true } },
      ])
      .when(check(day('13:00')))
      .then([resolutionBreach, autoEscalation('L2', 'L3', breachedNote)]);
  });

  it('does not escalate over a person who escalated since the previous mark', () => {
    spec
      .given([
        opened,
        assigned,
        resolutionWarning,
        autoEscalation('L1', 'L2', warnedNote),
        {
          type: 'TicketEscalated',
          data: { fromTier: 'L2', toTier: 'L3', reason: 'complexity', note: 'db', auto: false },
        },
      ])
      .when(check(day('13:00')))
      .then([resolutionBreach]);
  });

  it('does not escalate past the top tier', () => {
    spec
      .given([
        opened,
        assigned,
        {
          type: 'TicketEscalated',
          data: {
            fromTier: 'L1',
            toTier: 'MANAGEMENT',
            reason: 'crisis',
            note: 'press',
            auto: false,
          },
        },
        resolutionWarning,
      ])
      .when(check(day('13:00')))
      .then([resolutionBreach]);
  });

  it('owes nothing on a pending ticket', () => {
    spec
      .given([
        opened,
        assigned,
        { type: 'TicketStatusChanged', data: { from: 'open', to: 'pending' } },
      ])
      .when(check(day('23:00')))
      .then([]);
  });

  it('owes nothing on a resolved ticket', () => {
    spec
      .given([
        opened,
        assigned,
        { type: 'TicketResolved', data: { resolution: 'ok', resolvedTier: 'L1' } },
      ])
      .when(check(day('23:00')))
      .then([]);
  });

  it('owes nothing on a ticket opened before SLA policies', () => {
    const unmeasured = { ...opened, data: { ...opened.data, sla: undefined } } as TicketEvent;
    spec
      .given([unmeasured])
      .when(check(day('23:00')))
      .then([]);
  });
});

describe('the assigner’s choice', () => {
  const autoAssign = (tier: 'L1' | 'L2' = 'L1') =>
    ({ type: 'AutoAssignTicket', data: { agentId: 'cy', tier } }) as const;

  it('assigns a ticket waiting unassigned in the tier, marked automatic', () => {
    spec
      .given([opened])
      .when(autoAssign())
      .then([{ type: 'TicketAssigned', data: { agentId: 'cy', tier: 'L1', auto: true } }]);
  });

  it('records nothing when a person assigned the ticket first', () => {
    spec.given([opened, assigned]).when(autoAssign()).then([]);
  });

  it('records nothing when the ticket left the tier', () => {
    spec
      .given([
        opened,
        {
          type: 'TicketEscalated',
          data: { fromTier: 'L1', toTier: 'L2', reason: 'complexity', note: 'x', auto: false },
        },
      ])
      .when(autoAssign('L1'))
      .then([]);
  });

  it('records nothing on a resolved ticket', () => {
    spec
      .given([opened, { type: 'TicketResolved', data: { resolution: 'ok', resolvedTier: 'L1' } }])
      .when(autoAssign())
      .then([]);
  });
});

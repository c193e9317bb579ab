import { DEFAULT_SLA_POLICY, slaTermsFor } from './sla/sla-policy';
import { createTicketDecider, MAX_NOTES_PER_TICKET } from './ticket.decider';
import type { TicketEvent, TicketOpened } from './ticket.events';
import { deciderSpecification } from './testing/decider-specification';

const spec = deciderSpecification(createTicketDecider());
const ticketId = '7b0c2f6e-1c1e-4a53-9a43-0c9f7a3f1b11';

const opened = (overrides: Partial<TicketOpened['data']> = {}): TicketOpened => ({
  type: 'TicketOpened',
  data: {
    sla: slaTermsFor(DEFAULT_SLA_POLICY, overrides.priority ?? 'medium'),
    ticketId,
    subject: 'Cannot export invoices',
    description: 'The export button does nothing',
    channel: 'email',
    customer: { id: 'c-1', name: 'Ada', tier: 'standard' },
    category: 'billing',
    priority: 'medium',
    priorityReason: 'default',
    tier: 'L1',
    ...overrides,
  },
});
const assigned = (agentId = 'agent-1', tier: 'L1' | 'L2' = 'L1'): TicketEvent => ({
  type: 'TicketAssigned',
  data: { agentId, tier, auto: false },
});
const escalated = (
  fromTier: 'L1' | 'L2' | 'L3',
  toTier: 'L2' | 'L3' | 'MANAGEMENT',
): TicketEvent => ({
  type: 'TicketEscalated',
  data: { fromTier, toTier, reason: 'complexity', note: 'tried a restart', auto: false },
});
const resolved: TicketEvent = {
  type: 'TicketResolved',
  data: { resolution: 'fixed', resolvedTier: 'L1' },
};
const closed: TicketEvent = { type: 'TicketClosed', data: {} };
const reopened: TicketEvent = { type: 'TicketReopened', data: { reason: 'came back' } };
const feedback: TicketEvent = { type: 'FeedbackReceived', data: { score: 4 } };

const open = (
  data: Partial<
    Extract<import('./ticket.commands').TicketCommand, { type: 'OpenTicket' }>['data']
  > = {},
) =>
  ({
    type: 'OpenTicket',
    data: {
      ticketId,
      subject: 'Cannot export invoices',
      description: 'The export button does nothing',
      channel: 'email',
      customer: { id: 'c-1', name: 'Ada' },
      category: 'billing',
      ...data,
    },
  }) as const;

describe('opening a ticket', () => {
  it('opens at L1 with the explicit priority', () =>
    spec
      .given([])
      .when(open({ priority: 'low' }))
      .then([opened({ priority: 'low', priorityReason: 'explicit' })]));

  it('defaults the priority to medium and the customer to standard', () =>
    spec.given([]).when(open()).then([opened()]));

  it('takes the priority of a keyword found in the subject', () =>
    spec
      .given([])
      .when(open({ subject: 'Site is DOWN for everyone' }))
      .then([
        opened({
          subject: 'Site is DOWN for everyone',
          priority: 'urgent',
          priorityReason: 'keyword:down',
        }),
      ]));

  it('does not match a keyword inside another word', () =>
    spec
      .given([])
      .when(open({ subject: 'Download fails' }))
      .then([opened({ subject: 'Download fails' })]));

  it('raises the priority one level for a VIP customer', () =>
    spec
      .given([])
      .when(open({ customer: { id: 'c-1', name: 'Ada', tier: 'vip' } }))
      .then([
        opened({
          customer: { id: 'c-1', name: 'Ada', tier: 'vip' },
          priority: 'high',
          priorityReason: 'vip',
        }),
      ]));

  it('raises a keyword priority for a VIP customer and keeps the keyword as the reason', () =>
    spec
      .given([])
      .when(open({ description: 'I want a refund', customer: { id: 'c-1', tier: 'vip' } }))
      .then([
        opened({
          description: 'I want a refund',
          customer: { id: 'c-1', tier: 'vip' },
          priority: 'urgent',
          priorityReason: 'keyword:refund',
        }),
      ]));

  it('applies a keyword rule only on the channels it names', () => {
    const chatOnly = deciderSpecification(
      createTicketDecider({
        priorityRules: {
          keywords: [{ keyword: 'outage', priority: 'urgent', channels: ['chat'] }],
          vipBump: true,
        },
      }),
    );
    chatOnly
      .given([])
      .when(open({ subject: 'Outage on the portal', channel: 'chat' }))
      .then([
        opened({
          subject: 'Outage on the portal',
          channel: 'chat',
          priority: 'urgent',
          priorityReason: 'keyword:outage',
        }),
      ]);
    chatOnly
      .given([])
      .when(open({ subject: 'Outage on the portal', channel: 'email' }))
      .then([opened({ subject: 'Outage on the portal' })]);
  });

  it('leaves a VIP customer at the derived priority without the VIP bump', () =>
    deciderSpecification(createTicketDecider({ priorityRules: { keywords: [], vipBump: false } }))
      .given([])
      .when(open({ customer: { id: 'c-1', name: 'Ada', tier: 'vip' } }))
      .then([opened({ customer: { id: 'c-1', name: 'Ada', tier: 'vip' } })]));

  it('refuses to open a ticket twice', () =>
    spec.given([opened()]).when(open()).thenThrows('TICKET_ALREADY_EXISTS'));

  it('refuses a ticket for an erased customer', () =>
    spec
      .given([])
      .when(open(), { slaPolicy: DEFAULT_SLA_POLICY, customerErased: true })
      .thenThrows('CUSTOMER_ERASED'));

  it('opens a ticket for a customer who was not erased', () =>
    spec
      .given([])
      .when(open(), { slaPolicy: DEFAULT_SLA_POLICY, customerErased: false })
      .then([opened()]));
});

describe('commands on a ticket that was never opened', () => {
  it('answer not found', () =>
    spec
      .given([])
      .when({ type: 'AssignTicket', data: { agentId: 'a' } })
      .thenThrows('TICKET_NOT_FOUND'));
});

describe('assigning', () => {
  it('assigns to an agent of the current tier', () =>
    spec
      .given([opened()])
      .when({ type: 'AssignTicket', data: { agentId: 'agent-1' } })
      .then([assigned('agent-1')]));

  it('records nothing when the agent already holds the ticket', () =>
    spec
      .given([opened(), assigned('agent-1')])
      .when({ type: 'AssignTicket', data: { agentId: 'agent-1' } })
      .then([]));

  it('needs a resolved ticket to be reopened first', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'AssignTicket', data: { agentId: 'a' } })
      .thenThrows('REOPEN_REQUIRED'));

  it('refuses a closed ticket', () =>
    spec
      .given([opened(), closed])
      .when({ type: 'AssignTicket', data: { agentId: 'a' } })
      .thenThrows('TICKET_CLOSED'));
});

describe('escalating', () => {
  const note = 'restarted the service, cleared the cache';
  it('goes to the next tier by default', () =>
    spec
      .given([opened(), assigned()])
      .when({ type: 'EscalateTicket', data: { reason: 'complexity', note } })
      .then([
        {
          type: 'TicketEscalated',
          data: { fromTier: 'L1', toTier: 'L2', reason: 'complexity', note, auto: false },
        },
      ]));

  it('may skip a tier', () =>
    spec
      .given([opened()])
      .when({ type: 'EscalateTicket', data: { toTier: 'L3', reason: 'crisis', note } })
      .then([
        {
          type: 'TicketEscalated',
          data: { fromTier: 'L1', toTier: 'L3', reason: 'crisis', note, auto: false },
        },
      ]));

  it('never goes down or sideways', () =>
    spec
      .given([opened(), escalated('L1', 'L3')])
      .when({ type: 'EscalateTicket', data: { toTier: 'L2', reason: 'other', note } })
      .thenThrows('ESCALATION_NOT_UPWARD'));

  it('stops at management', () =>
    spec
      .given([opened(), escalated('L1', 'MANAGEMENT')])
      .when({ type: 'EscalateTicket', data: { reason: 'other', note } })
      .thenThrows('ALREADY_AT_TOP_TIER'));

  it('needs a resolved ticket to be reopened first', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'EscalateTicket', data: { reason: 'other', note } })
      .thenThrows('REOPEN_REQUIRED'));

  it('refuses a closed ticket', () =>
    spec
      .given([opened(), closed])
      .when({ type: 'EscalateTicket', data: { reason: 'other', note } })
      .thenThrows('TICKET_CLOSED'));

  it('leaves the ticket unassigned in its new tier, so the next assignment is recorded', () =>
    spec
      .given([opened(), assigned('agent-1'), escalated('L1', 'L2')])
      .when({ type: 'AssignTicket', data: { agentId: 'agent-1' } })
      .then([assigned('agent-1', 'L2')]));
});

describe('resolving', () => {
  it('records the tier it was resolved at and the judgement on the escalation', () =>
    spec
      .given([opened(), escalated('L1', 'L2')])
      .when({
        type: 'ResolveTicket',
        data: { resolution: 'patched', rootCause: 'bug', escalationNecessary: true },
      })
      .then([
        {
          type: 'TicketResolved',
          data: {
            resolution: 'patched',
            rootCause: 'bug',
            resolvedTier: 'L2',
            escalationNecessary: true,
          },
        },
      ]));

  it('refuses a ticket already resolved', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'ResolveTicket', data: { resolution: 'again' } })
      .thenThrows('TICKET_ALREADY_RESOLVED'));

  it('refuses a closed ticket', () =>
    spec
      .given([opened(), closed])
      .when({ type: 'ResolveTicket', data: { resolution: 'x' } })
      .thenThrows('TICKET_CLOSED'));
});

describe('feedback', () => {
  it('is taken on a resolved ticket', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'RecordFeedback', data: { score: 5, comment: 'quick' } })
      .then([{ type: 'FeedbackReceived', data: { score: 5, comment: 'quick' } }]));

  it('is taken on a closed ticket', () =>
    spec
      .given([opened(), closed])
      .when({ type: 'RecordFeedback', data: { score: 2 } })
      .then([{ type: 'FeedbackReceived', data: { score: 2 } }]));

  it('is refused while the ticket is open', () =>
    spec
      .given([opened()])
      .when({ type: 'RecordFeedback', data: { score: 3 } })
      .thenThrows('TICKET_NOT_RESOLVED'));

  it('is taken once in the ticket life, even after a reopen', () =>
    spec
      .given([opened(), resolved, feedback, reopened, resolved])
      .when({ type: 'RecordFeedback', data: { score: 1 } })
      .thenThrows('FEEDBACK_ALREADY_RECEIVED'));

  it('must be a whole score from 1 to 5', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'RecordFeedback', data: { score: 6 } })
      .thenThrows('INVALID_FEEDBACK_SCORE'));
});

describe('status changes', () => {
  it('moves an open ticket to pending', () =>
    spec
      .given([opened()])
      .when({ type: 'ChangeTicketStatus', data: { status: 'pending' } })
      .then([{ type: 'TicketStatusChanged', data: { from: 'open', to: 'pending' } }]));

  it('records nothing when the status is already the one asked', () =>
    spec
      .given([opened(), { type: 'TicketStatusChanged', data: { from: 'open', to: 'in_progress' } }])
      .when({ type: 'ChangeTicketStatus', data: { status: 'in_progress' } })
      .then([]));

  it('needs a resolved ticket to be reopened first', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'ChangeTicketStatus', data: { status: 'pending' } })
      .thenThrows('REOPEN_REQUIRED'));
});

describe('notes', () => {
  it('are added to a resolved ticket', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'AddTicketNote', data: { body: 'fyi' } })
      .then([{ type: 'TicketNoteAdded', data: { body: 'fyi' } }]));

  it('are refused on a closed ticket', () =>
    spec
      .given([opened(), closed])
      .when({ type: 'AddTicketNote', data: { body: 'fyi' } })
      .thenThrows('TICKET_CLOSED'));

  const notes = (count: number): TicketEvent[] =>
    Array.from({ length: count }, (_, index) => ({
      type: 'TicketNoteAdded',
      data: { body: `note ${index + 1}` },
    }));

  it('are taken up to the limit of 1,000 a ticket', () =>
    spec
      .given([opened(), ...notes(MAX_NOTES_PER_TICKET - 1)])
      .when({ type: 'AddTicketNote', data: { body: 'the last one' } })
      .then([{ type: 'TicketNoteAdded', data: { body: 'the last one' } }]));

  it('are refused past the limit: NOTE_LIMIT_REACHED', () =>
    spec
      .given([opened(), ...notes(MAX_NOTES_PER_TICKET)])
      .when({ type: 'AddTicketNote', data: { body: 'one more' } })
      .thenThrows('NOTE_LIMIT_REACHED'));

  it('count before and after a reopen alike', () =>
    spec
      .given([opened(), ...notes(600), resolved, reopened, ...notes(MAX_NOTES_PER_TICKET - 600)])
      .when({ type: 'AddTicketNote', data: { body: 'one more' } })
      .thenThrows('NOTE_LIMIT_REACHED'));

  it('do not count the note an escalation carries', () =>
    spec
      .given([opened(), escalated('L1', 'L2'), ...notes(MAX_NOTES_PER_TICKET - 1)])
      .when({ type: 'AddTicketNote', data: { body: 'the last one' } })
      .then([{ type: 'TicketNoteAdded', data: { body: 'the last one' } }]));
});

describe('reopening', () => {
  it('reopens a resolved ticket', () =>
    spec
      .given([opened(), resolved])
      .when({ type: 'ReopenTicket', data: { reason: 'came back' } })
      .then([reopened]));

  it('reopens a closed ticket', () =>
    spec
      .given([opened(), closed])
      .when({ type: 'ReopenTicket', data: { reason: 'came back' } })
      .then([reopened]));

  it('refuses a ticket that is still open', () =>
    spec
      .given([opened()])
      .when({ type: 'ReopenTicket', data: { reason: 'x' } })
      .thenThrows('TICKET_NOT_REOPENABLE'));

  it('keeps the tier, so a reopened L2 ticket escalates from L2', () =>
    spec
      .given([opened(), escalated('L1', 'L2'), resolved, reopened])
      .when({ type: 'EscalateTicket', data: { reason: 'other', note: 'n' } })
      .then([
        {
          type: 'TicketEscalated',
          data: { fromTier: 'L2', toTier: 'L3', reason: 'other', note: 'n', auto: false },
        },
      ]));
});

describe('closing', () => {
  it('closes an open ticket with a reason', () =>
    spec
      .given([opened()])
      .when({ type: 'CloseTicket', data: { reason: 'spam' } })
      .then([{ type: 'TicketClosed', data: { reason: 'spam' } }]));

  it('closes a resolved ticket', () =>
    spec.given([opened(), resolved]).when({ type: 'CloseTicket', data: {} }).then([closed]));

  it('refuses a ticket already closed', () =>
    spec
      .given([opened(), closed])
      .when({ type: 'CloseTicket', data: {} })
      .thenThrows('TICKET_CLOSED'));
});

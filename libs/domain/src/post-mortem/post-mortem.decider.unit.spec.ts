import { deciderSpecification, givenEventTime } from '../testing/decider-specification';
import {
  decidePostMortem,
  evolvePostMortem,
  postMortemStatus,
  type PostMortemState,
  type PostMortemTicket,
} from './post-mortem.decider';
import type { PostMortemCommand, PostMortemEvent, RecordPostMortem } from './post-mortem.events';

const { given: givenHistory } = deciderSpecification({
  initialState: (): PostMortemState => null,
  evolve: evolvePostMortem,
  decide: decidePostMortem,
});

/** As `deciderSpecification`'s, the ticket resolved after an escalation unless `when` says otherwise. */
function given(history: PostMortemEvent[]) {
  const specified = givenHistory(history);
  return {
    state: specified.state,
    when: (command: PostMortemCommand, ticket: PostMortemTicket = resolvedEscalation) =>
      specified.when(command, ticket),
  };
}

const resolvedEscalation: PostMortemTicket = { customerId: 'c-1', escalated: true, ended: true };

const written = {
  ticketId: 't-1',
  participants: [{ agentId: 'ana', role: 'first responder' }],
  rootCause: 'billing.double-charge',
  wentWell: 'The refund went out the same day',
  toImprove: 'L1 could have seen the duplicate in the ledger',
};

const training = {
  kind: 'training',
  description: 'Show L1 the payment ledger',
  owner: 'ben',
  dueDate: '2026-02-01',
} as const;

const runbook = {
  kind: 'documentation',
  description: 'Write the refund runbook',
  owner: 'ana',
  dueDate: '2026-01-30',
} as const;

const record = (actions: RecordPostMortem['data']['actions'] = []): RecordPostMortem => ({
  type: 'RecordPostMortem',
  data: { ...written, actions },
});

const recorded: PostMortemEvent = {
  type: 'PostMortemRecorded',
  data: { ...written, customerId: 'c-1' },
};
const planned: PostMortemEvent = {
  type: 'PostMortemActionPlanned',
  data: { actionId: 'a1', ...training },
};
const done: PostMortemEvent = { type: 'PostMortemActionDone', data: { actionId: 'a1' } };
const dropped: PostMortemEvent = {
  type: 'PostMortemActionDropped',
  data: { actionId: 'a1', reason: 'The ledger is being replaced' },
};

describe('a post-mortem', () => {
  it('is recorded on an escalated ticket once it is resolved, its actions numbered', () => {
    given([])
      .when(record([training]))
      .then([recorded, planned]);
  });

  it('is refused on a ticket that was never escalated, one still worked on, or none', () => {
    given([])
      .when(record(), { ...resolvedEscalation, escalated: false })
      .thenThrows('TICKET_NOT_ESCALATED');
    given([])
      .when(record(), { ...resolvedEscalation, ended: false })
      .thenThrows('TICKET_NOT_RESOLVED');
    given([]).when(record(), null).thenThrows('TICKET_NOT_FOUND');
  });

  it('is amended: a corrected root cause records it again, and new actions follow the last number', () => {
    given([recorded, planned])
      .when({
        type: 'RecordPostMortem',
        data: { ...written, rootCause: 'billing.gateway-retry', actions: [training, runbook] },
      })
      .then([
        {
          type: 'PostMortemRecorded',
          data: { ...recorded.data, rootCause: 'billing.gateway-retry' },
        },
        { type: 'PostMortemActionPlanned', data: { actionId: 'a2', ...runbook } },
      ]);
  });

  it('records nothing when sent again as it is, its actions named or not', () => {
    given([recorded, planned])
      .when(record([{ actionId: 'a1', ...training }]))
      .then([]);
    given([recorded, planned])
      .when(record([training]))
      .then([]);
  });

  it('changes an open action named by its id', () => {
    given([recorded, planned])
      .when(record([{ actionId: 'a1', ...training, dueDate: '2026-03-01' }]))
      .then([
        { type: 'PostMortemActionPlanned', data: { ...planned.data, dueDate: '2026-03-01' } },
      ]);
  });

  it('does not change a closed action, nor name one it does not have', () => {
    given([recorded, planned, done])
      .when(record([{ actionId: 'a1', ...training, owner: 'dee' }]))
      .thenThrows('ACTION_CLOSED');
    given([recorded])
      .when(record([{ actionId: 'a9', ...training }]))
      .thenThrows('ACTION_NOT_FOUND');
  });

  it('holds at most 100 actions', () => {
    given([recorded])
      .when(
        record(Array.from({ length: 101 }, (_, index) => ({ ...training, owner: `o${index}` }))),
      )
      .thenThrows('ACTION_LIMIT_REACHED');
  });

  it('is open while an action is open, complete once each is done or dropped', () => {
    expect(postMortemStatus(given([recorded, planned]).state!)).toBe('open');
    expect(postMortemStatus(given([recorded, planned, done]).state!)).toBe('complete');
    expect(postMortemStatus(given([recorded]).state!)).toBe('complete');
  });

  it('keeps when it was first recorded and when it was last amended', () => {
    const { state } = given([recorded, planned, recorded]);
    expect(state).toMatchObject({
      recordedAt: givenEventTime(0),
      amendedAt: givenEventTime(2),
      version: 3,
    });
  });
});

describe('an action', () => {
  it('is done once: done again records nothing', () => {
    given([recorded, planned])
      .when({ type: 'CompletePostMortemAction', data: { actionId: 'a1' } })
      .then([done]);
    given([recorded, planned, done])
      .when({ type: 'CompletePostMortemAction', data: { actionId: 'a1' } })
      .then([]);
  });

  it('is dropped with a reason, and then is not done', () => {
    given([recorded, planned])
      .when({ type: 'DropPostMortemAction', data: dropped.data })
      .then([dropped]);
    given([recorded, planned, dropped])
      .when({ type: 'CompletePostMortemAction', data: { actionId: 'a1' } })
      .thenThrows('ACTION_CLOSED');
    given([recorded, planned, done])
      .when({ type: 'DropPostMortemAction', data: dropped.data })
      .thenThrows('ACTION_CLOSED');
  });

  it('keeps when it was closed and why it was dropped', () => {
    const action = given([recorded, planned, dropped]).state!.actions[0];
    expect(action).toMatchObject({
      state: 'dropped',
      closedAt: givenEventTime(2),
      dropReason: 'The ledger is being replaced',
    });
  });

  it('is not found without a post-mortem, nor under an unknown id', () => {
    given([])
      .when({ type: 'CompletePostMortemAction', data: { actionId: 'a1' } })
      .thenThrows('POST_MORTEM_NOT_FOUND');
    given([recorded])
      .when({ type: 'DropPostMortemAction', data: { actionId: 'a7', reason: 'x' } })
      .thenThrows('ACTION_NOT_FOUND');
  });
});

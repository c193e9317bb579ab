import type { RecordedEvent } from '@ledger/event-store';
import type { PostMortemEvent, TicketEvent } from '@ledger/domain';
import type { PostMortemDocument } from '@ledger/read-store';
import { RecordedLog } from '../../../test/support/recorded-log';
import { postMortemsProjection } from './post-mortems.projection';

const log = new RecordedLog();
const minute = (at: number) => new Date(Date.UTC(2026, 0, 5, 9, at)).toISOString();
const ticket = (at: number, event: TicketEvent) => log.record('ticket-t-1', event, minute(at));
const postMortem = (at: number, event: PostMortemEvent) =>
  log.record('post-mortem-t-1', event, minute(at));

const opened: TicketEvent = {
  type: 'TicketOpened',
  data: {
    ticketId: 't-1',
    subject: 'Charged twice',
    description: '',
    channel: 'email',
    customer: { id: 'c', tier: 'standard' },
    category: 'billing',
    priority: 'urgent',
    priorityReason: 'explicit',
    tier: 'L1',
  },
};
const escalate = (toTier: 'L2' | 'MANAGEMENT'): TicketEvent => ({
  type: 'TicketEscalated',
  data: { fromTier: 'L1', toTier, reason: 'crisis', note: 'n', auto: false },
});
const recorded: PostMortemEvent = {
  type: 'PostMortemRecorded',
  data: {
    ticketId: 't-1',
    customerId: 'c',
    participants: [{ agentId: 'ana', role: 'r' }],
    rootCause: 'billing.double-charge',
    wentWell: 'w',
    toImprove: 'i',
  },
};
const planned: PostMortemEvent = {
  type: 'PostMortemActionPlanned',
  data: { actionId: 'a1', kind: 'product', description: 'd', owner: 'ben', dueDate: '2026-02-01' },
};

function project(events: RecordedEvent[]): PostMortemDocument | null {
  return events.reduce<PostMortemDocument | null>(
    (doc, event) =>
      postMortemsProjection.source.accepts(event) ? postMortemsProjection.apply(doc, event) : doc,
    null,
  );
}

describe('the post-mortems projection', () => {
  it('folds the ticket’s stream and its post-mortem’s into one document under the ticket id', () => {
    const events = [ticket(0, opened), postMortem(5, recorded)];
    expect(
      events.map((event) => postMortemsProjection.source.documentIdOf(event as never)),
    ).toEqual(['t-1', 't-1']);
    expect(
      events.map((event) =>
        postMortemsProjection.source.sharedDocuments!.startsDocument(event as never),
      ),
    ).toEqual([true, false]);
  });

  it('records the triggers: MANAGEMENT, a second escalation, a breach while urgent', () => {
    const doc = project([
      ticket(0, opened),
      ticket(1, escalate('MANAGEMENT')),
      ticket(2, {
        type: 'SlaBreached',
        data: { target: 'resolution', dueAt: 'd', policyVersion: 1 },
      }),
      ticket(3, escalate('L2')),
    ]);
    expect(doc).toMatchObject({
      reachedManagement: true,
      urgentBreach: true,
      escalationCount: 2,
      lastEscalatedAt: minute(3),
    });
  });

  it('dates the end at the resolution, forgets it at a reopen, keeps the resolution’s root cause', () => {
    const resolved = project([
      ticket(0, opened),
      ticket(1, escalate('L2')),
      ticket(2, {
        type: 'TicketResolved',
        data: { resolution: 'r', rootCause: 'network', resolvedTier: 'L2' },
      }),
    ]);
    expect(resolved).toMatchObject({ endedAt: minute(2), resolutionRootCause: 'network' });
    expect(
      project([
        ticket(0, opened),
        ticket(2, { type: 'TicketResolved', data: { resolution: 'r', resolvedTier: 'L1' } }),
        ticket(3, { type: 'TicketReopened', data: { reason: 'back' } }),
      ])?.endedAt,
    ).toBeNull();
  });

  it('is complete once every action is closed, open again when one is added', () => {
    const base = [ticket(0, opened), ticket(1, escalate('L2')), postMortem(2, recorded)];
    expect(project(base)?.postMortem).toMatchObject({ completedAt: minute(2), actions: [] });
    const withAction = [...base, postMortem(3, planned)];
    expect(project(withAction)?.postMortem).toMatchObject({
      completedAt: null,
      actions: [{ actionId: 'a1', state: 'open', owner: 'ben', dueDate: '2026-02-01' }],
    });
    const done = [
      ...withAction,
      postMortem(7, { type: 'PostMortemActionDone', data: { actionId: 'a1' } }),
    ];
    expect(project(done)?.postMortem).toMatchObject({
      completedAt: minute(7),
      actions: [{ state: 'done', closedAt: minute(7) }],
    });
  });
});

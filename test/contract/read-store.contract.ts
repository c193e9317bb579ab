import fc from 'fast-check';
import { hoursOn } from '../support/calendars';
import {
  compareQueuePlaces,
  KPI_GROUPINGS,
  PRIORITIES,
  queuePlaceOf,
  tallyEscalations,
  type EscalationFacts,
  type Priority,
  type SlaTerms,
  type Status,
  type TicketEvent,
  type Tier,
} from '@ledger/domain';
import {
  LeaseLostError,
  PostMortemCounter,
  UnknownGenerationError,
  type AgentDocument,
  type AlertDocument,
  type DocumentChange,
  type PostMortemActionFacts,
  type PostMortemCountsOfGroup,
  type PostMortemDocument,
  type PostMortemFacts,
  type ProjectionName,
  type QueueKey,
  type ReadModelDocuments,
  type ReadStore,
  type TicketDocument,
  type TicketSearch,
  type WorkloadDocument,
} from '@ledger/read-store';
import {
  escalatedTicketPostMortem,
  factsOfHistory,
  inAnyOrder,
  openedTicketFacts,
} from '../support/escalation-facts';
import { ticketOpened } from '../support/test-events';
import { describeUnless } from '../support/describe-unless';
import { nth } from '../support/elements';

export interface OpenedReadStore {
  store: ReadStore;
  cleanup: () => Promise<void>;
}

let ticketCount = 0;

/** Ids sort in creation order, so tie-breaks are predictable. */
function nextTicketId(): string {
  ticketCount += 1;
  return `t-${String(ticketCount).padStart(4, '0')}`;
}

function aTicket(overrides: Partial<TicketDocument> = {}): TicketDocument {
  return {
    ticketId: nextTicketId(),
    subject: 'Cannot log in',
    description: 'The password reset mail never arrives',
    channel: 'email',
    customer: { id: 'c-1', name: 'Ada', tier: 'standard' },
    category: 'account',
    priority: 'medium',
    priorityReason: 'explicit',
    status: 'open',
    tier: 'L1',
    assigneeId: null,
    escalationCount: 0,
    openedAt: '2025-03-01T09:00:00.000Z',
    updatedAt: '2025-03-01T09:00:00.000Z',
    resolvedAt: null,
    csat: null,
    sla: null,
    lastActivityAt: '2025-03-01T09:00:00.000Z',
    lastManualEscalationAt: null,
    noteCount: 0,
    version: 1,
    ...overrides,
  };
}

function aVipTicket(overrides: Partial<TicketDocument> = {}): TicketDocument {
  return aTicket({ customer: { id: 'c-vip', name: 'Grace', tier: 'vip' }, ...overrides });
}

function aWorkload(overrides: Partial<WorkloadDocument> = {}): WorkloadDocument {
  return {
    ticketId: nextTicketId(),
    tier: 'L1',
    status: 'open',
    assigneeId: null,
    openedAt: '2025-03-01T09:00:00.000Z',
    ...overrides,
  };
}

function someFacts(overrides: Partial<EscalationFacts> = {}): EscalationFacts {
  return openedTicketFacts({ ticketId: nextTicketId(), ...overrides });
}

/** The facts the projection folds from an opening (under `sla`, if given) and `steps`. */
function factsOfTicket(
  openedAt: string,
  sla: SlaTerms | null,
  steps: [at: string, event: TicketEvent][] = [],
): EscalationFacts {
  const ticketId = nextTicketId();
  const opened = ticketOpened(ticketId);
  const opening = { ...opened, data: { ...opened.data, ...(sla && { sla }) } };
  return factsOfHistory(
    [[openedAt, opening] as const, ...steps].map(([occurredAt, event]) => ({
      ...event,
      occurredAt,
    })),
  );
}

function changesOf<Doc extends { ticketId: string } | { agentId: string }>(
  docs: readonly Doc[],
): DocumentChange<Doc>[] {
  return docs.map((doc) => ({ id: 'ticketId' in doc ? doc.ticketId : doc.agentId, doc }));
}

const keyOf = (ticket: TicketDocument): QueueKey => queuePlaceOf(ticket);

/** The domain's queue order: every store's queue pages must follow it. */
function queueOrder(a: TicketDocument, b: TicketDocument): number {
  return compareQueuePlaces(queuePlaceOf(a), queuePlaceOf(b));
}

const ids = (docs: readonly { ticketId: string }[]) => docs.map((doc) => doc.ticketId);

/** Newest opened first, then by ticket id, descending: the search order. */
function searchOrder(a: TicketDocument, b: TicketDocument): number {
  return b.openedAt.localeCompare(a.openedAt) || b.ticketId.localeCompare(a.ticketId);
}

/** What a search should find, worked out with array code. */
function expectedSearch(tickets: readonly TicketDocument[], search: TicketSearch): string[] {
  const found = tickets.filter(
    (ticket) =>
      (search.tier === undefined || ticket.tier === search.tier) &&
      (search.status === undefined || ticket.status === search.status) &&
      (search.priority === undefined || ticket.priority === search.priority) &&
      (search.category === undefined || ticket.category === search.category) &&
      (search.channel === undefined || ticket.channel === search.channel) &&
      (search.assigneeId === undefined || ticket.assigneeId === search.assigneeId) &&
      (search.customerId === undefined || ticket.customer.id === search.customerId) &&
      (search.openedFrom === undefined || ticket.openedAt >= search.openedFrom) &&
      (search.openedTo === undefined || ticket.openedAt < search.openedTo) &&
      (search.escalated === undefined || ticket.escalationCount > 0 === search.escalated),
  );
  return ids([...found].sort(searchOrder).slice(0, search.limit));
}

/** Tallies with their per-ticket durations sorted: those come in no particular order. */

/**
 * The behaviour every ReadStore adapter must show. `open` gives an empty
 * store; the tests speak only through the port.
 */
export function describeReadStoreContract(
  adapterName: string,
  open: () => Promise<OpenedReadStore>,
  /** Why the adapter cannot be reached in this run; its cases are then reported as skipped. */
  skipReason?: string,
): void {
  describeUnless(skipReason, `ReadStore contract: ${adapterName}`, () => {
    let store: ReadStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await open());
    });

    afterEach(async () => {
      await cleanup();
    });

    /** Fills a new generation with `docs` and makes it the one queries read. */
    async function serve<N extends ProjectionName>(
      name: N,
      docs: readonly ReadModelDocuments[N][],
      position = '1',
    ): Promise<number> {
      const { generation } = await store.createGeneration(name, 1);
      await store.commit(name, generation, changesOf(docs), position);
      await store.activateGeneration(name, generation);
      return generation;
    }

    describe('generations', () => {
      it('a new store has no generation of any read model', async () => {
        await expect(store.registration('queues')).resolves.toEqual({
          name: 'queues',
          active: undefined,
          building: undefined,
        });
      });

      it('creates a building generation that has applied no event yet', async () => {
        const created = await store.createGeneration('ticket-view', 3);

        expect(created).toEqual({
          name: 'ticket-view',
          generation: expect.any(Number),
          projectionVersion: 3,
          position: undefined,
        });
        const registration = await store.registration('ticket-view');
        expect(registration.building).toEqual(created);
        expect(registration.active).toBeUndefined();
      });

      it('numbers each new generation above the ones before it', async () => {
        const first = await serve('ticket-view', []);
        const second = await store.createGeneration('ticket-view', 2);

        expect(second.generation).toBeGreaterThan(first);
      });

      it('refuses a second building generation of the same read model', async () => {
        await store.createGeneration('queues', 1);

        await expect(store.createGeneration('queues', 2)).rejects.toThrow();
      });

      it('keeps each read model’s generations apart', async () => {
        await store.createGeneration('queues', 1);

        const registration = await store.registration('tier-workload');
        expect(registration.building).toBeUndefined();
      });

      it('activation makes the building generation the active one, keeping its position', async () => {
        const { generation } = await store.createGeneration('queues', 4);
        await store.commit('queues', generation, [], '17');

        await store.activateGeneration('queues', generation);

        await expect(store.registration('queues')).resolves.toEqual({
          name: 'queues',
          active: { name: 'queues', generation, projectionVersion: 4, position: '17' },
          building: undefined,
        });
      });

      it('activation replaces the previously active generation', async () => {
        await serve('ticket-view', [], '5');
        const { generation } = await store.createGeneration('ticket-view', 2);

        await store.activateGeneration('ticket-view', generation);

        const registration = await store.registration('ticket-view');
        expect(registration.active?.generation).toBe(generation);
        expect(registration.active?.projectionVersion).toBe(2);
        expect(registration.building).toBeUndefined();
      });

      it('refuses to activate a generation that does not exist', async () => {
        await expect(store.activateGeneration('queues', 99)).rejects.toBeInstanceOf(
          UnknownGenerationError,
        );
      });

      it('discarding a building generation leaves the active one serving', async () => {
        const ticket = aTicket();
        const active = await serve('ticket-view', [ticket]);
        const { generation } = await store.createGeneration('ticket-view', 2);

        await store.discardGeneration('ticket-view', generation);

        const registration = await store.registration('ticket-view');
        expect(registration.building).toBeUndefined();
        expect(registration.active?.generation).toBe(active);
        await expect(store.getTicket(ticket.ticketId)).resolves.toEqual(ticket);
      });

      it('refuses commits to a discarded generation', async () => {
        const { generation } = await store.createGeneration('ticket-view', 1);
        await store.discardGeneration('ticket-view', generation);

        await expect(
          store.commit('ticket-view', generation, changesOf([aTicket()]), '3'),
        ).rejects.toBeInstanceOf(UnknownGenerationError);
      });
    });

    describe('writing documents', () => {
      it('a commit stores the documents and the checkpoint together', async () => {
        const ticket = aTicket();
        const { generation } = await store.createGeneration('ticket-view', 1);

        await store.commit('ticket-view', generation, changesOf([ticket]), '42');

        const loaded = await store.loadDocuments('ticket-view', generation, [ticket.ticketId]);
        expect(loaded.get(ticket.ticketId)).toEqual(ticket);
        const registration = await store.registration('ticket-view');
        expect(registration.building?.position).toBe('42');
      });

      it('loads the committed documents asked for and omits unknown ids', async () => {
        const [first, second, third] = [aWorkload(), aWorkload(), aWorkload()];
        const { generation } = await store.createGeneration('tier-workload', 1);
        await store.commit('tier-workload', generation, changesOf([first, second, third]), '3');

        const loaded = await store.loadDocuments('tier-workload', generation, [
          first.ticketId,
          'no-such-ticket',
          third.ticketId,
        ]);

        expect(loaded).toEqual(
          new Map([
            [first.ticketId, first],
            [third.ticketId, third],
          ]),
        );
      });

      it('loading no ids gives an empty map', async () => {
        const { generation } = await store.createGeneration('queues', 1);

        await expect(store.loadDocuments('queues', generation, [])).resolves.toEqual(new Map());
      });

      it.each(['ticket-view', 'queues'] as const)(
        'finds the %s documents of a customer, as committed',
        async (name) => {
          const ada = (overrides: Partial<TicketDocument> = {}) =>
            aTicket({ customer: { id: 'c-ada', name: 'Ada', tier: 'standard' }, ...overrides });
          const [first, second, other] = [ada(), ada(), aTicket()];
          const { generation } = await store.createGeneration(name, 1);
          await store.commit(name, generation, changesOf([first, second, other]), '1');
          await store.commit(name, generation, [{ id: second.ticketId, doc: null }], '2');

          expect(await store.ticketIdsOfCustomer(name, generation, 'c-ada')).toEqual([
            first.ticketId,
          ]);
          expect(await store.ticketIdsOfCustomer(name, generation, 'C-ADA')).toEqual([]);
        },
      );

      it('a later commit replaces a document', async () => {
        const facts = someFacts();
        const { generation } = await store.createGeneration('escalation-kpis', 1);
        await store.commit('escalation-kpis', generation, changesOf([facts]), '1');
        const escalated = { ...facts, escalationCount: 1, escalationReasons: { complexity: 1 } };

        await store.commit('escalation-kpis', generation, changesOf([escalated]), '2');

        const loaded = await store.loadDocuments('escalation-kpis', generation, [facts.ticketId]);
        expect(loaded.get(facts.ticketId)).toEqual(escalated);
        expect((await store.registration('escalation-kpis')).building?.position).toBe('2');
      });

      it('a null change deletes the document', async () => {
        const [kept, removed] = [aTicket(), aTicket()];
        const { generation } = await store.createGeneration('ticket-view', 1);
        await store.commit('ticket-view', generation, changesOf([kept, removed]), '1');

        await store.commit('ticket-view', generation, [{ id: removed.ticketId, doc: null }], '2');

        const loaded = await store.loadDocuments('ticket-view', generation, [
          kept.ticketId,
          removed.ticketId,
        ]);
        expect([...loaded.keys()]).toEqual([kept.ticketId]);
      });

      it('a failed commit stores neither documents nor checkpoint', async () => {
        const good = aTicket();
        const unstorable = aTicket() as TicketDocument & { self?: unknown };
        unstorable.self = unstorable;
        const { generation } = await store.createGeneration('ticket-view', 1);

        await expect(
          store.commit('ticket-view', generation, changesOf([good, unstorable]), '9'),
        ).rejects.toThrow();

        const loaded = await store.loadDocuments('ticket-view', generation, [good.ticketId]);
        expect(loaded.size).toBe(0);
        expect((await store.registration('ticket-view')).building?.position).toBeUndefined();
      });
    });

    describe('queries read the active generation', () => {
      it('answer empty while a read model has no active generation', async () => {
        await store.createGeneration('ticket-view', 1);

        await expect(store.getTicket('t-unknown')).resolves.toBeUndefined();
        await expect(store.queue({ tier: 'L1', limit: 10 })).resolves.toEqual([]);
        await expect(store.searchTickets({ limit: 10 })).resolves.toEqual([]);
        await expect(store.escalationFacts({})).resolves.toEqual([]);
        expect((await store.escalationTallies({})).totals.ticketsOpened).toBe(0);
        const workloads = await store.workloads();
        expect(workloads.every((tier) => tier.open === 0 && tier.agents.length === 0)).toBe(true);
      });

      it('documents of a building generation stay invisible until it is activated', async () => {
        const ticket = aTicket();
        const { generation } = await store.createGeneration('ticket-view', 1);
        await store.commit('ticket-view', generation, changesOf([ticket]), '1');

        await expect(store.getTicket(ticket.ticketId)).resolves.toBeUndefined();
        await store.activateGeneration('ticket-view', generation);
        await expect(store.getTicket(ticket.ticketId)).resolves.toEqual(ticket);
      });

      it('after a rebuild is activated, the old generation’s documents are gone', async () => {
        const dropped = aTicket();
        const rebuilt = aTicket();
        await serve('ticket-view', [dropped]);

        await serve('ticket-view', [rebuilt]);

        await expect(store.getTicket(dropped.ticketId)).resolves.toBeUndefined();
        await expect(store.getTicket(rebuilt.ticketId)).resolves.toEqual(rebuilt);
      });

      it('the active generation keeps serving while a rebuild fills another', async () => {
        const old = aTicket({ tier: 'L2' });
        await serve('queues', [old]);
        const { generation } = await store.createGeneration('queues', 2);

        await store.commit('queues', generation, changesOf([aTicket({ tier: 'L2' })]), '5');

        expect(ids(await store.queue({ tier: 'L2', limit: 10 }))).toEqual([old.ticketId]);
      });

      it('finds a ticket by id in the ticket view', async () => {
        const ticket = aTicket({ subject: 'Refund twice' });
        await serve('ticket-view', [ticket]);

        await expect(store.getTicket(ticket.ticketId)).resolves.toEqual(ticket);
        await expect(store.getTicket('t-unknown')).resolves.toBeUndefined();
      });
    });

    describe('queue', () => {
      it('puts urgent tickets first and low ones last', async () => {
        const tickets = ['low', 'high', 'urgent', 'medium'].map((priority) =>
          aTicket({ priority: priority as Priority }),
        );
        await serve('queues', tickets);

        const queue = await store.queue({ tier: 'L1', limit: 10 });

        expect(queue.map((ticket) => ticket.priority)).toEqual([...PRIORITIES]);
      });

      it('puts VIP customers first within a priority, not above a higher priority', async () => {
        const standardHigh = aTicket({ priority: 'high' });
        const vipHigh = aVipTicket({ priority: 'high', openedAt: '2025-03-02T00:00:00.000Z' });
        const vipMedium = aVipTicket({ priority: 'medium' });
        const standardUrgent = aTicket({ priority: 'urgent' });
        await serve('queues', [standardHigh, vipHigh, vipMedium, standardUrgent]);

        const queue = await store.queue({ tier: 'L1', limit: 10 });

        expect(ids(queue)).toEqual(ids([standardUrgent, vipHigh, standardHigh, vipMedium]));
      });

      it('puts older tickets first, and breaks ties by ticket id', async () => {
        const newer = aTicket({ openedAt: '2025-03-01T10:00:00.000Z' });
        const atNineLowerId = aTicket({ openedAt: '2025-03-01T09:00:00.000Z' });
        const atNineHigherId = aTicket({ openedAt: '2025-03-01T09:00:00.000Z' });
        const older = aTicket({ openedAt: '2025-03-01T08:00:00.000Z' });
        await serve('queues', [newer, atNineHigherId, atNineLowerId, older]);

        const queue = await store.queue({ tier: 'L1', limit: 10 });

        expect(ids(queue)).toEqual(ids([older, atNineLowerId, atNineHigherId, newer]));
      });

      it('holds only the tickets of the tier asked for', async () => {
        const l2 = aTicket({ tier: 'L2' });
        await serve('queues', [aTicket({ tier: 'L1' }), l2, aTicket({ tier: 'L3' })]);

        expect(ids(await store.queue({ tier: 'L2', limit: 10 }))).toEqual([l2.ticketId]);
      });

      it('leaves out resolved and closed tickets', async () => {
        const worked = (['open', 'in_progress', 'pending'] as Status[]).map((status) =>
          aTicket({ status }),
        );
        const ended = (['resolved', 'closed'] as Status[]).map((status) => aTicket({ status }));
        await serve('queues', [...worked, ...ended]);

        expect(ids(await store.queue({ tier: 'L1', limit: 10 }))).toEqual(ids(worked));
      });

      it('follows a ticket that moves to another tier', async () => {
        const ticket = aTicket({ tier: 'L1' });
        const generation = await serve('queues', [ticket]);

        await store.commit('queues', generation, changesOf([{ ...ticket, tier: 'L2' }]), '2');

        await expect(store.queue({ tier: 'L1', limit: 10 })).resolves.toEqual([]);
        expect(ids(await store.queue({ tier: 'L2', limit: 10 }))).toEqual([ticket.ticketId]);
      });

      it('filters by status', async () => {
        const pending = aTicket({ status: 'pending' });
        await serve('queues', [
          aTicket({ status: 'open' }),
          pending,
          aTicket({ status: 'in_progress' }),
        ]);

        const queue = await store.queue({ tier: 'L1', status: 'pending', limit: 10 });

        expect(ids(queue)).toEqual([pending.ticketId]);
      });

      it('filters by priority', async () => {
        const [high, otherHigh] = [aTicket({ priority: 'high' }), aVipTicket({ priority: 'high' })];
        await serve('queues', [aTicket({ priority: 'urgent' }), high, otherHigh, aTicket()]);

        const queue = await store.queue({ tier: 'L1', priority: 'high', limit: 10 });

        expect(ids(queue)).toEqual(ids([otherHigh, high]));
      });

      it('filters assigned and unassigned tickets', async () => {
        const assigned = aTicket({ assigneeId: 'agent-1' });
        const unassigned = aTicket({ assigneeId: null });
        await serve('queues', [assigned, unassigned]);

        expect(ids(await store.queue({ tier: 'L1', assigned: true, limit: 10 }))).toEqual([
          assigned.ticketId,
        ]);
        expect(ids(await store.queue({ tier: 'L1', assigned: false, limit: 10 }))).toEqual([
          unassigned.ticketId,
        ]);
      });

      it('returns at most `limit` tickets, from the head of the queue', async () => {
        const low = aTicket({ priority: 'low' });
        const urgent = aTicket({ priority: 'urgent' });
        const normal = aTicket();
        await serve('queues', [low, urgent, normal]);

        const queue = await store.queue({ tier: 'L1', limit: 2 });

        expect(ids(queue)).toEqual(ids([urgent, normal]));
      });

      it('pages after a key walk the whole queue without gaps or repeats', async () => {
        const tickets: TicketDocument[] = [];
        for (let i = 0; i < 23; i += 1) {
          const make = i % 3 === 0 ? aVipTicket : aTicket;
          tickets.push(
            make({
              priority: PRIORITIES[i % 4],
              // Few distinct instants, so ties fall back on vip rank and id.
              openedAt: `2025-03-0${1 + (i % 2)}T09:00:00.000Z`,
            }),
          );
        }
        await serve('queues', tickets);

        const walked: string[] = [];
        let page = await store.queue({ tier: 'L1', limit: 4 });
        // Bounded, so a store that repeats items fails instead of looping forever.
        while (page.length > 0 && walked.length <= tickets.length) {
          walked.push(...ids(page));
          const after = keyOf(nth(page, -1));
          page = await store.queue({ tier: 'L1', limit: 4, after });
        }

        expect(walked).toEqual(ids([...tickets].sort(queueOrder)));
      });

      it('pages through random queues in the domain’s queue order, as the assigner hands them out', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.array(
              fc.record({
                priority: fc.constantFrom(...PRIORITIES),
                vip: fc.boolean(),
                day: fc.integer({ min: 1, max: 3 }),
              }),
              { minLength: 1, maxLength: 25 },
            ),
            fc.integer({ min: 1, max: 7 }),
            async (drawn, limit) => {
              const tier = 'L1';
              // Each run serves a generation of its own, replacing the one before.
              const tickets = drawn.map(({ priority, vip, day }) =>
                (vip ? aVipTicket : aTicket)({
                  priority,
                  openedAt: `2025-03-0${day}T09:00:00.000Z`,
                }),
              );
              await serve('queues', tickets);
              const walked: string[] = [];
              let page = await store.queue({ tier, limit });
              while (page.length > 0 && walked.length <= tickets.length) {
                walked.push(...ids(page));
                page = await store.queue({ tier, limit, after: keyOf(page.at(-1)!) });
              }
              expect(walked).toEqual(ids([...tickets].sort(queueOrder)));
            },
          ),
          { numRuns: 20 },
        );
      });

      it('pages after a key also apply the filters', async () => {
        const unassigned = [1, 2, 3].map((day) =>
          aTicket({ openedAt: `2025-03-0${day}T09:00:00.000Z` }),
        );
        const assigned = aTicket({ openedAt: '2025-03-02T10:00:00.000Z', assigneeId: 'agent-1' });
        await serve('queues', [...unassigned, assigned]);

        const queue = await store.queue({
          tier: 'L1',
          assigned: false,
          limit: 10,
          after: keyOf(nth(unassigned, 0)),
        });

        expect(ids(queue)).toEqual(ids(unassigned.slice(1)));
      });
    });

    describe('ticket search', () => {
      const day = (n: number) => `2025-03-${String(n).padStart(2, '0')}T09:00:00.000Z`;
      /** Tickets with every searchable field varied, several opened at the same instant. */
      const varied = () =>
        Array.from({ length: 24 }, (_, i) =>
          aTicket({
            tier: (['L1', 'L2', 'L3', 'MANAGEMENT'] as const)[i % 4],
            status: (['open', 'in_progress', 'pending', 'resolved', 'closed'] as const)[i % 5],
            priority: PRIORITIES[i % 3],
            category: i % 2 === 0 ? 'billing' : 'access',
            channel: i % 3 === 0 ? 'chat' : 'email',
            assigneeId: i % 4 === 0 ? null : `agent-${i % 3}`,
            customer: { id: `c-${i % 5}`, tier: 'standard' },
            openedAt: day(1 + (i % 6)),
            escalationCount: i % 7 === 0 ? 0 : i % 3,
          }),
        );

      it('lists the tickets newest opened first, then by ticket id, descending', async () => {
        const tickets = varied();
        await serve('ticket-view', tickets);

        expect(ids(await store.searchTickets({ limit: 100 }))).toEqual(
          expectedSearch(tickets, { limit: 100 }),
        );
      });

      it.each<[string, Omit<TicketSearch, 'limit'>]>([
        ['tier', { tier: 'L2' }],
        ['status', { status: 'pending' }],
        ['priority', { priority: 'urgent' }],
        ['category', { category: 'billing' }],
        ['channel', { channel: 'chat' }],
        ['assignee', { assigneeId: 'agent-1' }],
        ['customer', { customerId: 'c-3' }],
        ['escalated', { escalated: true }],
        ['never escalated', { escalated: false }],
        ['opened from (inclusive)', { openedFrom: day(3) }],
        ['opened before (exclusive)', { openedTo: day(3) }],
        [
          'several filters at once',
          { category: 'billing', escalated: true, openedFrom: day(2), openedTo: day(6) },
        ],
      ])('filters by %s', async (_, filters) => {
        const tickets = varied();
        await serve('ticket-view', tickets);

        const expected = expectedSearch(tickets, { ...filters, limit: 100 });

        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(tickets.length);
        expect(ids(await store.searchTickets({ ...filters, limit: 100 }))).toEqual(expected);
      });

      it('finds tickets whatever their status, resolved and closed included', async () => {
        const resolved = aTicket({ status: 'resolved' });
        const closed = aTicket({ status: 'closed' });
        await serve('ticket-view', [resolved, closed]);

        expect(ids(await store.searchTickets({ limit: 10 })).sort()).toEqual(
          ids([resolved, closed]).sort(),
        );
      });

      it('pages after a key walk every match without gaps or repeats', async () => {
        const tickets = varied();
        await serve('ticket-view', tickets);
        const filters = { category: 'billing' };

        const walked: string[] = [];
        let page = await store.searchTickets({ ...filters, limit: 4 });
        // Bounded, so a store that repeats items fails instead of looping forever.
        while (page.length > 0 && walked.length <= tickets.length) {
          walked.push(...ids(page));
          const last = nth(page, -1);
          const after = { openedAt: last.openedAt, ticketId: last.ticketId };
          page = await store.searchTickets({ ...filters, limit: 4, after });
        }

        expect(walked).toEqual(expectedSearch(tickets, { ...filters, limit: 100 }));
      });

      it('follows a ticket whose fields change', async () => {
        const ticket = aTicket({ tier: 'L1', assigneeId: 'agent-1' });
        const generation = await serve('ticket-view', [ticket]);

        const escalated = { ...ticket, tier: 'L2' as const, assigneeId: null, escalationCount: 1 };
        await store.commit('ticket-view', generation, changesOf([escalated]), '2');

        expect(await store.searchTickets({ tier: 'L1', limit: 10 })).toEqual([]);
        expect(await store.searchTickets({ assigneeId: 'agent-1', limit: 10 })).toEqual([]);
        expect(await store.searchTickets({ tier: 'L2', escalated: true, limit: 10 })).toEqual([
          escalated,
        ]);
      });
    });

    describe('workloads', () => {
      it('lists every tier in ladder order, with zeros where there is no ticket', async () => {
        await serve('tier-workload', [aWorkload({ tier: 'L2' })]);

        const workloads = await store.workloads();

        expect(workloads.map((tier) => tier.tier)).toEqual(['L1', 'L2', 'L3', 'MANAGEMENT']);
        expect(workloads[0]).toEqual({
          tier: 'L1',
          open: 0,
          unassigned: 0,
          pending: 0,
          oldestOpenedAt: null,
          agents: [],
        });
      });

      it('counts the open, unassigned and pending tickets of each tier', async () => {
        await serve('tier-workload', [
          aWorkload({ tier: 'L1', openedAt: '2025-03-02T00:00:00.000Z' }),
          aWorkload({ tier: 'L1', status: 'pending', assigneeId: 'agent-1' }),
          aWorkload({
            tier: 'L1',
            status: 'in_progress',
            assigneeId: 'agent-1',
            openedAt: '2025-02-27T00:00:00.000Z',
          }),
          aWorkload({ tier: 'L1', status: 'resolved', openedAt: '2025-01-01T00:00:00.000Z' }),
          aWorkload({ tier: 'L1', status: 'closed', assigneeId: 'agent-2' }),
          aWorkload({ tier: 'L3', status: 'pending', openedAt: '2025-03-05T00:00:00.000Z' }),
        ]);

        const byTier = new Map((await store.workloads()).map((tier) => [tier.tier, tier]));

        expect(byTier.get('L1')).toMatchObject({
          open: 3,
          unassigned: 1,
          pending: 1,
          oldestOpenedAt: '2025-02-27T00:00:00.000Z',
        });
        expect(byTier.get('L3')).toMatchObject({
          open: 1,
          unassigned: 1,
          pending: 1,
          oldestOpenedAt: '2025-03-05T00:00:00.000Z',
        });
      });

      it('counts each agent’s open tickets per tier, busiest first, then by agent id', async () => {
        const assigned = (tier: Tier, assigneeId: string, status: Status = 'open') =>
          aWorkload({ tier, assigneeId, status });
        await serve('tier-workload', [
          assigned('L1', 'bob'),
          assigned('L1', 'carol'),
          assigned('L1', 'carol'),
          assigned('L1', 'alice'),
          assigned('L1', 'dave', 'resolved'),
          assigned('L2', 'bob', 'pending'),
          aWorkload({ tier: 'L1' }),
        ]);

        const byTier = new Map((await store.workloads()).map((tier) => [tier.tier, tier]));

        expect(byTier.get('L1')?.agents).toEqual([
          { agentId: 'carol', open: 2 },
          { agentId: 'alice', open: 1 },
          { agentId: 'bob', open: 1 },
        ]);
        expect(byTier.get('L2')?.agents).toEqual([{ agentId: 'bob', open: 1 }]);
        expect(byTier.get('MANAGEMENT')?.agents).toEqual([]);
      });
    });

    describe('agents', () => {
      const anAgent = (agentId: string, tier: Tier, overrides: Partial<AgentDocument> = {}) => ({
        agentId,
        name: agentId.toUpperCase(),
        tier,
        capacity: 3,
        availability: 'online' as const,
        registeredAt: '2025-03-01T09:00:00.000Z',
        availabilityChangedAt: '2025-03-01T09:00:00.000Z',
        version: 1,
        ...overrides,
      });

      it('lists every agent, lowest tier first, then by id', async () => {
        await serve('agents', [anAgent('zoe', 'L1'), anAgent('bo', 'L3'), anAgent('al', 'L1')]);

        const agents = await store.agents();

        expect(agents.map((agent) => agent.agentId)).toEqual(['al', 'zoe', 'bo']);
        expect(agents[0]).toEqual(anAgent('al', 'L1'));
      });

      it('has no agents before the read model exists', async () => {
        expect(await store.agents()).toEqual([]);
      });

      it('gives each agent asked about the tickets still worked on that are assigned to them', async () => {
        const older = aWorkload({ assigneeId: 'al', openedAt: '2025-02-01T00:00:00.000Z' });
        const newer = aWorkload({ assigneeId: 'al', status: 'pending', tier: 'L2' });
        await serve('tier-workload', [
          newer,
          older,
          aWorkload({ assigneeId: 'al', status: 'resolved' }),
          aWorkload({ assigneeId: 'al', status: 'closed' }),
          aWorkload({ assigneeId: 'bo' }),
          aWorkload({ assigneeId: 'not-asked' }),
        ]);

        const open = await store.openTicketsByAgent(['al', 'bo', 'cy']);

        expect(open).toEqual(
          new Map([
            ['al', [older.ticketId, newer.ticketId]],
            ['bo', [expect.any(String)]],
            ['cy', []],
          ]),
        );
      });
    });

    describe('alerts', () => {
      const anAlert = (overrides: Partial<AlertDocument> = {}): AlertDocument => ({
        ticketId: nextTicketId(),
        priority: 'high',
        tier: 'L1',
        status: 'open',
        assigneeId: null,
        lastActivityAt: '2025-03-01T09:00:00.000Z',
        sla: null,
        ...overrides,
      });

      it('finds the tickets of a priority idle since before an instant, most recently active first', async () => {
        const idleLong = anAlert({ lastActivityAt: '2025-03-01T01:00:00.000Z' });
        const idleLess = anAlert({ lastActivityAt: '2025-03-01T05:00:00.000Z' });
        await serve('alerts', [
          idleLong,
          idleLess,
          anAlert({ lastActivityAt: '2025-03-01T08:00:00.000Z' }),
          anAlert({ lastActivityAt: '2025-03-01T01:00:00.000Z', priority: 'low' }),
          anAlert({ lastActivityAt: '2025-03-01T01:00:00.000Z', status: 'resolved' }),
        ]);

        const idle = await store.idleTickets('high', '2025-03-01T06:00:00.000Z', 10);

        expect(idle).toEqual([idleLess, idleLong]);
        expect(await store.idleTickets('high', '2025-03-01T06:00:00.000Z', 1)).toEqual([idleLess]);
      });

      it('finds the tickets still worked on with an SLA mark, latest mark first', async () => {
        const warned = anAlert({
          sla: { mark: 'warning', target: 'resolution', at: '2025-03-01T10:00:00.000Z' },
        });
        const breached = anAlert({
          sla: { mark: 'breach', target: 'first_response', at: '2025-03-01T11:00:00.000Z' },
        });
        await serve('alerts', [
          warned,
          anAlert(),
          breached,
          anAlert({
            status: 'closed',
            sla: { mark: 'breach', target: 'resolution', at: '2025-03-01T12:00:00.000Z' },
          }),
        ]);

        expect(await store.slaAlerts(10)).toEqual([breached, warned]);
        expect(await store.slaAlerts(1)).toEqual([breached]);
      });
    });

    describe('post-mortems', () => {
      const aPostMortemTicket = (overrides: Partial<PostMortemDocument> = {}) =>
        escalatedTicketPostMortem(nextTicketId(), overrides);
      const recorded = (
        actions: PostMortemActionFacts[],
        completedAt: string | null,
        rootCause = 'billing.double-charge',
      ): PostMortemFacts => ({
        rootCause,
        recordedAt: '2025-03-05T09:00:00.000Z',
        completedAt,
        actions,
      });
      const anAction = (
        actionId: string,
        dueDate: string,
        state: 'open' | 'done' = 'open',
      ): PostMortemActionFacts => ({
        actionId,
        kind: 'training',
        owner: 'ben',
        dueDate,
        state,
        closedAt: state === 'open' ? null : '2025-03-06T09:00:00.000Z',
      });

      it('lists escalated tickets by state and by the triggers asked for, page by page', async () => {
        const management = aPostMortemTicket({ reachedManagement: true });
        const twice = aPostMortemTicket({ escalationCount: 2 });
        const breached = aPostMortemTicket({ urgentBreach: true, priority: 'urgent' });
        const plain = aPostMortemTicket();
        const working = aPostMortemTicket({ reachedManagement: true, endedAt: null });
        const open = aPostMortemTicket({
          reachedManagement: true,
          postMortem: recorded([anAction('a1', '2025-03-20')], null),
        });
        const complete = aPostMortemTicket({
          postMortem: recorded([], '2025-03-05T09:00:00.000Z'),
        });
        await serve('post-mortems', [
          management,
          twice,
          breached,
          plain,
          working,
          open,
          complete,
          aPostMortemTicket({ escalationCount: 0, urgentBreach: true }),
        ]);

        const all = ['management', 're-escalated', 'urgent-breach'] as const;
        const missing = { state: 'missing' as const, requiredBy: all, ended: true, limit: 10 };
        expect(await store.postMortems(missing)).toEqual([management, twice, breached]);
        expect(await store.postMortems({ ...missing, limit: 2 })).toEqual([management, twice]);
        expect(await store.postMortems({ ...missing, after: twice.ticketId })).toEqual([breached]);
        expect(await store.postMortems({ ...missing, requiredBy: ['management'] })).toEqual([
          management,
        ]);
        expect(await store.postMortems({ ...missing, requiredBy: [] })).toEqual([]);
        expect(await store.postMortems({ state: 'open', limit: 10 })).toEqual([open]);
        expect(await store.postMortems({ state: 'complete', limit: 10 })).toEqual([complete]);
        expect(
          await store.postMortems({ openedFrom: '2025-03-03T09:00:00.000Z', limit: 3 }),
        ).toEqual([management, twice, breached]);
        expect(await store.postMortems({ openedTo: '2025-03-03T09:00:00.000Z', limit: 3 })).toEqual(
          [],
        );
      });

      it('counts required, covered and repeated escalations per group as the shared definition does', async () => {
        const complete = recorded([], '2025-03-05T09:00:00.000Z', 'billing.double-charge');
        const docs = [
          aPostMortemTicket({ reachedManagement: true, postMortem: complete }),
          aPostMortemTicket({
            escalationCount: 2,
            category: 'account',
            assigneeAtFirstEscalation: 'bo',
          }),
          // Escalated after the post-mortem on its root cause was complete: a repeat.
          aPostMortemTicket({
            resolutionRootCause: 'billing.double-charge',
            lastEscalatedAt: '2025-03-06T09:00:00.000Z',
            openedAt: '2025-03-06T08:00:00.000Z',
          }),
          aPostMortemTicket({ urgentBreach: true, endedAt: null, channel: 'phone' }),
          aPostMortemTicket({ escalationCount: 0, reachedManagement: true }),
        ];
        await serve('post-mortems', docs);
        const escalated = docs.filter((doc) => doc.escalationCount > 0);
        const completions = await store.postMortemCompletions();

        for (const requiredBy of [['management', 're-escalated', 'urgent-breach'], []] as const) {
          for (const grouping of [undefined, ...KPI_GROUPINGS]) {
            for (const range of [{}, { from: '2025-03-04T00:00:00.000Z' }]) {
              const counter = new PostMortemCounter(grouping, requiredBy, completions);
              escalated
                .filter((doc) => range.from === undefined || doc.openedAt >= range.from)
                .forEach((doc) => counter.add(doc));
              const byKey = (counts: PostMortemCountsOfGroup[]) =>
                [...counts].sort((a, b) => String(a.key).localeCompare(String(b.key)));
              expect({
                requiredBy,
                grouping,
                range,
                counts: byKey(await store.postMortemCounts(range, grouping, requiredBy)),
              }).toEqual({
                requiredBy,
                grouping,
                range,
                counts: byKey(counter.counts()),
              });
            }
          }
        }
        expect((await store.postMortemCounts({}, undefined, ['management'])).at(0)).toEqual({
          key: null,
          required: 1,
          covered: 1,
          repeatEscalations: 1,
        });
        const every = ['management', 're-escalated', 'urgent-breach'] as const;
        const inKeyOrder = (counts: PostMortemCountsOfGroup[]) =>
          [...counts].sort((a, b) => String(a.key).localeCompare(String(b.key)));
        expect(inKeyOrder(await store.postMortemCounts({}, 'category', every))).toEqual([
          { key: 'account', required: 1, covered: 0, repeatEscalations: 0 },
          { key: 'billing', required: 1, covered: 1, repeatEscalations: 1 },
        ]);
        expect(inKeyOrder(await store.postMortemCounts({}, 'agent', every))).toEqual([
          { key: 'ana', required: 1, covered: 1, repeatEscalations: 1 },
          { key: 'bo', required: 1, covered: 0, repeatEscalations: 0 },
        ]);
      });

      it('finds required post-mortems missing since before an instant, latest ended first', async () => {
        const early = aPostMortemTicket({
          escalationCount: 2,
          endedAt: '2025-03-04T09:00:00.000Z',
        });
        const later = aPostMortemTicket({
          escalationCount: 2,
          endedAt: '2025-03-05T09:00:00.000Z',
        });
        await serve('post-mortems', [
          early,
          later,
          aPostMortemTicket({ escalationCount: 2, endedAt: '2025-03-07T09:00:00.000Z' }),
          aPostMortemTicket({ endedAt: '2025-03-04T09:00:00.000Z' }),
        ]);

        const triggers = ['re-escalated'] as const;
        expect(await store.missingPostMortems(triggers, '2025-03-05T09:00:00.000Z', 10)).toEqual([
          later,
          early,
        ]);
        expect(await store.missingPostMortems(triggers, '2025-03-05T09:00:00.000Z', 1)).toEqual([
          later,
        ]);
        expect(
          await store.missingPostMortems(['management'], '2025-03-09T00:00:00.000Z', 10),
        ).toEqual([]);
      });

      it('finds open actions due before a date, per ticket and date, latest due first', async () => {
        const two = aPostMortemTicket({
          postMortem: recorded(
            [
              anAction('a1', '2025-03-10'),
              anAction('a2', '2025-03-12'),
              anAction('a3', '2025-03-12'),
              anAction('a4', '2025-03-01', 'done'),
              anAction('a5', '2025-03-20'),
            ],
            null,
          ),
        });
        const one = aPostMortemTicket({
          postMortem: recorded([anAction('a1', '2025-03-11')], null),
        });
        await serve('post-mortems', [two, one]);

        expect(await store.overdueActions('2025-03-13', 10)).toEqual([
          { doc: two, dueDate: '2025-03-12' },
          { doc: one, dueDate: '2025-03-11' },
          { doc: two, dueDate: '2025-03-10' },
        ]);
        expect(await store.overdueActions('2025-03-12', 1)).toEqual([
          { doc: one, dueDate: '2025-03-11' },
        ]);
      });

      it('finds the first completion of a post-mortem per root cause, corrected or not', async () => {
        await serve('post-mortems', [
          aPostMortemTicket({ postMortem: recorded([], '2025-03-09T09:00:00.000Z') }),
          aPostMortemTicket({ postMortem: recorded([], '2025-03-08T09:00:00.000Z') }),
          aPostMortemTicket({ postMortem: recorded([], '2025-03-07T09:00:00.000Z', 'network') }),
          aPostMortemTicket({ postMortem: recorded([anAction('a1', '2025-03-20')], null, 'disk') }),
        ]);

        expect(await store.postMortemCompletions()).toEqual(
          new Map([
            ['billing.double-charge', '2025-03-08T09:00:00.000Z'],
            ['network', '2025-03-07T09:00:00.000Z'],
          ]),
        );
      });
    });

    describe('escalation facts', () => {
      const march = (day: number, hour = 0) =>
        `2025-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;

      const terms: SlaTerms = {
        policyVersion: 2,
        firstResponseMinutes: 60,
        resolutionMinutes: 240,
        warnAt: 0.8,
        // Open on Wednesdays only (2025-03-05 is one): deadlines fall in business time.
        calendar: {
          timeZone: 'UTC',
          hours: hoursOn('09:00', '17:00', [3]),
          holidays: ['2025-12-25'],
        },
      };
      const assigned: TicketEvent = {
        type: 'TicketAssigned',
        data: { agentId: 'ann', tier: 'L1', auto: true },
      };
      const escalated = (
        auto: boolean,
        fromTier: Tier = 'L1',
        toTier: Tier = 'L2',
      ): TicketEvent => ({
        type: 'TicketEscalated',
        data: { fromTier, toTier, reason: 'sla_breach', note: 'n', auto },
      });

      it('the cohort range includes `from` and excludes `to`', async () => {
        const [beforeFrom, atFrom, inside, atTo] = [
          someFacts({ openedAt: march(1, 23) }),
          someFacts({ openedAt: march(2) }),
          someFacts({ openedAt: march(3) }),
          someFacts({ openedAt: march(4) }),
        ];
        await serve('escalation-kpis', [beforeFrom, atFrom, inside, atTo]);

        const facts = await store.escalationFacts({ from: march(2), to: march(4) });

        expect(facts).toEqual([atFrom, inside]);
      });

      it('orders facts by opening instant, then ticket id', async () => {
        const [late, second, first] = [
          someFacts({ openedAt: march(9) }),
          someFacts({ openedAt: march(5) }),
          someFacts({ openedAt: march(5) }),
        ];
        await serve('escalation-kpis', [late, first, second]);

        expect(ids(await store.escalationFacts({}))).toEqual(ids([second, first, late]));
      });

      it('tally, in total and per group, what the in-memory tally of the facts says', async () => {
        const facts = [
          someFacts({ openedAt: march(1, 9), category: 'billing', firstAssigneeId: 'ann' }),
          someFacts({
            openedAt: march(1, 10),
            channel: 'chat',
            priority: 'urgent',
            firstAssigneeId: 'bob',
            assigneeAtFirstEscalation: 'bob',
            escalationCount: 2,
            firstEscalatedAt: march(1, 11),
            escalationReasons: { complexity: 1, crisis: 1 },
            resolved: true,
            lastResolvedAt: march(2, 13),
            resolvedTier: 'L3',
            escalationNecessary: false,
            rootCause: 'expired-credentials',
            feedbackScore: 2,
            tierDwellMinutes: { L1: 60.5, L2: 1440, L3: 0.25 },
            currentStay: null,
          }),
          someFacts({
            openedAt: march(2, 8),
            resolved: true,
            lastResolvedAt: march(2, 9),
            resolvedTier: 'L1',
            feedbackScore: 5,
            tierDwellMinutes: { L1: 60 },
            currentStay: null,
          }),
          {
            ...factsOfTicket(march(2, 10), terms, [
              [march(2, 11), assigned],
              [march(2, 12), escalated(true)],
              [march(2, 16), escalated(false, 'L2', 'L3')],
            ]),
            category: 'billing',
          },
          factsOfTicket(march(2, 11), terms, [
            [
              march(2, 11),
              { type: 'TicketResolved', data: { resolution: 'r', resolvedTier: 'L1' } },
            ],
          ]),
          someFacts({ openedAt: march(3), reopened: true, escalationCount: 1, feedbackScore: 4 }),
        ];
        await serve('escalation-kpis', facts);

        const window = { from: march(1, 10), to: march(3) };
        for (const [range, inRange] of [
          [{}, facts],
          [window, facts.slice(1, 5)],
        ] as const) {
          const stored = await store.escalationFacts(range);
          // Read back whole: a tally of what the store lost would agree with itself.
          expect(stored).toEqual(inRange);
          for (const grouping of [undefined, ...KPI_GROUPINGS]) {
            expect(inAnyOrder(await store.escalationTallies(range, grouping))).toEqual(
              inAnyOrder(tallyEscalations(stored, grouping)),
            );
          }
        }
      });

      it('follow the facts changed, moved between groups and deleted after the read model serves, for windows on and between midnights', async () => {
        const facts = [
          someFacts({ openedAt: march(1, 9), firstAssigneeId: 'ann', feedbackScore: 5 }),
          someFacts({ openedAt: march(1, 23), category: 'billing' }),
          someFacts({
            openedAt: march(2, 0),
            escalationCount: 1,
            assigneeAtFirstEscalation: 'bob',
          }),
          someFacts({ openedAt: march(2, 13), channel: 'phone' }),
          someFacts({ openedAt: march(3, 8), priority: 'urgent' }),
          someFacts({ openedAt: march(4, 17) }),
        ];
        const generation = await serve('escalation-kpis', facts);
        const changed = [
          // Another group under every grouping but the day's.
          { ...facts[0]!, category: 'billing', channel: 'phone', firstAssigneeId: 'bob' },
          { ...facts[3]!, escalationCount: 2, assigneeAtFirstEscalation: 'ann', feedbackScore: 1 },
          someFacts({ openedAt: march(3, 23), firstAssigneeId: 'cy' }),
        ];
        await store.commit(
          'escalation-kpis',
          generation,
          [...changesOf(changed), { id: facts[4]!.ticketId, doc: null }],
          '2',
        );
        const stored = await store.escalationFacts({});
        expect(stored).toHaveLength(facts.length);

        const windows = [
          {},
          { from: march(2), to: march(4) },
          { from: march(1, 12), to: march(3, 12) },
          { from: march(1, 23), to: march(2, 1) },
          { from: march(2, 13) },
          { to: march(2, 13) },
          // The last day there is: no whole day follows it.
          { from: '9999-12-31T00:00:00.001Z' },
        ];
        for (const range of windows) {
          const inRange = await store.escalationFacts(range);
          for (const grouping of [undefined, ...KPI_GROUPINGS]) {
            expect(inAnyOrder(await store.escalationTallies(range, grouping))).toEqual(
              inAnyOrder(tallyEscalations(inRange, grouping)),
            );
          }
        }
      });

      it('sum the escalations of escalated resolved tickets by root cause, per group and week', async () => {
        const resolvedAfter = (escalationCount: number, rootCause: string) => ({
          escalationCount,
          firstEscalatedAt: escalationCount > 0 ? march(11) : null,
          resolved: true,
          lastResolvedAt: march(12),
          resolvedTier: 'L2' as const,
          rootCause,
          currentStay: null,
        });
        const facts = [
          // Root causes are free text: one may be the name of an inherited property.
          someFacts({ openedAt: march(3), ...resolvedAfter(2, 'constructor') }),
          someFacts({ openedAt: march(10), ...resolvedAfter(1, 'expired-credentials') }),
          // A Sunday: the week of the Monday before.
          someFacts({ openedAt: march(9, 23), ...resolvedAfter(1, 'expired-credentials') }),
          // Not escalated, or no longer resolved: nothing under their root cause.
          someFacts({ openedAt: march(4), ...resolvedAfter(0, 'typo') }),
          someFacts({
            openedAt: march(4),
            ...resolvedAfter(1, 'typo'),
            resolved: false,
            reopened: true,
          }),
        ];
        await serve('escalation-kpis', facts);

        const byWeek = await store.escalationTallies({}, 'week');

        expect(byWeek.totals.escalationsByRootCause).toEqual({
          constructor: 2,
          'expired-credentials': 2,
        });
        expect(
          byWeek.groups.map(({ key, tally }) => ({
            key,
            byRootCause: tally.escalationsByRootCause,
          })),
        ).toEqual<{ key: string; byRootCause: Record<string, number> }[]>([
          { key: '2025-03-03', byRootCause: { constructor: 2, 'expired-credentials': 1 } },
          { key: '2025-03-10', byRootCause: { 'expired-credentials': 1 } },
        ]);
        for (const grouping of [undefined, ...KPI_GROUPINGS]) {
          expect(inAnyOrder(await store.escalationTallies({}, grouping))).toEqual(
            inAnyOrder(tallyEscalations(facts, grouping)),
          );
        }
      });

      it('keep and sum each ticket’s SLA outcomes, first response and automatic escalations', async () => {
        const facts = [
          // Answered at the deadline and resolved within it.
          factsOfTicket(march(5, 9), terms, [
            [march(5, 10), assigned],
            [march(5, 11), escalated(true)],
            [
              march(5, 12),
              { type: 'TicketResolved', data: { resolution: 'r', resolvedTier: 'L2' } },
            ],
          ]),
          // Answered an hour after its recorded first-response breach.
          factsOfTicket(march(5, 9), terms, [
            [
              march(5, 10),
              {
                type: 'SlaBreached',
                data: { target: 'first_response', dueAt: march(5, 10), policyVersion: 2 },
              },
            ],
            [march(5, 11), assigned],
            [march(5, 12), escalated(false)],
          ]),
          // Opened before SLA policies: only its first response counts.
          factsOfTicket(march(5, 9), null, [[march(5, 13), assigned]]),
        ];
        await serve('escalation-kpis', facts);

        expect(await store.escalationFacts({})).toEqual(facts);
        const { totals, groups } = await store.escalationTallies({}, 'category');
        expect(totals).toMatchObject({
          ticketsUnderSla: 2,
          ticketsBreachingSla: 1,
          sla: { firstResponse: { measured: 2, met: 1 }, resolution: { measured: 1, met: 1 } },
          autoEscalations: 1,
          manualEscalations: 1,
          ticketsResponded: 3,
          timeToFirstResponseMs: (1 + 2 + 4) * 3_600_000,
        });
        expect(groups.map(({ tally }) => tally)).toEqual([totals]);
      });

      it('an open-ended range is bounded on one side only', async () => {
        const early = someFacts({ openedAt: march(1) });
        const middle = someFacts({ openedAt: march(10) });
        const late = someFacts({ openedAt: march(20) });
        await serve('escalation-kpis', [early, middle, late]);

        expect(ids(await store.escalationFacts({ from: march(10) }))).toEqual(ids([middle, late]));
        expect(ids(await store.escalationFacts({ to: march(10) }))).toEqual(ids([early]));
      });
    });

    describe('secrets', () => {
      it('gives the same value for a name every time it is asked', async () => {
        const first = await store.secret('queue-cursors');

        expect(first.length).toBeGreaterThanOrEqual(32);
        expect(await store.secret('queue-cursors')).toBe(first);
      });

      it('gives each name its own random value', async () => {
        expect(await store.secret('one')).not.toBe(await store.secret('two'));
      });
    });

    describe('leases', () => {
      const expire = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      it('gives a free lease to the first holder, and renews it for that holder only', async () => {
        expect(await store.claimLease('projection:queues', 'a', 10_000)).toBe(true);
        expect(await store.claimLease('projection:queues', 'b', 10_000)).toBe(false);
        expect(await store.claimLease('projection:queues', 'a', 10_000)).toBe(true);
      });

      it('keeps each lease apart', async () => {
        await store.claimLease('projection:queues', 'a', 10_000);

        expect(await store.claimLease('projection:ticket-view', 'b', 10_000)).toBe(true);
      });

      it('lets another holder take a lease that expired', async () => {
        await store.claimLease('projection:queues', 'a', 30);
        await expire(60);

        expect(await store.claimLease('projection:queues', 'b', 10_000)).toBe(true);
        expect(await store.claimLease('projection:queues', 'a', 10_000)).toBe(false);
      });

      it('lets another holder take a released lease at once', async () => {
        await store.claimLease('projection:queues', 'a', 10_000);
        await store.releaseLease('projection:queues', 'b');
        expect(await store.claimLease('projection:queues', 'b', 10_000)).toBe(false);

        await store.releaseLease('projection:queues', 'a');

        expect(await store.claimLease('projection:queues', 'b', 10_000)).toBe(true);
      });

      it('commits under a lease while it is held', async () => {
        await store.claimLease('projection:queues', 'a', 10_000);
        const { generation } = await store.createGeneration('queues', 1);

        await store.commit('queues', generation, [], '3', {
          lease: 'projection:queues',
          holder: 'a',
        });

        expect((await store.registration('queues')).building?.position).toBe('3');
      });

      it('refuses a commit under a lease another holder took, writing nothing', async () => {
        await store.claimLease('projection:queues', 'a', 30);
        const { generation } = await store.createGeneration('queues', 1);
        await expire(60);
        await store.claimLease('projection:queues', 'b', 10_000);

        await expect(
          store.commit('queues', generation, [], '3', { lease: 'projection:queues', holder: 'a' }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect((await store.registration('queues')).building?.position).toBeUndefined();
      });

      it('refuses to activate a generation under a lost lease', async () => {
        const { generation } = await store.createGeneration('queues', 1);

        await expect(
          store.activateGeneration('queues', generation, {
            lease: 'projection:queues',
            holder: 'a',
          }),
        ).rejects.toBeInstanceOf(LeaseLostError);
        expect((await store.registration('queues')).active).toBeUndefined();
      });
    });
  });
}

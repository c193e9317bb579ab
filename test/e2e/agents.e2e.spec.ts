import type { TestApp } from '../support/test-app';
import { TestClock } from '../support/test-clock';
import { errorOf, fieldsOf, startApi } from './support/e2e-api';
import { accepted, openTicket } from './support/tickets';

const ANA = { agentId: 'ana', name: 'Ana', tier: 'L1', capacity: 2 };

const unique = (fields: string[]) => [...new Set(fields)];

/**
 * The automation is off here (the test app's default): every assignment is
 * made by hand. Positions count from 2: the first admin key is the store's first event.
 */
describe('agents over HTTP', () => {
  let clock: TestClock;
  let api: TestApp;

  beforeEach(async () => {
    clock = new TestClock('2026-02-02T08:00:00.000Z');
    api = await startApi({ clock });
  });
  afterEach(() => api.close());

  function register(body: unknown) {
    return api.request('POST', '/v1/agents', body);
  }

  function setAvailability(agentId: string, availability: unknown) {
    return api.request('POST', `/v1/agents/${agentId}/availability`, { availability });
  }

  async function agents(after?: string): Promise<any[]> {
    const answer = await api.request('GET', `/v1/agents${after ? `?after=${after}` : ''}`);
    expect(answer.status).toBe(200);
    return answer.body.agents;
  }

  describe('POST /v1/agents', () => {
    it('registers an agent, offline, and answers 201 with the stream version and position', async () => {
      const answer = await register(ANA);

      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({ agentId: 'ana', version: 1, position: '2' });
      expect(await agents('2')).toEqual([
        {
          ...ANA,
          availability: 'offline',
          availabilityChangedAt: '2026-02-02T08:00:00.000Z',
          open: 0,
          openTickets: [],
        },
      ]);
    });

    it.each([
      ['the smallest capacity', { capacity: 1 }],
      ['the largest capacity', { capacity: 1000 }],
      ['an id of 100 characters', { agentId: 'a'.repeat(100) }],
      ['an id with every allowed sign', { agentId: 'ana.b_c:d@e-f' }],
      ['the top tier', { tier: 'MANAGEMENT' }],
    ])('takes %s', async (_what, overrides) => {
      expect((await register({ ...ANA, ...overrides })).status).toBe(201);
    });

    it('refuses a second agent with the same id with 409 AGENT_ALREADY_EXISTS, keeping the first', async () => {
      await register(ANA);

      const again = await register({ ...ANA, name: 'Another Ana', tier: 'L3' });

      expect(errorOf(again)).toEqual({ status: 409, code: 'AGENT_ALREADY_EXISTS' });
      expect(await agents('2')).toMatchObject([{ agentId: 'ana', name: 'Ana', tier: 'L1' }]);
    });

    it.each([
      ['no name', { agentId: 'ana', tier: 'L1', capacity: 2 }, 'name'],
      ['a blank name', { ...ANA, name: '   ' }, 'name'],
      ['a name over 200 characters', { ...ANA, name: 'x'.repeat(201) }, 'name'],
      ['an unknown tier', { ...ANA, tier: 'L4' }, 'tier'],
      ['a capacity of 0', { ...ANA, capacity: 0 }, 'capacity'],
      ['a capacity of 1001', { ...ANA, capacity: 1001 }, 'capacity'],
      ['a capacity of 1.5', { ...ANA, capacity: 1.5 }, 'capacity'],
      ['a capacity in a string', { ...ANA, capacity: '2' }, 'capacity'],
      ['an id with a space', { ...ANA, agentId: 'ana smith' }, 'agentId'],
      ['an id with a slash', { ...ANA, agentId: 'ana/l1' }, 'agentId'],
      ['an id starting with a dash', { ...ANA, agentId: '-ana' }, 'agentId'],
      ['an id with an accent', { ...ANA, agentId: 'anaïs' }, 'agentId'],
      ['an empty id', { ...ANA, agentId: '' }, 'agentId'],
      ['an id over 100 characters', { ...ANA, agentId: 'a'.repeat(101) }, 'agentId'],
      ['an unknown field', { ...ANA, skills: ['billing'] }, 'skills'],
    ])('refuses %s with 400 VALIDATION_FAILED naming the field', async (_what, body, field) => {
      const answer = await register(body);

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(unique(fieldsOf(answer))).toEqual([field]);
      expect(await agents()).toEqual([]);
    });
  });

  describe('POST /v1/agents/:id/availability', () => {
    it('brings an agent online at the time of the event', async () => {
      await register(ANA);
      clock.set('2026-02-02T08:30:00.000Z');

      const answer = await setAvailability('ana', 'online');

      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ agentId: 'ana', version: 2, position: '3' });
      expect(await agents('3')).toMatchObject([
        {
          agentId: 'ana',
          availability: 'online',
          availabilityChangedAt: '2026-02-02T08:30:00.000Z',
        },
      ]);
    });

    it('records nothing when the agent already has that availability', async () => {
      await register(ANA);
      await setAvailability('ana', 'online');
      clock.set('2026-02-02T09:00:00.000Z');

      const again = await setAvailability('ana', 'online');
      const offline = await setAvailability('ana', 'offline');

      expect(again.body).toEqual({ agentId: 'ana', version: 2, position: '3' });
      expect(offline.body).toEqual({ agentId: 'ana', version: 3, position: '4' });
    });

    it('answers 404 AGENT_NOT_FOUND for an agent never registered', async () => {
      const answer = await setAvailability('nobody', 'online');

      expect(errorOf(answer)).toEqual({ status: 404, code: 'AGENT_NOT_FOUND' });
    });

    it.each([
      ['a space', 'ana%20smith'],
      ['a leading dash', '-ana'],
      ['an accent', 'ana%C3%AFs'],
      ['over 100 characters', 'a'.repeat(101)],
    ])('refuses an id in the path with %s with 400', async (_what, id) => {
      const answer = await setAvailability(id, 'online');

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['id']);
    });

    it.each([['busy'], ['ONLINE'], [true]])(
      'refuses the availability %p with 400',
      async (availability) => {
        await register(ANA);

        const answer = await setAvailability('ana', availability);

        expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
        expect(fieldsOf(answer)).toEqual(['availability']);
      },
    );
  });

  describe('GET /v1/agents', () => {
    it('lists the agents lowest tier first, then by id', async () => {
      for (const [agentId, tier] of [
        ['cy', 'L3'],
        ['bo', 'L1'],
        ['dee', 'MANAGEMENT'],
        ['ana', 'L2'],
        ['al', 'L1'],
      ] as const) {
        await register({ agentId, name: agentId.toUpperCase(), tier, capacity: 3 });
      }

      const listed = await agents('6');

      expect(listed.map((agent) => [agent.agentId, agent.tier])).toEqual([
        ['al', 'L1'],
        ['bo', 'L1'],
        ['ana', 'L2'],
        ['cy', 'L3'],
        ['dee', 'MANAGEMENT'],
      ]);
    });

    it('counts the tickets assigned to each agent and still worked on, oldest first', async () => {
      await register(ANA);
      await register({ agentId: 'bo', name: 'Bo', tier: 'L1', capacity: 5 });
      const openAt = async (minute: string) => {
        clock.set(`2026-02-02T${minute}:00.000Z`);
        return (await openTicket(api)).ticketId;
      };
      const first = await openAt('08:10');
      const second = await openAt('08:20');
      const third = await openAt('08:30');
      const fourth = await openAt('08:40');
      // Opened last, assigned first: the list goes by opening.
      await accepted(api, fourth, 'assign', { agentId: 'ana' });
      await accepted(api, first, 'assign', { agentId: 'ana' });
      await accepted(api, second, 'assign', { agentId: 'ana' });
      await accepted(api, second, 'resolve');
      await accepted(api, third, 'assign', { agentId: 'bo' });
      await accepted(api, third, 'status', { status: 'pending' });
      const last = await accepted(api, fourth, 'notes');

      expect(await agents(last.position)).toMatchObject([
        { agentId: 'ana', open: 2, openTickets: [first, fourth] },
        { agentId: 'bo', open: 1, openTickets: [third] },
      ]);
    });

    it('stops counting a ticket when it is escalated, since it arrives unassigned', async () => {
      await register(ANA);
      const { ticketId } = await openTicket(api);
      await accepted(api, ticketId, 'assign', { agentId: 'ana' });

      const escalated = await accepted(api, ticketId, 'escalate');

      expect(await agents(escalated.position)).toMatchObject([
        { agentId: 'ana', open: 0, openTickets: [] },
      ]);
    });

    it('lets a person assign past an agent’s capacity: capacity bounds the assigner only', async () => {
      await register({ ...ANA, capacity: 1 });
      let last = '';
      for (let i = 0; i < 3; i++) {
        const { ticketId } = await openTicket(api);
        last = (await accepted(api, ticketId, 'assign', { agentId: 'ana' })).position;
      }

      expect(await agents(last)).toMatchObject([{ agentId: 'ana', capacity: 1, open: 3 }]);
    });

    it('lists only registered agents, whoever tickets are assigned to', async () => {
      const { ticketId } = await openTicket(api);
      const assigned = await accepted(api, ticketId, 'assign', { agentId: 'agent-unknown' });

      expect(await agents(assigned.position)).toEqual([]);
    });

    it('reads its own writes with ?after=, the agents and the assignments alike', async () => {
      const registered = await register(ANA);
      expect(await agents(registered.body.position)).toHaveLength(1);

      const { ticketId } = await openTicket(api);
      const assigned = await accepted(api, ticketId, 'assign', { agentId: 'ana' });

      expect(await agents(assigned.position)).toMatchObject([{ agentId: 'ana', open: 1 }]);
    });

    it('refuses an ?after= that is not a position with 400', async () => {
      const answer = await api.request('GET', '/v1/agents?after=yesterday');

      expect(errorOf(answer)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(answer)).toEqual(['after']);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a retried registration with the first answer, not a conflict', async () => {
      const key = { 'Idempotency-Key': 'register-ana-1' };
      const first = await api.request('POST', '/v1/agents', ANA, key);
      const retried = await api.request('POST', '/v1/agents', ANA, key);

      expect(first.status).toBe(201);
      expect(retried.body).toEqual(first.body);
      expect(await agents(first.body.position)).toHaveLength(1);
    });

    it('refuses the same key for another agent with 422', async () => {
      const key = { 'Idempotency-Key': 'register-1' };
      await api.request('POST', '/v1/agents', ANA, key);
      const other = await api.request('POST', '/v1/agents', { ...ANA, agentId: 'bo' }, key);

      expect(errorOf(other)).toEqual({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
    });
  });
});

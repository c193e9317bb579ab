import { ROLES, type Role } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { routeTable } from '../../apps/api/src/create-app';
import type { DeclaredRoute } from '../../apps/api/src/identity/access-control';
import { bearer, TEST_ADMIN_KEY, type TestApp } from '../support/test-app';
import { startApi } from './support/e2e-api';
import { openTicket } from './support/tickets';

const TICKET = '7b0c2f6e-1c1e-4a53-9a43-0c9f7a3f1b11';
const PATH_VALUES: Record<string, string> = {
  id: TICKET,
  tier: 'L1',
  name: 'escalation-kpis',
  keyId: 'no-such-key',
};

/** Routes that would answer with a stream that does not end: a query that makes them answer 400 at once. */
const QUERIES: Record<string, string> = { '/v1/feed': '?after=not-a-position' };

/** A request that reaches the route with a credential: any path parameter filled in. */
function pathOf(route: DeclaredRoute, agentId: string): string {
  const agentRoute = route.url.startsWith('/v1/agents/');
  const path = route.url.replace(/:(\w+)/g, (_, name: string) =>
    agentRoute && name === 'id' ? agentId : PATH_VALUES[name]!,
  );
  return `${path}${QUERIES[route.url] ?? ''}`;
}

async function issueKey(api: TestApp, roles: Role[], agentId?: string): Promise<string> {
  const answer = await api.request('POST', '/v1/keys', {
    name: `test ${roles.join('+')}`,
    roles,
    ...(agentId !== undefined && { agentId }),
  });
  expect(answer.status).toBe(201);
  return answer.body.key;
}

describe('access', () => {
  let api: TestApp;
  let events: EventStore;
  const keys = {} as Record<Role, string>;

  beforeAll(async () => {
    api = await startApi();
    events = api.app.get(EVENT_STORE);
    for (const role of ROLES) {
      keys[role] = await issueKey(api, [role], role === 'agent' ? 'ana' : undefined);
    }
  });
  afterAll(() => api.close());

  it('has every route declare who may call it', () => {
    const routes = routeTable(api.app);
    expect(routes.length).toBeGreaterThan(20);
    const undeclared = routes.filter((route) => route.access === undefined);
    expect(undeclared.map((route) => `${route.method} ${route.url}`)).toEqual([]);
  });

  it('serves only health, the OpenAPI document and the dashboard’s static shell and sign-in settings without a credential', async () => {
    const open = routeTable(api.app).filter((route) => route.access && 'public' in route.access);
    // Each twice: GET and the HEAD Fastify adds.
    expect(open.map((route) => route.url).sort()).toEqual([
      '/dashboard',
      '/dashboard',
      '/dashboard/app.css',
      '/dashboard/app.css',
      '/dashboard/app.js',
      '/dashboard/app.js',
      '/dashboard/config.json',
      '/dashboard/config.json',
      '/docs/openapi.json',
      '/docs/openapi.json',
      '/health',
      '/health',
      '/health/live',
      '/health/live',
      '/health/ready',
      '/health/ready',
    ]);
    expect((await api.request('GET', '/health', undefined, { authorization: '' })).status).toBe(
      200,
    );
    const document = await api.request('GET', '/docs/openapi.json', undefined, {
      authorization: '',
    });
    expect(document.status).toBe(200);
  });

  it('documents both credentials, and every guarded operation’s security and 401/403/429', async () => {
    const document = (await api.request('GET', '/docs/openapi.json')).body;
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      'apiKey',
      'oidcToken',
    ]);
    const open = new Set(
      routeTable(api.app)
        .filter((route) => route.access && 'public' in route.access)
        .map((route) => route.url),
    );
    const problems: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, any>>(document.paths)) {
      for (const [method, operation] of Object.entries<any>(operations)) {
        const where = `${method.toUpperCase()} ${path}`;
        if (open.has(path)) {
          if (operation.security !== undefined) problems.push(`${where} asks for a credential`);
          continue;
        }
        const schemes = (operation.security ?? []).flatMap(Object.keys).sort();
        if (schemes.join() !== 'apiKey,oidcToken') problems.push(`${where} security ${schemes}`);
        for (const status of ['401', '403', '429']) {
          if (!operation.responses[status]) problems.push(`${where} has no ${status}`);
        }
        if (!Object.keys(operation.responses).some((status) => status.startsWith('2'))) {
          problems.push(`${where} has no success answer`);
        }
        const ticketCommand = method === 'post' && path.startsWith('/v1/tickets/{id}/');
        const ticketRead = method === 'get' && /^\/v1\/tickets\/\{id\}(\/history)?$/.test(path);
        const expected = ticketCommand
          ? ['400', '404', '409', '412']
          : ticketRead
            ? ['400', '404']
            : [];
        for (const status of expected) {
          if (!operation.responses[status]) problems.push(`${where} has no ${status}`);
        }
      }
    }
    expect(problems).toEqual([]);
    const ticket = document.paths['/v1/tickets/{id}'].get.responses['200'];
    expect(Object.keys(ticket.headers)).toEqual(['ETag']);
    expect(ticket.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/TicketViewDto',
    });
  });

  describe('the role matrix', () => {
    const guarded = () =>
      routeTable(api.app).filter(
        (route): route is DeclaredRoute & { access: { roles: Role[] } } =>
          route.access !== undefined && 'roles' in route.access && route.method !== 'HEAD',
      );

    it.each(ROLES)(
      'lets %s call its routes and refuses the others with 403, appending nothing',
      async (role) => {
        const problems: string[] = [];
        for (const route of guarded()) {
          const allowed = route.access.roles.includes(role);
          const before = await events.headPosition();
          const answer = await api.request(
            route.method,
            pathOf(route, 'bo'),
            route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
            bearer(keys[role]),
          );
          const after = await events.headPosition();
          const where = `${role} ${route.method} ${route.url} → ${answer.status}`;
          if (allowed && (answer.status === 401 || answer.status === 403)) problems.push(where);
          if (!allowed && (answer.status !== 403 || answer.body.error.code !== 'FORBIDDEN')) {
            problems.push(where);
          }
          if (!allowed && after !== before) problems.push(`${where} appended`);
        }
        expect(problems).toEqual([]);
      },
    );
  });

  describe('an agent key', () => {
    it('assigns tickets to its own agent only; a supervisor assigns to anyone', async () => {
      const { ticketId } = await openTicket(api);
      const toOther = await api.request(
        'POST',
        `/v1/tickets/${ticketId}/assign`,
        { agentId: 'bo' },
        bearer(keys.agent),
      );
      expect(toOther.status).toBe(403);
      const toSelf = await api.request(
        'POST',
        `/v1/tickets/${ticketId}/assign`,
        { agentId: 'ana' },
        bearer(keys.agent),
      );
      expect(toSelf.status).toBe(200);
      const bySupervisor = await api.request(
        'POST',
        `/v1/tickets/${ticketId}/assign`,
        { agentId: 'bo' },
        bearer(keys.supervisor),
      );
      expect(bySupervisor.status).toBe(200);
    });

    it('sets its own availability only', async () => {
      for (const agentId of ['ana', 'bo']) {
        await api.request('POST', '/v1/agents', {
          agentId,
          name: agentId,
          tier: 'L1',
          capacity: 3,
        });
      }
      const other = await api.request(
        'POST',
        '/v1/agents/bo/availability',
        { availability: 'online' },
        bearer(keys.agent),
      );
      expect(other.status).toBe(403);
      const own = await api.request(
        'POST',
        '/v1/agents/ana/availability',
        { availability: 'online' },
        bearer(keys.agent),
      );
      expect(own.status).toBe(200);
    });
  });

  describe('the actor', () => {
    it('comes from the credential, whatever X-Actor-Id says', async () => {
      const { ticketId } = await openTicket(api);
      await api.request(
        'POST',
        `/v1/tickets/${ticketId}/notes`,
        { body: 'from the agent' },
        { ...bearer(keys.agent), 'x-actor-id': 'automation' },
      );
      await api.request(
        'POST',
        `/v1/tickets/${ticketId}/notes`,
        { body: 'from the auditor?' },
        bearer(keys.auditor),
      );
      const recorded = await events.readStream(`ticket-${ticketId}`);
      const note = recorded.find((event) => event.type === 'TicketNoteAdded')!;
      expect(note.metadata).toMatchObject({ actor: 'ana', actorRoles: ['agent'] });
      expect(recorded.map((event) => event.metadata.actor)).not.toContain('automation');
      expect(recorded.filter((event) => event.type === 'TicketNoteAdded')).toHaveLength(1);
    });

    it('is key:<keyId> for a key that is not an agent’s', async () => {
      const { ticketId } = await openTicket(api, {}, bearer(keys.supervisor));
      const [opened] = await events.readStream(`ticket-${ticketId}`);
      const supervisorKey = (await api.request('GET', '/v1/keys')).body.keys.find(
        (key: { roles: Role[] }) => key.roles.includes('supervisor'),
      );
      expect(opened!.metadata).toMatchObject({
        actor: `key:${supervisorKey.keyId}`,
        actorRoles: ['supervisor'],
      });
    });
  });

  describe('refused credentials', () => {
    it('answers 401 with a Bearer challenge without a credential', async () => {
      const answer = await api.request('GET', '/v1/workloads', undefined, { authorization: '' });
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('UNAUTHENTICATED');
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });

    it('answers 401 to an unknown key and to another scheme, appending nothing', async () => {
      const before = await events.headPosition();
      for (const authorization of [`Bearer esl_${'x'.repeat(43)}`, `Basic ${btoa('a:b')}`]) {
        const answer = await api.request(
          'POST',
          '/v1/tickets',
          { subject: 'x' },
          { authorization },
        );
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
      }
      expect(await events.headPosition()).toBe(before);
    });

    it('refuses a revoked key from the next request on', async () => {
      const key = await issueKey(api, ['analyst']);
      expect((await api.request('GET', '/v1/workloads', undefined, bearer(key))).status).toBe(200);
      const keyId = (await api.request('GET', '/v1/keys')).body.keys.at(-1).keyId;
      const revoked = await api.request('DELETE', `/v1/keys/${keyId}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expect((await api.request('GET', '/v1/workloads', undefined, bearer(key))).status).toBe(401);
    });
  });

  describe('the keys', () => {
    it('shows a secret once, at creation, and never lists one', async () => {
      const issued = await api.request('POST', '/v1/keys', {
        role: 'auditor',
        name: 'quarterly audit',
      });
      expect(issued.status).toBe(201);
      expect(issued.body).toEqual({
        keyId: expect.any(String),
        key: expect.stringMatching(/^esl_[A-Za-z0-9_-]{43}$/),
        roles: ['auditor'],
        name: 'quarterly audit',
        createdAt: expect.any(String),
      });
      const listed = JSON.stringify((await api.request('GET', '/v1/keys')).body);
      expect(listed).not.toContain(issued.body.key);
      expect(listed).not.toContain('secretHash');
      expect(listed).toContain(issued.body.keyId);
    });

    it('refuses an agent key without its agent, and both roles and role', async () => {
      const noAgent = await api.request('POST', '/v1/keys', { role: 'agent', name: 'x' });
      expect(noAgent.status).toBe(400);
      const both = await api.request('POST', '/v1/keys', {
        role: 'agent',
        roles: ['agent'],
        name: 'x',
        agentId: 'ana',
      });
      expect(both.status).toBe(400);
    });

    it('keeps the automation actor to itself', async () => {
      const answer = await api.request('POST', '/v1/keys', {
        role: 'agent',
        name: 'x',
        agentId: 'automation',
      });
      expect(answer.status).toBe(400);
    });

    it('refuses an Idempotency-Key on issue: the secret cannot be answered twice', async () => {
      const answer = await api.request(
        'POST',
        '/v1/keys',
        { role: 'auditor', name: 'x' },
        { 'idempotency-key': 'k-1' },
      );
      expect(answer.status).toBe(400);
    });

    it('never revokes the last admin key', async () => {
      const listed = (await api.request('GET', '/v1/keys')).body.keys as {
        keyId: string;
        roles: Role[];
        revokedAt?: string;
      }[];
      const admins = listed.filter((key) => key.roles.includes('admin') && !key.revokedAt);
      for (const admin of admins.slice(1)) {
        expect((await api.request('DELETE', `/v1/keys/${admin.keyId}`)).status).toBe(200);
      }
      const last = await api.request('DELETE', `/v1/keys/${admins[0]!.keyId}`);
      expect(last.status).toBe(409);
      expect(last.body.error.code).toBe('LAST_ADMIN_KEY');
      expect((await api.request('GET', '/v1/keys', undefined, bearer(TEST_ADMIN_KEY))).status).toBe(
        200,
      );
    });
  });
});

describe('guessing', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startApi()));
  afterAll(() => api.close());

  it('is slowed with 429 after 20 refused credentials a minute, never a valid one', async () => {
    const wrong = { authorization: `Bearer esl_${'w'.repeat(43)}` };
    // Requests without a credential are no guesses: they do not count.
    for (let attempt = 1; attempt <= 25; attempt++) {
      const anonymous = await api.request('GET', '/v1/workloads', undefined, { authorization: '' });
      expect(anonymous.status).toBe(401);
    }
    for (let attempt = 1; attempt <= 20; attempt++) {
      expect((await api.request('GET', '/v1/workloads', undefined, wrong)).status).toBe(401);
    }
    const slowed = await api.request('GET', '/v1/workloads', undefined, wrong);
    expect(slowed.status).toBe(429);
    expect(slowed.body.error.code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);
    for (let request = 0; request < 50; request++) {
      expect((await api.request('GET', '/v1/workloads')).status).toBe(200);
    }
  });
});

describe('guessing behind a trusted proxy', () => {
  let api: TestApp;
  beforeAll(async () => (api = await startApi({ config: { trustProxy: true } })));
  afterAll(() => api.close());

  it('is counted per forwarded client address', async () => {
    const wrong = (address: string) => ({
      authorization: `Bearer esl_${'w'.repeat(43)}`,
      'x-forwarded-for': address,
    });
    for (let attempt = 0; attempt < 21; attempt++) {
      await api.request('GET', '/v1/workloads', undefined, wrong('203.0.113.7'));
    }
    const slowed = await api.request('GET', '/v1/workloads', undefined, wrong('203.0.113.7'));
    const other = await api.request('GET', '/v1/workloads', undefined, wrong('203.0.113.8'));
    expect([slowed.status, other.status]).toEqual([429, 401]);
  });
});

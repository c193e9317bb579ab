import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { bearer, type TestApp } from '../support/test-app';
import { LocalIdentityProvider } from '../support/local-identity-provider';
import { startApi } from './support/e2e-api';
import { openTicket } from './support/tickets';

const AUDIENCE = 'escalation-ledger';

/** An identity provider's tokens, presented to the API like its own keys. */
describe('identity provider tokens', () => {
  let provider: LocalIdentityProvider;
  let api: TestApp;
  const now = () => Math.floor(Date.now() / 1000);
  const token = (claims: Record<string, unknown>) =>
    provider.sign({
      iss: provider.issuer,
      aud: AUDIENCE,
      iat: now(),
      exp: now() + 300,
      ...claims,
    });

  beforeAll(async () => {
    provider = await LocalIdentityProvider.start();
    api = await startApi({
      config: {
        auth: {
          oidc: {
            issuer: provider.issuer,
            audience: AUDIENCE,
            rolesClaim: 'roles',
            agentClaim: 'sub',
          },
        },
      },
    });
  });
  afterAll(async () => {
    await api.close();
    await provider.close();
  });

  it('authenticate an agent, whose id becomes the actor', async () => {
    const agent = await token({ sub: 'ana', roles: ['agent'] });
    const { ticketId } = await openTicket(api, {}, bearer(agent));
    const [opened] = await api.app.get<EventStore>(EVENT_STORE).readStream(`ticket-${ticketId}`);
    expect(opened!.metadata).toMatchObject({ actor: 'ana', actorRoles: ['agent'] });
  });

  it('give their roles: an analyst reads workloads and may not open tickets', async () => {
    const analyst = await token({ sub: 'dana@example.com', roles: ['analyst'] });
    expect((await api.request('GET', '/v1/workloads', undefined, bearer(analyst))).status).toBe(
      200,
    );
    const refused = await api.request('POST', '/v1/tickets', {}, bearer(analyst));
    expect(refused.status).toBe(403);
  });

  it('are refused with 401 when expired, for another audience, or claiming the automation', async () => {
    const refused = [
      await token({ sub: 'ana', roles: ['agent'], exp: now() - 3600, iat: now() - 7200 }),
      await token({ sub: 'ana', roles: ['agent'], aud: 'another-api' }),
      await token({ sub: 'automation', roles: ['supervisor'] }),
    ];
    for (const presented of refused) {
      const answer = await api.request('GET', '/v1/workloads', undefined, bearer(presented));
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
    }
  });

  it('leave the API keys working beside them', async () => {
    expect((await api.request('GET', '/v1/workloads')).status).toBe(200);
  });
});

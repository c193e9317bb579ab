import { deciderSpecification, givenEventTime } from '../testing/decider-specification';
import { decideAccess, evolveAccess, initialAccessState } from './api-key.decider';
import type { AccessEvent, ApiKeyGrant } from './api-key.events';

const { given } = deciderSpecification({
  initialState: initialAccessState,
  evolve: evolveAccess,
  decide: decideAccess,
});

const grant = (keyId: string, extra: Partial<ApiKeyGrant> = {}): ApiKeyGrant => ({
  keyId,
  name: `key ${keyId}`,
  roles: ['admin'],
  secretHash: `sha256:${keyId}`,
  ...extra,
});
const issued = (keyId: string, extra: Partial<ApiKeyGrant> = {}): AccessEvent => ({
  type: 'ApiKeyIssued',
  data: grant(keyId, extra),
});

describe('API keys', () => {
  it('issues a key with its roles and the hash of its secret', () => {
    given([])
      .when({ type: 'IssueApiKey', data: grant('k1', { roles: ['auditor'] }) })
      .then([issued('k1', { roles: ['auditor'] })]);
  });

  it('binds an agent key to the agent it acts as', () => {
    given([])
      .when({ type: 'IssueApiKey', data: grant('k1', { roles: ['agent'], agentId: 'ana' }) })
      .then([issued('k1', { roles: ['agent'], agentId: 'ana' })]);
  });

  it('refuses an agent key that names no agent', () => {
    given([])
      .when({ type: 'IssueApiKey', data: grant('k1', { roles: ['agent'] }) })
      .thenThrows('VALIDATION_FAILED');
  });

  it('refuses an agent id on a key without the agent role', () => {
    given([])
      .when({ type: 'IssueApiKey', data: grant('k1', { roles: ['analyst'], agentId: 'ana' }) })
      .thenThrows('VALIDATION_FAILED');
  });

  it('refuses a key without roles', () => {
    given([])
      .when({ type: 'IssueApiKey', data: grant('k1', { roles: [] }) })
      .thenThrows('VALIDATION_FAILED');
  });

  it.each(['automation', 'Automation', 'automation:sla-clock', 'key:k1', 'KEY:x'])(
    'keeps the actor %s to the automation and the API keys',
    (agentId) => {
      given([])
        .when({ type: 'IssueApiKey', data: grant('k2', { roles: ['agent'], agentId }) })
        .thenThrows('VALIDATION_FAILED');
    },
  );

  it('never issues two keys under one id', () => {
    given([issued('k1')])
      .when({ type: 'IssueApiKey', data: grant('k1') })
      .thenThrows('KEY_ALREADY_EXISTS');
  });

  it('revokes a key', () => {
    given([issued('k1'), issued('k2')])
      .when({ type: 'RevokeApiKey', data: { keyId: 'k2' } })
      .then([{ type: 'ApiKeyRevoked', data: { keyId: 'k2' } }]);
  });

  it('records nothing when the key is revoked already', () => {
    given([issued('k1'), issued('k2'), { type: 'ApiKeyRevoked', data: { keyId: 'k2' } }])
      .when({ type: 'RevokeApiKey', data: { keyId: 'k2' } })
      .then([]);
  });

  it('does not know a key it never issued', () => {
    given([issued('k1')])
      .when({ type: 'RevokeApiKey', data: { keyId: 'k9' } })
      .thenThrows('KEY_NOT_FOUND');
  });

  it('keeps the last active admin key', () => {
    given([issued('k1'), issued('k2', { roles: ['auditor'] })])
      .when({ type: 'RevokeApiKey', data: { keyId: 'k1' } })
      .thenThrows('LAST_ADMIN_KEY');
  });

  it('remembers when a key was issued and revoked', () => {
    const { state } = given([issued('k1'), { type: 'ApiKeyRevoked', data: { keyId: 'k1' } }]);
    expect(state.keys.get('k1')).toMatchObject({
      issuedAt: givenEventTime(0),
      revokedAt: givenEventTime(1),
    });
  });
});

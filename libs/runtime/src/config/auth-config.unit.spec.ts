import { authConfigFrom } from './auth-config';
import { ConfigError } from './config-error';

describe('the identity provider’s configuration', () => {
  const issuer = { AUTH_ISSUER: 'https://id.example.com/realms/support', AUTH_AUDIENCE: 'ledger' };

  it('offers the dashboard a sign-in through the provider only with AUTH_CLIENT_ID', () => {
    expect(authConfigFrom(issuer).oidc?.clientId).toBeUndefined();
    expect(authConfigFrom({ ...issuer, AUTH_CLIENT_ID: ' dashboard ' }).oidc?.clientId).toBe(
      'dashboard',
    );
  });

  it('refuses AUTH_CLIENT_ID without AUTH_ISSUER', () => {
    expect(() => authConfigFrom({ AUTH_CLIENT_ID: 'dashboard' })).toThrow(ConfigError);
  });
});

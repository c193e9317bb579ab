import type { OidcConfig } from '@ledger/runtime';
import { exportSPKI, SignJWT, type JWTPayload } from 'jose';
import { LocalIdentityProvider } from '../../../../../test/support/local-identity-provider';
import { InvalidTokenError, OidcTokenVerifier, type OidcVerifierTiming } from '.';

const AUDIENCE = 'escalation-ledger';

let provider: LocalIdentityProvider;

beforeEach(async () => {
  provider = await LocalIdentityProvider.start();
});

afterEach(async () => {
  await provider.close();
});

const now = () => Math.floor(Date.now() / 1000);

function config(overrides: Partial<OidcConfig> = {}): OidcConfig {
  return {
    issuer: provider.issuer,
    audience: AUDIENCE,
    jwksUrl: provider.jwksUrl,
    rolesClaim: 'roles',
    agentClaim: 'sub',
    ...overrides,
  };
}

function verifier(overrides: Partial<OidcConfig> = {}, timing: Partial<OidcVerifierTiming> = {}) {
  return new OidcTokenVerifier(config(overrides), timing);
}

/** Claims of an agent's token, valid for five minutes; `claims` replace or (undefined) remove them. */
function claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: provider.issuer,
    aud: AUDIENCE,
    sub: 'ana',
    roles: ['agent'],
    iat: now(),
    exp: now() + 300,
    ...overrides,
  };
}

const token = (overrides: JWTPayload = {}) => provider.sign(claims(overrides));

async function refusal(verifying: Promise<unknown>): Promise<InvalidTokenError> {
  const error = await verifying.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return error as InvalidTokenError;
}

const reasonRefusing = async (verifying: Promise<unknown>) => (await refusal(verifying)).reason;

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('a valid token', () => {
  it('gives its subject, roles and expiry, and an agent token its agent id from sub', async () => {
    const exp = now() + 300;
    const principal = await verifier().verify(await token({ roles: ['agent', 'auditor'], exp }));

    expect(principal).toEqual({
      subject: 'ana',
      roles: ['agent', 'auditor'],
      agentId: 'ana',
      expiresAt: new Date(exp * 1000),
    });
  });

  it('takes the agent id from the configured claim', async () => {
    const principal = await verifier({ agentClaim: 'preferred_username' }).verify(
      await token({ sub: '5f1c2a9e-user', preferred_username: 'ana.lopez' }),
    );

    expect(principal).toMatchObject({ subject: '5f1c2a9e-user', agentId: 'ana.lopez' });
  });

  it('has no agent id when it does not hold the agent role', async () => {
    const principal = await verifier().verify(await token({ sub: 'sam', roles: ['supervisor'] }));

    expect(principal.roles).toEqual(['supervisor']);
    expect(principal).not.toHaveProperty('agentId');
  });

  it('reads roles from a space-separated string, ignoring names it does not know', async () => {
    const principal = await verifier().verify(
      await token({ sub: 'sam', roles: 'supervisor wizard  analyst' }),
    );

    expect(principal.roles).toEqual(['supervisor', 'analyst']);
  });

  it('reads roles from the configured claim, ignoring names it does not know in an array', async () => {
    const principal = await verifier({ rolesClaim: 'https://ledger.example/roles' }).verify(
      await token({
        sub: 'sam',
        roles: undefined,
        'https://ledger.example/roles': ['admin', 'root'],
      }),
    );

    expect(principal.roles).toEqual(['admin']);
  });

  it('is accepted within the clock tolerance of its exp and nbf', async () => {
    const accepting = verifier();

    await expect(accepting.verify(await token({ exp: now() - 10 }))).resolves.toMatchObject({
      subject: 'ana',
    });
    await expect(accepting.verify(await token({ nbf: now() + 10 }))).resolves.toMatchObject({
      subject: 'ana',
    });
  });
});

describe('a token is refused', () => {
  it('when expired', async () => {
    expect(await reasonRefusing(verifier().verify(await token({ exp: now() - 60 })))).toBe(
      'expired',
    );
  });

  it('when not yet valid', async () => {
    expect(await reasonRefusing(verifier().verify(await token({ nbf: now() + 60 })))).toBe(
      'not yet valid',
    );
  });

  it('without exp', async () => {
    expect(await reasonRefusing(verifier().verify(await token({ exp: undefined })))).toBe(
      'missing exp claim',
    );
  });

  it('for another audience', async () => {
    expect(await reasonRefusing(verifier().verify(await token({ aud: 'another-api' })))).toBe(
      'wrong audience',
    );
  });

  it('from another issuer', async () => {
    expect(
      await reasonRefusing(verifier().verify(await token({ iss: 'https://elsewhere.example' }))),
    ).toBe('wrong issuer');
  });

  it('when its payload was changed after signing', async () => {
    const [header, , signature] = (await token()).split('.');
    const forged = [header, base64url(claims({ sub: 'ana', roles: ['admin'] })), signature].join(
      '.',
    );

    expect(await reasonRefusing(verifier().verify(forged))).toBe('bad signature');
  });

  it('when unsigned (alg none)', async () => {
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims())}.`;
    const verifying = verifier();

    expect(await reasonRefusing(verifying.verify(unsigned))).toBe('algorithm not allowed');
    expect(provider.requestsTo(provider.jwksUrl)).toBe(0);
  });

  it('when HMAC-signed with the public key, as JWK or PEM, for a secret', async () => {
    const secrets = [JSON.stringify(provider.publicJwk), await exportSPKI(provider.publicKey)];
    const verifying = verifier();

    for (const secret of secrets) {
      const forged = await new SignJWT(claims({ roles: ['admin'] }))
        .setProtectedHeader({ alg: 'HS256', kid: provider.kid })
        .sign(new TextEncoder().encode(secret));
      expect(await reasonRefusing(verifying.verify(forged))).toBe('algorithm not allowed');
    }
  });

  it('when malformed, without reaching the key set', async () => {
    expect(await reasonRefusing(verifier().verify('not.a-token'))).toBe('malformed token');
    expect(provider.requestsTo(provider.jwksUrl)).toBe(0);
  });

  it('when it names no known role', async () => {
    const verifying = verifier();

    expect(await reasonRefusing(verifying.verify(await token({ roles: ['wizard'] })))).toBe(
      'no known role in the roles claim',
    );
    expect(await reasonRefusing(verifying.verify(await token({ roles: undefined })))).toBe(
      'no known role in the roles claim',
    );
  });

  it('when an agent token has no agent id in the configured claim', async () => {
    expect(
      await reasonRefusing(verifier({ agentClaim: 'preferred_username' }).verify(await token())),
    ).toBe('agent token without an agent id in the preferred_username claim');
  });

  it('when an agent token names a reserved agent id', async () => {
    const verifying = verifier({ agentClaim: 'preferred_username' });

    expect(
      await reasonRefusing(verifying.verify(await token({ preferred_username: 'automation' }))),
    ).toBe('reserved agent id');
  });

  it.each(['automation', 'automation:assigner', 'key:3f9a'])(
    'when its subject is the reserved %s',
    async (sub) => {
      expect(await reasonRefusing(verifier().verify(await token({ sub, roles: ['admin'] })))).toBe(
        'reserved subject',
      );
    },
  );

  it('with a reason that never holds the token', async () => {
    const expired = await token({ exp: now() - 60 });
    const error = await refusal(verifier().verify(expired));

    expect(error.message).not.toContain(expired);
    expect(error.message).not.toContain(expired.split('.')[1]);
  });
});

describe('the key set', () => {
  it('is fetched once for many tokens', async () => {
    const verifying = verifier();

    for (let i = 0; i < 3; i += 1) {
      await verifying.verify(await token());
    }

    expect(provider.requestsTo(provider.jwksUrl)).toBe(1);
  });

  it('is fetched again for an unknown kid, so a rotated key is accepted', async () => {
    const verifying = verifier({}, { keySetCooldownMs: 0 });
    await verifying.verify(await token());

    await provider.rotate();

    await expect(verifying.verify(await token())).resolves.toMatchObject({ subject: 'ana' });
    expect(provider.requestsTo(provider.jwksUrl)).toBe(2);
  });

  it('is not fetched again for an unknown kid during the cooldown', async () => {
    const verifying = verifier({}, { keySetCooldownMs: 60_000 });
    await verifying.verify(await token());

    await provider.rotate();

    expect(await reasonRefusing(verifying.verify(await token()))).toBe(
      'no key of the issuer matches',
    );
    expect(provider.requestsTo(provider.jwksUrl)).toBe(1);
  });

  it('is fetched again once older than its max age', async () => {
    const verifying = verifier({}, { keySetMaxAgeMs: 50 });
    await verifying.verify(await token());

    await new Promise((resolve) => setTimeout(resolve, 100));
    await verifying.verify(await token());

    expect(provider.requestsTo(provider.jwksUrl)).toBe(2);
  });

  it('that does not answer refuses the token after the timeout', async () => {
    const verifying = verifier({ jwksUrl: provider.silentJwksUrl }, { fetchTimeoutMs: 200 });

    expect(await reasonRefusing(verifying.verify(await token()))).toBe('key set timed out');
  });

  it('is not asked again during the cooldown after it failed to answer', async () => {
    const verifying = verifier({ jwksUrl: provider.silentJwksUrl }, { fetchTimeoutMs: 100 });
    await reasonRefusing(verifying.verify(await token()));

    for (let attempt = 0; attempt < 10; attempt++) {
      expect(await reasonRefusing(verifying.verify(await token()))).toBe(
        'identity provider unavailable, retried after a pause',
      );
    }
    expect(provider.requestsTo(provider.silentJwksUrl)).toBe(1);
  });

  it('that cannot be reached refuses the token', async () => {
    const signed = await token();
    await provider.close();

    expect(await reasonRefusing(verifier().verify(signed))).toBe('key set unavailable');
  });
});

describe('without AUTH_JWKS_URL', () => {
  it('finds the key set in the issuer discovery document, read once', async () => {
    const verifying = verifier({ jwksUrl: undefined });

    await expect(verifying.verify(await token())).resolves.toMatchObject({ subject: 'ana' });
    await verifying.verify(await token());

    expect(provider.requestsTo(`${provider.issuer}/.well-known/openid-configuration`)).toBe(1);
    expect(provider.requestsTo(provider.jwksUrl)).toBe(1);
  });

  it('finds it when the issuer ends with a slash', async () => {
    const issuer = `${provider.issuer}/`;
    const verifying = verifier({ issuer, jwksUrl: undefined });

    await expect(verifying.verify(await token({ iss: issuer }))).resolves.toMatchObject({
      subject: 'ana',
    });
  });

  it('tries discovery again after it failed, once the cooldown is over', async () => {
    const verifying = verifier({ jwksUrl: undefined }, { keySetCooldownMs: 0 });
    provider.failDiscovery(1);

    expect(await reasonRefusing(verifying.verify(await token()))).toBe(
      'discovery document answered 503',
    );
    await expect(verifying.verify(await token())).resolves.toMatchObject({ subject: 'ana' });
    expect(provider.requestsTo(`${provider.issuer}/.well-known/openid-configuration`)).toBe(2);
  });
});

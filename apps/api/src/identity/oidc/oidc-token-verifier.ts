import type { OidcConfig } from '@ledger/runtime';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { discoverJwksUrl } from './jwks-discovery';
import { principalFrom, type TokenPrincipal } from './token-principal';
import { InvalidTokenError } from './invalid-token.error';
import { refusal } from './token-refusal';

/** Asymmetric signatures only: no `none`, and no HMAC, whose secret a public key could pose as. */
export const ALLOWED_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

export interface OidcVerifierTiming {
  /** How far `exp` and `nbf` may be off, for clocks that disagree a little. */
  clockToleranceSeconds: number;
  /** How long a request to the provider (discovery document, key set) may take. */
  fetchTimeoutMs: number;
  /**
   * After a fetch of the key set, how long an unknown `kid` is refused without
   * fetching again; after a failed fetch (discovery or key set), how long
   * tokens are refused without asking the provider.
   */
  keySetCooldownMs: number;
  /** How long a fetched key set is used before it is fetched again. */
  keySetMaxAgeMs: number;
}

export const DEFAULT_OIDC_TIMING: OidcVerifierTiming = {
  clockToleranceSeconds: 30,
  fetchTimeoutMs: 5_000,
  keySetCooldownMs: 30_000,
  keySetMaxAgeMs: 10 * 60_000,
};

/** Whether resolving a key failed for want of an answer from the provider, not for the token's sake. */
function isUnavailable(error: unknown): boolean {
  const reason = refusal(error).reason;
  return (
    reason.startsWith('key set t') ||
    reason.startsWith('key set u') ||
    reason.startsWith('discovery')
  );
}

/** Checks an identity provider's bearer tokens (signed JWTs) and says whom they speak for. */
export class OidcTokenVerifier {
  private readonly timing: OidcVerifierTiming;
  private keySet?: Promise<JWTVerifyGetKey>;
  /** Until when the provider is taken as unreachable, after a failed fetch. */
  private unavailableUntil = 0;

  constructor(
    private readonly config: OidcConfig,
    timing: Partial<OidcVerifierTiming> = {},
  ) {
    this.timing = { ...DEFAULT_OIDC_TIMING, ...timing };
  }

  /** The token's principal; an InvalidTokenError for every reason it is not accepted. */
  async verify(token: string): Promise<TokenPrincipal> {
    try {
      // jose checks the token's form and algorithm before asking for a key: garbage never reaches the network.
      const key: JWTVerifyGetKey = (header, jws) => this.keyFor(header, jws);
      const { payload } = await jwtVerify(token, key, {
        issuer: this.config.issuer,
        audience: this.config.audience,
        algorithms: [...ALLOWED_ALGORITHMS],
        clockTolerance: this.timing.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp'],
      });
      return principalFrom(payload, this.config);
    } catch (error) {
      throw refusal(error);
    }
  }

  /**
   * The key that signed the token. A provider that failed to answer is left
   * alone for the cooldown, so tokens (made-up ones too) cannot make the API
   * hammer it or wait on it request after request.
   */
  private async keyFor(
    ...args: Parameters<JWTVerifyGetKey>
  ): Promise<Awaited<ReturnType<JWTVerifyGetKey>>> {
    if (Date.now() < this.unavailableUntil) {
      throw new InvalidTokenError('identity provider unavailable, retried after a pause');
    }
    try {
      return await (
        await this.remoteKeySet()
      )(...args);
    } catch (error) {
      if (isUnavailable(error)) this.unavailableUntil = Date.now() + this.timing.keySetCooldownMs;
      throw error;
    }
  }

  private remoteKeySet(): Promise<JWTVerifyGetKey> {
    this.keySet ??= this.locateKeySet().catch((error: unknown) => {
      // Forgotten, so that the next token tries discovery again.
      this.keySet = undefined;
      throw error;
    });
    return this.keySet;
  }

  private async locateKeySet(): Promise<JWTVerifyGetKey> {
    const url = this.config.jwksUrl
      ? new URL(this.config.jwksUrl)
      : await discoverJwksUrl(this.config.issuer, this.timing.fetchTimeoutMs);
    return createRemoteJWKSet(url, {
      timeoutDuration: this.timing.fetchTimeoutMs,
      cooldownDuration: this.timing.keySetCooldownMs,
      cacheMaxAge: this.timing.keySetMaxAgeMs,
    });
  }
}

import { Inject, Injectable, Optional } from '@nestjs/common';
import { ApiKeyRegistry } from './api-key-registry';
import type { TokenPrincipal } from './oidc';
import type { Principal } from './principal';

export interface TokenVerifier {
  /** Refuses reserved actors (`automation`, `key:…`) as it refuses a bad signature. */
  verify(token: string): Promise<TokenPrincipal>;
}

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** Why a request is not authenticated: for the log, never for the client, never with the secret. */
export class AuthenticationFailure extends Error {
  constructor(
    readonly reason: string,
    /** A credential was presented (RFC 6750's `invalid_token`) rather than none. */
    readonly presented: boolean,
  ) {
    super(reason);
    this.name = 'AuthenticationFailure';
  }
}

const BEARER = /^Bearer +([\x21-\x7e]{1,12288})$/i;
const JWT = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/** Turns an `Authorization` header into the principal it proves. */
@Injectable()
export class Authenticator {
  constructor(
    private readonly keys: ApiKeyRegistry,
    @Optional() @Inject(TOKEN_VERIFIER) private readonly tokens?: TokenVerifier,
  ) {}

  async authenticate(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization === '') {
      throw new AuthenticationFailure('no credential', false);
    }
    const credential = BEARER.exec(authorization)?.[1];
    if (credential === undefined) throw new AuthenticationFailure('not a bearer credential', true);
    if (this.tokens && JWT.test(credential)) return this.fromToken(credential);
    const principal = await this.keys.principalFor(credential);
    if (!principal) throw new AuthenticationFailure('unknown or revoked key', true);
    return principal;
  }

  /**
   * Whether a principal authenticated earlier still is: its key not revoked
   * since, its token not expired. For answers that outlive their request.
   */
  async stillValid(principal: Principal): Promise<boolean> {
    if (principal.expiresAt !== undefined) return principal.expiresAt.getTime() > Date.now();
    if (principal.keyId === undefined) return false;
    return this.keys.isActive(principal.keyId);
  }

  private async fromToken(token: string): Promise<Principal> {
    let verified: TokenPrincipal;
    try {
      verified = await this.tokens!.verify(token);
    } catch (error) {
      throw new AuthenticationFailure(
        `token refused: ${error instanceof Error ? error.message : 'invalid'}`,
        true,
      );
    }
    return {
      id: `token:${verified.subject}`,
      expiresAt: verified.expiresAt,
      actor: verified.agentId ?? verified.subject,
      roles: verified.roles,
      ...(verified.agentId !== undefined && { agentId: verified.agentId }),
    };
  }
}

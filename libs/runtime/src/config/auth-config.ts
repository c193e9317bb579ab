import { ConfigError } from './config-error';

/** An identity provider whose bearer tokens (JWTs) the API accepts beside its own keys. */
export interface OidcConfig {
  /** `iss` every token must carry; also where the JWKS is discovered when `jwksUrl` is unset. */
  issuer: string;
  /** `aud` every token must carry. */
  audience: string;
  /** The provider's key set; unset: read from the issuer's `/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** The claim that lists the principal's roles. */
  rolesClaim: string;
  /** The claim that names the agent of an `agent` token; `sub` when unset. */
  agentClaim: string;
  /** AUTH_CLIENT_ID: the dashboard's public client at the provider; unset, it signs in with keys only. */
  clientId?: string;
}

export interface AuthConfig {
  /** ADMIN_KEY: becomes the first admin key of a store that has none. */
  adminKey?: string;
  oidc?: OidcConfig;
}

const MIN_ADMIN_KEY_LENGTH = 32;
/** What a bearer credential may be: visible ASCII, as the Authorization header carries it. */
const SENDABLE = /^[\x21-\x7e]+$/;
/** Taken for an identity provider's token, never looked up as a key. */
const JWT_SHAPED = /^[\w-]+\.[\w-]+\.[\w-]*$/;

function httpUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name}=${value} is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigError(`${name}=${value} is not an http(s) URL`);
  }
  return value;
}

export function authConfigFrom(env: NodeJS.ProcessEnv): AuthConfig {
  const adminKey = env.ADMIN_KEY?.trim() || undefined;
  // The value itself is a secret: never echoed.
  if (adminKey !== undefined && adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    throw new ConfigError(`ADMIN_KEY is shorter than ${MIN_ADMIN_KEY_LENGTH} characters`);
  }
  if (adminKey !== undefined && (!SENDABLE.test(adminKey) || JWT_SHAPED.test(adminKey))) {
    throw new ConfigError(
      'ADMIN_KEY cannot be sent as a bearer key: use visible ASCII without spaces, not shaped like a JWT',
    );
  }
  const issuer = env.AUTH_ISSUER?.trim() || undefined;
  const audience = env.AUTH_AUDIENCE?.trim() || undefined;
  const jwksUrl = env.AUTH_JWKS_URL?.trim() || undefined;
  const clientId = env.AUTH_CLIENT_ID?.trim() || undefined;
  if (issuer === undefined) {
    if (audience !== undefined || jwksUrl !== undefined || clientId !== undefined) {
      throw new ConfigError(
        'AUTH_ISSUER is not set: AUTH_AUDIENCE, AUTH_JWKS_URL and AUTH_CLIENT_ID need it',
      );
    }
    return { adminKey };
  }
  if (audience === undefined) {
    throw new ConfigError('AUTH_AUDIENCE is not set: tokens of AUTH_ISSUER are checked against it');
  }
  return {
    adminKey,
    oidc: {
      issuer: httpUrl('AUTH_ISSUER', issuer),
      audience,
      ...(jwksUrl !== undefined && { jwksUrl: httpUrl('AUTH_JWKS_URL', jwksUrl) }),
      rolesClaim: env.AUTH_ROLES_CLAIM?.trim() || 'roles',
      agentClaim: env.AUTH_AGENT_CLAIM?.trim() || 'sub',
      ...(clientId !== undefined && { clientId }),
    },
  };
}

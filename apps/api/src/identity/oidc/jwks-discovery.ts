import { InvalidTokenError } from './invalid-token.error';

/** Where OpenID Connect Discovery puts the issuer's metadata; an issuer may end with a slash. */
export function discoveryDocumentUrl(issuer: string): URL {
  return new URL(`${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`);
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !URL.canParse(value)) {
    return false;
  }
  const { protocol } = new URL(value);
  return protocol === 'https:' || protocol === 'http:';
}

/** The `jwks_uri` the issuer publishes in its discovery document. */
export async function discoverJwksUrl(issuer: string, timeoutMs: number): Promise<URL> {
  const signal = AbortSignal.timeout(timeoutMs);
  let document: unknown;
  try {
    // Redirects are not followed, as jose does for the key set: the issuer answers for itself.
    const response = await fetch(discoveryDocumentUrl(issuer), {
      redirect: 'manual',
      signal,
      headers: { accept: 'application/json' },
    });
    if (response.status !== 200) {
      throw new InvalidTokenError(`discovery document answered ${response.status}`);
    }
    document = await response.json();
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      throw error;
    }
    const reason = signal.aborted
      ? 'discovery document timed out'
      : 'discovery document unavailable';
    throw new InvalidTokenError(reason, { cause: error });
  }
  const jwksUri = (document as { jwks_uri?: unknown } | null)?.jwks_uri;
  if (!isHttpUrl(jwksUri)) {
    throw new InvalidTokenError('discovery document has no http(s) jwks_uri');
  }
  return new URL(jwksUri);
}

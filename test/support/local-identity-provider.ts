import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exportJWK,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

async function signingKey(kid: string, alg: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return {
    kid,
    alg,
    privateKey,
    publicKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/**
 * An identity provider on 127.0.0.1: a discovery document, a key set, and
 * tokens signed with its keys. `rotate()` replaces the served key.
 */
export class LocalIdentityProvider {
  /** Requests served, by path. */
  readonly requests = new Map<string, number>();
  private discoveryFailures = 0;
  private keyCount = 0;
  /** Codes handed out by the authorization endpoint, not yet exchanged. */
  private readonly codes = new Map<
    string,
    { clientId: string; redirectUri: string; challenge: string }
  >();
  /** The claims of the access token a code is exchanged for: who "signs in" at the provider. */
  signInAs: JWTPayload = {};
  /** Token requests refused, with the reason: a wrong verifier, an unknown code… */
  readonly refusedTokens: string[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
    private signing: SigningKey,
  ) {}

  static async start(): Promise<LocalIdentityProvider> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const provider = new LocalIdentityProvider(
      server,
      `http://127.0.0.1:${port}`,
      await signingKey('key-1', 'RS256'),
    );
    provider.keyCount = 1;
    server.on('request', (request, response) => provider.answer(request, response));
    return provider;
  }

  get issuer(): string {
    return `${this.origin}/realms/support`;
  }

  get jwksUrl(): string {
    return `${this.issuer}/keys`;
  }

  get authorizationEndpoint(): string {
    return `${this.issuer}/auth`;
  }

  get tokenEndpoint(): string {
    return `${this.issuer}/token`;
  }

  /** A key set URL that accepts the connection and never answers. */
  get silentJwksUrl(): string {
    return `${this.issuer}/silent-keys`;
  }

  get kid(): string {
    return this.signing.kid;
  }

  get publicKey(): CryptoKey {
    return this.signing.publicKey;
  }

  get publicJwk(): JWK {
    return this.signing.publicJwk;
  }

  requestsTo(url: string): number {
    return this.requests.get(new URL(url).pathname) ?? 0;
  }

  /** The next `count` discovery requests answer 503. */
  failDiscovery(count: number): void {
    this.discoveryFailures = count;
  }

  /** Serves a new key, of another algorithm, in place of the current one. */
  async rotate(): Promise<void> {
    this.keyCount += 1;
    const alg = this.signing.alg === 'RS256' ? 'ES256' : 'RS256';
    this.signing = await signingKey(`key-${this.keyCount}`, alg);
  }

  /** A token signed with the served key; a claim set to undefined is left out. */
  sign(claims: JWTPayload, header: { kid?: string } = {}): Promise<string> {
    const defined = Object.fromEntries(
      Object.entries(claims).filter(([, value]) => value !== undefined),
    );
    return new SignJWT(defined)
      .setProtectedHeader({
        alg: this.signing.alg,
        kid: header.kid ?? this.signing.kid,
        typ: 'JWT',
      })
      .sign(this.signing.privateKey);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', this.origin).pathname;
    this.requests.set(path, (this.requests.get(path) ?? 0) + 1);
    if (path === new URL(this.silentJwksUrl).pathname) {
      return;
    }
    if (path === `/realms/support/.well-known/openid-configuration`) {
      if (this.discoveryFailures > 0) {
        this.discoveryFailures -= 1;
        return this.json(response, 503, { error: 'unavailable' });
      }
      return this.json(
        response,
        200,
        {
          issuer: this.issuer,
          jwks_uri: this.jwksUrl,
          authorization_endpoint: this.authorizationEndpoint,
          token_endpoint: this.tokenEndpoint,
          code_challenge_methods_supported: ['S256'],
        },
        // Read by browsers too (the dashboard's sign-in), as providers allow.
        { 'access-control-allow-origin': '*' },
      );
    }
    if (path === new URL(this.authorizationEndpoint).pathname)
      return this.authorize(request, response);
    if (path === new URL(this.tokenEndpoint).pathname) return void this.exchange(request, response);
    if (path === new URL(this.jwksUrl).pathname) {
      return this.json(response, 200, { keys: [this.signing.publicJwk] });
    }
    this.json(response, 404, { error: 'not found' });
  }

  /** Signs in at once, whoever asks: redirects back with a code bound to the PKCE challenge. */
  private authorize(request: IncomingMessage, response: ServerResponse): void {
    const query = new URL(request.url ?? '/', this.origin).searchParams;
    const redirectUri = query.get('redirect_uri');
    const challenge = query.get('code_challenge');
    if (
      !redirectUri ||
      !challenge ||
      query.get('response_type') !== 'code' ||
      query.get('code_challenge_method') !== 'S256'
    ) {
      return this.json(response, 400, { error: 'invalid_request' });
    }
    const code = randomUUID();
    this.codes.set(code, { clientId: query.get('client_id') ?? '', redirectUri, challenge });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    if (query.has('state')) back.searchParams.set('state', query.get('state')!);
    response.writeHead(302, { location: back.toString() }).end();
  }

  /** The code for an access token, once, when the verifier hashes to the challenge. */
  private async exchange(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const cors = { 'access-control-allow-origin': '*' };
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const form = new URLSearchParams(body);
    const code = this.codes.get(form.get('code') ?? '');
    this.codes.delete(form.get('code') ?? '');
    const verifier = form.get('code_verifier') ?? '';
    const reason =
      request.method !== 'POST'
        ? 'not a POST'
        : form.get('grant_type') !== 'authorization_code'
          ? 'not an authorization code grant'
          : !code
            ? 'unknown code'
            : code.clientId !== form.get('client_id') ||
                code.redirectUri !== form.get('redirect_uri')
              ? 'another client or redirect'
              : createHash('sha256').update(verifier).digest('base64url') !== code.challenge
                ? 'the verifier does not match the challenge'
                : undefined;
    if (reason) {
      this.refusedTokens.push(reason);
      return this.json(response, 400, { error: 'invalid_grant' }, cors);
    }
    const now = Math.floor(Date.now() / 1000);
    const accessToken = await this.sign({
      iss: this.issuer,
      iat: now,
      exp: now + 300,
      ...this.signInAs,
    });
    this.json(
      response,
      200,
      { access_token: accessToken, token_type: 'Bearer', expires_in: 300 },
      { ...cors, 'cache-control': 'no-store' },
    );
  }

  private json(
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    response
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify(body));
  }
}

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
      return this.json(response, 200, { issuer: this.issuer, jwks_uri: this.jwksUrl });
    }
    if (path === new URL(this.jwksUrl).pathname) {
      return this.json(response, 200, { keys: [this.signing.publicJwk] });
    }
    this.json(response, 404, { error: 'not found' });
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

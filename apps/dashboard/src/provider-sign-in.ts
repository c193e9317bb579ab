/**
 * Signing in through the identity provider: the authorization-code flow with
 * PKCE (S256), the code exchanged for tokens in the browser. The verifier and
 * state wait in this tab's session storage while the provider has the tab.
 */
export interface ProviderSettings {
  issuer: string;
  clientId: string;
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

const PENDING = 'escalation-ledger.sign-in';

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

const randomText = () => base64url(crypto.getRandomValues(new Uint8Array(32)));

async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`The provider's discovery answered ${response.status}`);
  return (await response.json()) as Discovery;
}

/** The page's own address, without query or fragment: where the provider sends the reader back. */
const redirectUri = () => `${location.origin}${location.pathname}`;

/** Leaves for the provider's sign-in page. */
export async function startProviderSignIn(settings: ProviderSettings): Promise<void> {
  const { authorization_endpoint } = await discover(settings.issuer);
  const verifier = randomText();
  const state = randomText();
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(authorization_endpoint);
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: 'openid',
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  })) {
    url.searchParams.set(name, value);
  }
  location.assign(url.toString());
}

/**
 * Back from the provider: the access token for the code in the address, or
 * undefined when the page was not opened by the provider. The code and state
 * leave the address bar at once, whatever happens next.
 */
export async function finishProviderSignIn(
  settings: ProviderSettings | null,
): Promise<string | undefined> {
  const query = new URLSearchParams(location.search);
  if (!query.has('code') && !query.has('error')) return undefined;
  history.replaceState(null, '', redirectUri());
  const pending = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (query.has('error')) throw new Error(`The provider refused: ${query.get('error')}`);
  const expected = pending ? (JSON.parse(pending) as { verifier: string; state: string }) : null;
  if (!settings || !expected || query.get('state') !== expected.state) {
    throw new Error('This sign-in was not started here (its state does not match)');
  }
  const { token_endpoint } = await discover(settings.issuer);
  const response = await fetch(token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: query.get('code') ?? '',
      redirect_uri: redirectUri(),
      client_id: settings.clientId,
      code_verifier: expected.verifier,
    }),
  });
  const tokens = (await response.json().catch(() => ({}))) as { access_token?: string };
  if (!response.ok || !tokens.access_token) {
    throw new Error(`The provider did not give a token (it answered ${response.status})`);
  }
  return tokens.access_token;
}

/** An answer other than 2xx, with the API's error code when it sent one. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

/** The credential was refused: the page goes back to the sign-in form. */
export class SignedOut extends Error {
  constructor() {
    super('The credential was refused');
    this.name = 'SignedOut';
  }
}

type Query = Record<string, string | number | boolean | undefined>;

/** The path with the query's defined values, encoded. */
export function withQuery(path: string, query: Query = {}): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Reads the API with the signed-in credential as a bearer token, never in a
 * URL. A 401 calls `onSignedOut` and throws SignedOut; any other failure
 * throws an ApiFailure with the API's code and message.
 */
export class Api {
  constructor(
    private readonly credential: string,
    private readonly onSignedOut: () => void,
    /** Where the API is: the page's own origin unless told. */
    private readonly origin = '',
  ) {}

  private headers(extra: Record<string, string>): Record<string, string> {
    return { authorization: `Bearer ${this.credential}`, ...extra };
  }

  /** The raw answer, once it is not a 401. */
  async fetch(path: string, headers: Record<string, string>, signal?: AbortSignal) {
    const response = await fetch(`${this.origin}${path}`, {
      headers: this.headers(headers),
      signal,
    });
    if (response.status === 401) {
      await response.body?.cancel();
      this.onSignedOut();
      throw new SignedOut();
    }
    return response;
  }

  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    const response = await this.fetch(
      withQuery(path, query),
      { accept: 'application/json' },
      signal,
    );
    const body = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string } } | undefined;
    if (!response.ok) {
      const error = body?.error;
      throw new ApiFailure(
        response.status,
        error?.code,
        error?.message ?? `The API answered ${response.status}`,
      );
    }
    return body as T;
  }
}

/** What to tell the reader when a read failed, in words. */
export function explain(error: unknown, what: string): string {
  if (error instanceof ApiFailure && error.status === 403) {
    return `This key may not read ${what}: ${error.message}`;
  }
  if (error instanceof ApiFailure) return `Could not read ${what}: ${error.message}`;
  return `Could not read ${what}: the server did not answer`;
}

import { withCredential } from './credentials';
import type { ReceivedAnswer } from './openapi-conformance';

export interface HttpAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** Something that answers HTTP requests: the app in the test process, or one started as a process. */
export interface HttpClient {
  /**
   * Authenticated as the test admin unless `headers` name an `authorization`
   * (an empty one sends none).
   */
  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<HttpAnswer<T>>;
}

/**
 * One request to the server at `baseUrl`: a body is sent as JSON unless it is
 * a string already, and the answer's body is parsed as JSON unless it is not;
 * `check` sees the answer first (against the OpenAPI document, in the suites).
 */
export async function sendRequest<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
  options: { timeoutMs?: number; check?: (answer: ReceivedAnswer) => void } = {},
): Promise<HttpAnswer<T>> {
  headers = withCredential(headers);
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
  });
  const text = await response.text();
  options.check?.({ method, path, status: response.status, headers: response.headers, text });
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the raw text is the body
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** The admin key every test API starts with (ADMIN_KEY): tests act as an admin unless they say otherwise. */
export const TEST_ADMIN_KEY = 'esl_test-admin-key-for-the-suites-only-0000';

/** Headers that authenticate as `key`, for requests a test makes by hand (raw sockets, fetch). */
export function bearer(key: string = TEST_ADMIN_KEY): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}

/** The test admin's credential unless `headers` name an `authorization` (an empty one sends none). */
export function withCredential(headers: Record<string, string>): Record<string, string> {
  const named = Object.keys(headers).find((name) => name.toLowerCase() === 'authorization');
  if (named === undefined) return { ...bearer(), ...headers };
  if (headers[named] !== '') return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name !== named));
}

import type { HttpAnswer, HttpClient } from '../../support/http-client';
import { startTestApp, type TestApp, type TestAppOptions } from '../../support/test-app';

/** The only 5xx the contract allows: `?after=` not reached in time. */
const DELIBERATE_TIMEOUT = { status: 504, code: 'POSITION_NOT_REACHED' };

const ERROR_CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

/** Why an error answer does not have the contract's shape, or undefined when it does. */
function errorShapeProblem(body: any): string | undefined {
  if (typeof body !== 'object' || body === null) return 'the body is not a JSON object';
  const keys = Object.keys(body);
  if (keys.length !== 1 || keys[0] !== 'error') return 'the body is not { error }';
  const { code, message, details, ...rest } = body.error ?? {};
  if (typeof code !== 'string' || !ERROR_CODE.test(code)) return 'error.code is not UPPER_SNAKE';
  if (typeof message !== 'string' || message === '') return 'error.message is missing';
  if (Object.keys(rest).length > 0) return `error has extra keys ${Object.keys(rest).join(', ')}`;
  if (details === undefined) return undefined;
  if (!Array.isArray(details)) return 'error.details is not an array';
  for (const detail of details) {
    if (typeof detail?.field !== 'string' || typeof detail?.message !== 'string') {
      return 'error.details has an entry that is not { field, message }';
    }
  }
  return undefined;
}

/**
 * Answers from `client` with two checks that hold for every answer of the
 * suite: no server fault (a 5xx other than the contract's 504), and every
 * error in the contract's `{ error: { code, message, details? } }` shape.
 */
export function checkingContract(client: HttpClient): HttpClient['request'] {
  return async (method, path, body, headers) => {
    const answer: HttpAnswer = await client.request(method, path, body, headers);
    const where = `${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`;
    const deliberate =
      answer.status === DELIBERATE_TIMEOUT.status &&
      answer.body?.error?.code === DELIBERATE_TIMEOUT.code;
    if (answer.status >= 500 && !deliberate) throw new Error(`Server fault: ${where}`);
    if (answer.status >= 400) {
      const problem = errorShapeProblem(answer.body);
      if (problem) throw new Error(`Error answer off contract (${problem}): ${where}`);
    }
    return answer;
  };
}

/** The real app over HTTP, every answer checked against the contract. */
export async function startApi(options: TestAppOptions = {}): Promise<TestApp> {
  const app = await startTestApp(options);
  return { ...app, request: checkingContract(app) };
}

/** The error answer's status and code, for `toEqual` against `{ status, code }`. */
export function errorOf(answer: HttpAnswer): { status: number; code: string | undefined } {
  return { status: answer.status, code: answer.body?.error?.code };
}

/** The fields named by a 400's details. */
export function fieldsOf(answer: HttpAnswer): string[] {
  return ((answer.body?.error?.details ?? []) as { field: string }[]).map((detail) => detail.field);
}

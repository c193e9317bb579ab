/** The first answer given to a command sent with an Idempotency-Key. */
export interface IdempotentAnswer {
  /** The Idempotency-Key in its scope: see `idempotencyScope`. */
  scope: string;
  requestHash: string;
  status: number;
  body: unknown;
  /** From then on the key is forgotten: a request sent with it is a new one. */
  expiresAt: Date;
}

/**
 * An answer as every store keeps it: the body as JSON text, so a retry gets
 * what JSON carried to the first caller (a date as its ISO text), whatever
 * the body's keys and whichever store kept it.
 */
export interface StoredAnswer {
  requestHash: string;
  status: number;
  body: string;
  expiresAt: Date;
}

export function storedAnswer(answer: IdempotentAnswer): StoredAnswer {
  const { requestHash, status, expiresAt } = answer;
  return { requestHash, status, body: JSON.stringify(answer.body), expiresAt };
}

export function answerOf(scope: string, stored: StoredAnswer): IdempotentAnswer {
  const { requestHash, status, expiresAt } = stored;
  return { scope, requestHash, status, body: JSON.parse(stored.body), expiresAt };
}

export interface IdempotencyStore {
  /** The answer stored for `scope`, unless it has expired by `now`. */
  find(scope: string, now: Date): Promise<IdempotentAnswer | undefined>;
  /**
   * Keeps the first answer stored for a scope, unless it has expired by `now`:
   * this one then takes its place. Expired answers are deleted, now or later.
   */
  save(answer: IdempotentAnswer, now: Date): Promise<void>;
  close(): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

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

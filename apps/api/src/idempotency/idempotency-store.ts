/** The first answer given to a command sent with an Idempotency-Key. */
export interface IdempotentAnswer {
  /** The Idempotency-Key in its scope: see `idempotencyScope`. */
  scope: string;
  requestHash: string;
  status: number;
  body: unknown;
}

export interface IdempotencyStore {
  find(scope: string): Promise<IdempotentAnswer | undefined>;
  /** Keeps the first answer stored for a scope. */
  save(answer: IdempotentAnswer): Promise<void>;
  close(): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

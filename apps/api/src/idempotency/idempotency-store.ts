/** The first answer given to a command sent with an Idempotency-Key. */
export interface IdempotentAnswer {
  key: string;
  requestHash: string;
  status: number;
  body: unknown;
}

export interface IdempotencyStore {
  find(key: string): Promise<IdempotentAnswer | undefined>;
  /** Keeps the first answer stored for a key. */
  save(answer: IdempotentAnswer): Promise<void>;
  close(): Promise<void>;
}

export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');

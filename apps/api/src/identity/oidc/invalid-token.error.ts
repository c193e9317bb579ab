/**
 * A bearer token the API does not accept. `reason` is short and safe to log:
 * it names what failed, never the token or a claim's value.
 */
export class InvalidTokenError extends Error {
  readonly code = 'INVALID_TOKEN';

  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Invalid token: ${reason}`, options);
    this.name = 'InvalidTokenError';
  }
}

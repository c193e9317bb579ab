/**
 * A command the command path could not apply, for a reason of the path (the
 * stream's version, a reused key) rather than a business rule. `code` is
 * stable and part of the HTTP contract; the status is chosen at the edge.
 */
export abstract class CommandPathError extends Error {
  abstract readonly code: string;
}

/** The command was conditional on a version the stream is not at. */
export class VersionMismatchError extends CommandPathError {
  readonly code = 'VERSION_MISMATCH';

  constructor(
    readonly streamId: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`${streamId} is at version ${actual}, not ${expected}`);
    this.name = 'VersionMismatchError';
  }
}

/** Other writers kept getting in first, attempt after attempt. */
export class ConcurrentModificationError extends CommandPathError {
  readonly code = 'CONCURRENT_MODIFICATION';

  constructor(readonly streamId: string) {
    super(`${streamId} is changing too fast: retry`);
    this.name = 'ConcurrentModificationError';
  }
}

/** An Idempotency-Key sent again with a different request. */
export class IdempotencyKeyReusedError extends CommandPathError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';

  constructor() {
    super('This Idempotency-Key was used for a different request');
    this.name = 'IdempotencyKeyReusedError';
  }
}

/**
 * A personal field the log holds but that cannot be read: its ciphertext
 * does not authenticate (the log or the key store was altered) or its key is
 * not in the key store at all (the key store is not the log's). Never shown
 * as erased: that would hide the damage.
 */
export class UnreadablePersonalDataError extends Error {
  readonly code = 'PERSONAL_DATA_UNREADABLE';

  constructor(
    readonly streamId: string,
    readonly version: number,
    readonly field: string,
    reason: string,
  ) {
    super(`Event ${version} of ${streamId}: ${field} cannot be read: ${reason}`);
    this.name = 'UnreadablePersonalDataError';
  }
}

/** The master key given is not the one that wrapped the stored data keys. */
export class MasterKeyMismatchError extends Error {
  constructor() {
    super('is not the master key the stored data keys were wrapped with');
    this.name = 'MasterKeyMismatchError';
  }
}

/** A data key as the key store keeps it: wrapped by the master key, or destroyed. */
export type StoredKey =
  | { kid: string; wrapped: string; destroyedAt?: undefined }
  | { kid: string; wrapped?: undefined; destroyedAt: string };

/**
 * Where the data keys live, apart from the log: a key destroyed here makes
 * every field sealed with it unreadable, wherever copies of the log went.
 * Keys are wrapped before they reach a store; a store never sees one in the clear.
 */
export interface KeyStore {
  find(kid: string): Promise<StoredKey | undefined>;
  /**
   * Stores `wrapped` under `kid` unless something is stored there already,
   * and answers what is: writers that race for a new key all get the one
   * that landed first; a destroyed key stays destroyed.
   */
  keep(kid: string, wrapped: string): Promise<StoredKey>;
  /**
   * Deletes the key material for good, leaving a tombstone dated `at` (the
   * first destruction's date stays). A kid never stored gets a tombstone too,
   * so no key can be made for it later.
   */
  destroy(kid: string, at: Date): Promise<void>;
  close(): Promise<void>;
}

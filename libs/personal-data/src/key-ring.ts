import { LRUCache } from 'lru-cache';
import type { KeyStore, StoredKey } from './key-store';
import { MasterKeyMismatchError } from './errors';
import { newDataKey, UnsealError, unwrapKey, wrapKey } from './sealing';

/** A data key as a reader finds it. */
export type KeyLookup =
  | { state: 'live'; key: Buffer }
  | { state: 'erased' }
  /** Never made: no field can be sealed with it. */
  | { state: 'unknown' };

export interface KeyRingOptions {
  /**
   * How long a live key is used from memory before the store is asked again:
   * how long another process may keep reading a customer this one erased.
   */
  cacheTtlMs?: number;
  /** Keys held in memory at most; the least recently used go first. */
  cachedKeys?: number;
  clock?: () => number;
}

/** The key id of a customer's data key, as sealed fields name it. */
export function customerKeyId(customerId: string): string {
  return `customer:${customerId}`;
}

/** Kept beside the data keys, wrapped the same way: a wrong master key fails to open it. */
const MASTER_CHECK = 'master-check';

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_CACHED_KEYS = 10_000;

/**
 * The customers' data keys: made on first use, wrapped by the master key in
 * the key store, unwrapped and held in memory for a short while, destroyed on
 * erasure. Erasure cannot be undone, so an erased key is remembered for good.
 */
export class KeyRing {
  private readonly cache: LRUCache<string, { lookup: KeyLookup; until: number }>;
  private readonly loading = new Map<string, Promise<KeyLookup>>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  private constructor(
    private readonly store: KeyStore,
    private readonly master: Buffer,
    options: KeyRingOptions,
  ) {
    this.ttlMs = options.cacheTtlMs ?? DEFAULT_TTL_MS;
    this.cache = new LRUCache({ max: options.cachedKeys ?? DEFAULT_CACHED_KEYS });
    this.now = options.clock ?? Date.now;
  }

  /** Fails with MasterKeyMismatchError when `master` is not the key the store's keys were wrapped with. */
  static async open(
    store: KeyStore,
    master: Buffer,
    options: KeyRingOptions = {},
  ): Promise<KeyRing> {
    const check = await store.keep(MASTER_CHECK, wrapKey(master, MASTER_CHECK, newDataKey()));
    try {
      unwrapKey(master, MASTER_CHECK, check.wrapped ?? '');
    } catch (error) {
      if (error instanceof UnsealError) throw new MasterKeyMismatchError();
      throw error;
    }
    return new KeyRing(store, master, options);
  }

  /** The key as held in memory, live or erased, without asking the store: undefined if not held. */
  held(kid: string): KeyLookup | undefined {
    const cached = this.cache.get(kid);
    if (!cached || cached.until <= this.now() || cached.lookup.state === 'unknown')
      return undefined;
    return cached.lookup;
  }

  /** The key to seal `kid`'s new data with, made now if there is none; erased keys are never remade. */
  async forWriting(kid: string): Promise<KeyLookup> {
    const found = await this.forReading(kid);
    if (found.state !== 'unknown') return found;
    return this.load(`make:${kid}`, kid, async () =>
      this.lookupOf(kid, await this.store.keep(kid, wrapKey(this.master, kid, newDataKey()))),
    );
  }

  /**
   * The key `kid` as last seen, or as the store has it now when `fresh` (a
   * key remembered as unknown may have been made since by another process).
   */
  async forReading(kid: string, fresh = false): Promise<KeyLookup> {
    const cached = this.cache.get(kid);
    if (cached && cached.until > this.now() && !(fresh && cached.lookup.state === 'unknown')) {
      return cached.lookup;
    }
    return this.load(`find:${kid}`, kid, async () => {
      const stored = await this.store.find(kid);
      return stored ? this.lookupOf(kid, stored) : { state: 'unknown' };
    });
  }

  /** Destroys `kid` in the store: everything sealed with it reads as erased from now on. */
  async destroy(kid: string): Promise<void> {
    await this.store.destroy(kid, new Date(this.now()));
    this.remember(kid, { state: 'erased' });
  }

  /** Drops what is held in memory of `kid`: it was destroyed elsewhere. */
  forget(kid: string): void {
    this.cache.delete(kid);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  /** One store round trip per key and purpose at a time, however many want it at once. */
  private load(task: string, kid: string, read: () => Promise<KeyLookup>): Promise<KeyLookup> {
    let pending = this.loading.get(task);
    if (!pending) {
      pending = read()
        .then((lookup) => {
          this.remember(kid, lookup);
          return lookup;
        })
        .finally(() => this.loading.delete(task));
      this.loading.set(task, pending);
    }
    return pending;
  }

  private lookupOf(kid: string, stored: StoredKey): KeyLookup {
    if (stored.wrapped === undefined) return { state: 'erased' };
    return { state: 'live', key: unwrapKey(this.master, kid, stored.wrapped) };
  }

  private remember(kid: string, lookup: KeyLookup): void {
    // A read that started before the key was destroyed must not bring it back.
    if (this.cache.get(kid)?.lookup.state === 'erased') return;
    const until = lookup.state === 'erased' ? Infinity : this.now() + this.ttlMs;
    this.cache.set(kid, { lookup, until });
  }
}

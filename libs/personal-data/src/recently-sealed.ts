import { LRUCache } from 'lru-cache';
import type { SealedField } from './sealing';

const DEFAULT_CAPACITY = 4096;
/** Long enough for the projections to read an event back; no longer than needed to hold the text. */
const KEPT_MS = 5000;

/**
 * The text of the fields this process sealed last: the projections read an
 * event back moments after it was appended, and would otherwise decrypt what
 * was encrypted a millisecond before. A field is known by its tag (short, and
 * as unique as the ciphertext it authenticates) and must match in IV,
 * ciphertext and key id too, so a stored field altered in any part
 * is never taken for one sealed here: it goes to the decryption, which
 * refuses it. An erased customer's fields are let go of at once.
 */
export class RecentlySealed {
  private readonly texts: LRUCache<string, { field: SealedField; text: string }>;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.texts = new LRUCache({ max: capacity, ttl: KEPT_MS });
  }

  remember(field: SealedField, text: string): void {
    this.texts.set(field.tag, { field, text });
  }

  /** The text `field` was sealed from here, or undefined. */
  textOf(field: SealedField): string | undefined {
    const known = this.texts.get(field.tag);
    if (known === undefined) return undefined;
    const { iv, ct, kid } = known.field;
    return iv === field.iv && ct === field.ct && kid === field.kid ? known.text : undefined;
  }

  forgetKey(kid: string): void {
    for (const [tag, { field }] of this.texts.entries()) {
      if (field.kid === kid) this.texts.delete(tag);
    }
  }
}

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * A personal field as the log stores it: AES-256-GCM under the data key
 * `kid`, with a fresh random IV per field. Self-describing, so a reader knows
 * what to decrypt and with which key.
 */
export interface SealedField {
  enc: 'v1';
  kid: string;
  iv: string;
  ct: string;
  tag: string;
}

/** A field written after its customer was erased: nothing was kept. */
export interface ErasedField {
  enc: 'erased';
  kid: string;
}

/** A field of an event written before fields were sealed, as the upcasters hand it on; never stored. */
export interface ClearField {
  enc: 'clear';
  text: string;
}

export type StoredField = SealedField | ErasedField;

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

/** A ciphertext that does not authenticate: altered, cut, or sealed under another key. */
export class UnsealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsealError';
  }
}

/**
 * Random IVs drawn from the CSPRNG a few thousand at a time: each call has a
 * fixed cost of the order of sealing a short field itself, paid once per
 * field otherwise.
 */
class IvPool {
  private pool = Buffer.alloc(0);
  private next = 0;

  take(): Buffer {
    if (this.next + IV_BYTES > this.pool.length) {
      this.pool = randomBytes(IV_BYTES * 4096);
      this.next = 0;
    }
    const iv = this.pool.subarray(this.next, this.next + IV_BYTES);
    this.next += IV_BYTES;
    return iv;
  }
}

const ivs = new IvPool();

function encrypt(key: Buffer, plaintext: Buffer | string, aad: string) {
  const iv = ivs.take();
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  // GCM is a stream mode: update gives the whole ciphertext, final nothing more.
  const ct =
    typeof plaintext === 'string' ? cipher.update(plaintext, 'utf8') : cipher.update(plaintext);
  cipher.final();
  return { iv, ct, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, iv: Buffer, ct: Buffer, tag: Buffer, aad: string): Buffer {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new UnsealError('the IV or the tag has the wrong length');
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new UnsealError('the ciphertext does not authenticate');
  }
}

// The key id is bound into every ciphertext: a field cannot be moved under
// another customer's key id, nor a wrapped key under another id.
const fieldAad = (kid: string) => `field:${kid}`;
const wrapAad = (kid: string) => `data-key:${kid}`;

export function sealText(key: Buffer, kid: string, text: string): SealedField {
  const { iv, ct, tag } = encrypt(key, text, fieldAad(kid));
  return {
    enc: 'v1',
    kid,
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: tag.toString('base64'),
  };
}

export function unsealText(key: Buffer, field: SealedField): string {
  const from = (text: string) => Buffer.from(text, 'base64');
  return decrypt(
    key,
    from(field.iv),
    from(field.ct),
    from(field.tag),
    fieldAad(field.kid),
  ).toString('utf8');
}

/** `v1.<iv>.<tag>.<ciphertext>`, base64: a data key under the master key. */
export function wrapKey(master: Buffer, kid: string, dataKey: Buffer): string {
  const { iv, ct, tag } = encrypt(master, dataKey, wrapAad(kid));
  return ['v1', iv, tag, ct].map((part) => part.toString('base64')).join('.');
}

export function unwrapKey(master: Buffer, kid: string, wrapped: string): Buffer {
  const [version, iv, tag, ct] = wrapped.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || ct === undefined) {
    throw new UnsealError('not a wrapped key');
  }
  const from = (text: string) => Buffer.from(text, 'base64');
  const key = decrypt(master, from(iv), from(ct), from(tag), wrapAad(kid));
  if (key.length !== KEY_BYTES) throw new UnsealError('the data key has the wrong length');
  return key;
}

export function newDataKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** Whether `value` is a field as the log stores it (sealed, or erased before it was written). */
export function isStoredField(value: unknown): value is StoredField {
  if (typeof value !== 'object' || value === null) return false;
  const field = value as Record<string, unknown>;
  if (typeof field.kid !== 'string') return false;
  if (field.enc === 'erased') return true;
  return (
    field.enc === 'v1' &&
    typeof field.iv === 'string' &&
    typeof field.ct === 'string' &&
    typeof field.tag === 'string'
  );
}

export function isClearField(value: unknown): value is ClearField {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as ClearField).enc === 'clear' &&
    typeof (value as ClearField).text === 'string'
  );
}

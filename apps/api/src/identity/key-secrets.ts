import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'esl_';
const SECRET_BYTES = 32;

/** A new key: 32 random bytes, base64url, behind a prefix that secret scanners can recognise. */
export function newApiKeySecret(): string {
  return API_KEY_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
}

/** A letter first: an id starting with `-` would read as an option on a command line. */
export function newKeyId(): string {
  return `k${randomBytes(9).toString('base64url')}`;
}

/**
 * SHA-256 without salt or stretching is enough for a secret of 256 random
 * bits: nobody can guess it, so there is nothing to slow down.
 */
export function hashSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

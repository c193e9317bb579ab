import { hash } from 'node:crypto';

/** What the chain binds of an event: its place in its stream, its type, and its data and metadata as stored. */
export interface ChainedContent {
  streamId: string;
  version: number;
  type: string;
  /** The event's data as stored: JSON text, byte for byte. */
  data: string;
  /** The event's metadata as stored, JSON text, without the chain's own fields. */
  metadata: string;
}

/** The hash before the first event: what the first event is chained to. */
export const GENESIS_HASH = '0'.repeat(64);

const HASH = /^[0-9a-f]{64}$/;

/** Whether `value` is written like a chain hash: 64 lowercase hexadecimal digits. */
export function isChainHash(value: unknown): value is string {
  return typeof value === 'string' && HASH.test(value);
}

/**
 * One field as a netstring: its UTF-8 length in decimal, a colon, its bytes,
 * a comma. Lengths make the concatenation unambiguous whatever the fields
 * hold, with no escaping rules to agree on.
 */
export function netstring(field: string): string {
  return `${Buffer.byteLength(field, 'utf8')}:${field},`;
}

/**
 * SHA-256, in lowercase hex, of the netstrings of `prev`, the stream id, the
 * version in decimal, the type, the data and the metadata, in that order
 * (docs/audit.md). Each event's hash covers its predecessor's, so an event
 * cannot be edited, removed, inserted or moved without every later hash
 * changing.
 */
export function eventHash(prev: string, event: ChainedContent): string {
  // One-shot `hash` rather than createHash: a verification hashes a million events.
  return hash(
    'sha256',
    netstring(prev) +
      netstring(event.streamId) +
      netstring(String(event.version)) +
      netstring(event.type) +
      netstring(event.data) +
      netstring(event.metadata),
    'hex',
  );
}

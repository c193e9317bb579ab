/** Bits of a change's index in a sort key; the rest of the 53 hold the id's first characters. */
const INDEX_BITS = 17;
const KEY_CHARACTERS = 5;

/**
 * The changes roughly in id order, which is all the index pages need, at the
 * price of a numeric sort: each sort key packs the first characters of the id
 * (7 bits each) above the change's index, so a typed array sorts them natively
 * instead of calling a comparator a million times over a long catch-up.
 * Equal prefixes keep the order the changes came in, so a later change to the
 * same id still comes later.
 */
export function inKeyOrder<T extends { id: string }>(changes: readonly T[]): readonly T[] {
  if (changes.length < 2 || changes.length >= 2 ** INDEX_BITS) return changes;
  const keys = new Float64Array(changes.length);
  for (let index = 0; index < changes.length; index++) {
    const id = changes[index]!.id;
    let prefix = 0;
    for (let at = 0; at < KEY_CHARACTERS; at++) {
      prefix = prefix * 128 + (at < id.length ? Math.min(id.charCodeAt(at), 127) : 0);
    }
    keys[index] = prefix * 2 ** INDEX_BITS + index;
  }
  keys.sort();
  return Array.from(keys, (key) => changes[key % 2 ** INDEX_BITS]!);
}

/**
 * mulberry32: a small, fast 32-bit PRNG. The same seed gives the same
 * sequence on every machine and Node version, which is all a data set needs.
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws from one seeded stream: the helpers a simulation needs. */
export class Random {
  constructor(seed) {
    this.next = mulberry32(seed);
  }

  chance(probability) {
    return this.next() < probability;
  }

  int(min, max) {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick(items) {
    return items[Math.floor(this.next() * items.length)];
  }

  /** `table` is `[[value, weight], ...]`. */
  weighted(table) {
    let total = 0;
    for (const [, weight] of table) total += weight;
    let at = this.next() * total;
    for (const [value, weight] of table) {
      at -= weight;
      if (at < 0) return value;
    }
    return table[table.length - 1][0];
  }

  /** An exponentially distributed duration with the given mean. */
  exponential(mean) {
    return -Math.log(1 - this.next()) * mean;
  }

  /** A version-4 UUID made of this stream's bits, so ids repeat with the seed. */
  uuid() {
    const hex = [];
    for (let i = 0; i < 4; i++) {
      hex.push(((this.next() * 4294967296) >>> 0).toString(16).padStart(8, '0'));
    }
    const h = hex.join('');
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

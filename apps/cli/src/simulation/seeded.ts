import { createHash } from 'node:crypto';

function digest(parts: readonly (string | number)[]): Buffer {
  return createHash('sha256').update(parts.join('/')).digest();
}

/**
 * A UUID made from `parts` (the seed first), so the same seed names the same
 * tickets and events on every run. Version 8, the RFC 9562 version for ids
 * made by an application's own rule.
 */
export function seededUuid(...parts: (string | number)[]): string {
  const bytes = digest(parts).subarray(0, 16);
  bytes.writeUInt8((bytes.readUInt8(6) & 0x0f) | 0x80, 6);
  bytes.writeUInt8((bytes.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Random draws from a stream named by `parts` (sfc32, seeded by their
 * SHA-256): each ticket draws from its own stream, so what happens to one
 * ticket does not depend on how many draws the others made.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(...parts: (string | number)[]) {
    const seed = digest(parts);
    this.a = seed.readUInt32LE(0);
    this.b = seed.readUInt32LE(4);
    this.c = seed.readUInt32LE(8);
    this.d = seed.readUInt32LE(12);
  }

  /** In [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** In [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** A whole number from `low` to `high`, both included. */
  upTo(low: number, high: number): number {
    return low + Math.floor(this.next() * (high - low + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('There is nothing to pick from');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** One of the values, each as likely as its weight. */
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const total = table.reduce((sum, [, weight]) => sum + weight, 0);
    let left = this.next() * total;
    for (const [value, weight] of table) {
      left -= weight;
      if (left < 0) return value;
    }
    const last = table.at(-1);
    if (!last) throw new RangeError('There is nothing to choose from');
    return last[0];
  }

  /** How many successes in a row, each with `probability`, at most `cap`. */
  run(probability: number, cap: number): number {
    let count = 0;
    while (count < cap && this.chance(probability)) count++;
    return count;
  }
}

import type { ExpectedVersion } from './event-store';

export function assertExpectedVersion(expected: ExpectedVersion): void {
  if (expected === 'any' || expected === 'no_stream') return;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`Expected version must be 'any', 'no_stream' or a count, got ${expected}`);
  }
}

/** Whether a stream holding `actual` events meets `expected`. */
export function satisfies(expected: ExpectedVersion, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === 0;
  return expected === actual;
}

export function assertReadLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0) {
    throw new RangeError(`A read's limit must be a non-negative integer, got ${limit}`);
  }
}

export function assertStreamVersion(version: number): void {
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new RangeError(`A stream version is a non-negative integer, got ${version}`);
  }
}

import { InvalidPositionError } from '../event-store';

/** An EventStoreDB position in `$all`: a commit and a prepare position in its transaction log. */
export interface LogPosition {
  commit: bigint;
  prepare: bigint;
}

/** Written `<commit>/<prepare>`, both plain decimals: no sign, no leading zeros. */
const FORMAT = /^(0|[1-9]\d{0,19})\/(0|[1-9]\d{0,19})$/;
const MAX_UINT64 = 2n ** 64n - 1n;

export function formatEsdbPosition({ commit, prepare }: LogPosition): string {
  return `${commit}/${prepare}`;
}

export function parseEsdbPosition(position: string): LogPosition {
  const match = typeof position === 'string' ? FORMAT.exec(position) : null;
  const [, commitDigits, prepareDigits] = match ?? [];
  if (commitDigits === undefined || prepareDigits === undefined) {
    throw new InvalidPositionError(position);
  }
  const commit = BigInt(commitDigits);
  const prepare = BigInt(prepareDigits);
  if (commit > MAX_UINT64 || prepare > MAX_UINT64) throw new InvalidPositionError(position);
  return { commit, prepare };
}

export function isValidEsdbPosition(position: string): boolean {
  try {
    parseEsdbPosition(position);
    return true;
  } catch {
    return false;
  }
}

/** Log order: by commit position, then by prepare position within one commit. */
export function compareLogPositions(a: LogPosition, b: LogPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

export function compareEsdbPositions(a: string, b: string): number {
  return compareLogPositions(parseEsdbPosition(a), parseEsdbPosition(b));
}

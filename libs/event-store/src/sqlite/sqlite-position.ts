import { InvalidPositionError } from '../event-store';

const DECIMAL = /^(0|[1-9]\d{0,15})$/;

/** A SQLite position is the rowid written as a plain decimal: no sign, no leading zeros. */
export function isValidSqlitePosition(position: string): boolean {
  return (
    typeof position === 'string' && DECIMAL.test(position) && Number.isSafeInteger(Number(position))
  );
}

export function parseSqlitePosition(position: string): number {
  if (!isValidSqlitePosition(position)) throw new InvalidPositionError(position);
  return Number(position);
}

export function compareSqlitePositions(a: string, b: string): number {
  const left = parseSqlitePosition(a);
  const right = parseSqlitePosition(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

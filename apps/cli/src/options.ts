import { InvalidArgumentError } from 'commander';
import { isISO8601 } from 'class-validator';

/** An option's parser: a whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number) {
  return (text: string): number => {
    const value = Number(text);
    if (!/^\d{1,16}$/.test(text) || value < min || value > max) {
      throw new InvalidArgumentError(`Expected a whole number from ${min} to ${max}`);
    }
    return value;
  };
}

/** An option's parser: an ISO 8601 instant (the API's rule for `from`, `to`, `asOf`), in canonical UTC. */
export function isoInstant(text: string): string {
  if (!isISO8601(text, { strict: true, strictSeparator: true })) {
    throw new InvalidArgumentError('Expected an ISO 8601 instant, such as 2026-01-05T09:00:00Z');
  }
  return new Date(Date.parse(text)).toISOString();
}

/** Writes to stdout, waiting when the reader is slower than the writer. */
export async function print(text: string): Promise<void> {
  if (!process.stdout.write(text)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

/** Columns padded to their widest cell, for people; `--json` is for programs. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = (rows[0] ?? []).map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n');
}

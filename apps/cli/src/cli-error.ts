import { ConfigError } from '@ledger/runtime';
import { DomainError, InvalidInputError } from '@ledger/domain';
import { CommanderError } from 'commander';

/** How the command line ends: 0 done, 1 refused or failed, 2 asked for wrongly. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The command was asked for wrongly: an unknown name, a malformed option. Exits 2. */
export class UsageError extends Error {
  readonly exitCode = EXIT.usage;
}

/** The command could not do what it was asked: exits 1 with this message. */
export class CliError extends Error {
  readonly exitCode = EXIT.failed;
}

/** The one line a failure is told in, and the exit code it ends with. */
export function describeFailure(error: unknown): { line: string; exitCode: number } {
  if (error instanceof UsageError || error instanceof CliError) {
    return { line: firstLine(error.message), exitCode: error.exitCode };
  }
  if (error instanceof CommanderError) {
    return { line: firstLine(error.message.replace(/^error: /, '')), exitCode: EXIT.usage };
  }
  if (error instanceof ConfigError) {
    return { line: `Configuration error: ${firstLine(error.message)}`, exitCode: EXIT.failed };
  }
  if (error instanceof InvalidInputError) {
    return { line: `${error.code}: ${firstLine(error.message)}`, exitCode: EXIT.usage };
  }
  if (error instanceof DomainError) {
    return { line: `${error.code}: ${firstLine(error.message)}`, exitCode: EXIT.failed };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { line: firstLine(message) || 'failed', exitCode: EXIT.failed };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { describeFailure, EXIT } from './cli-error';
import { registerBackup } from './commands/backup.command';
import { registerExportEvents } from './commands/export-events.command';
import { registerExportKpis } from './commands/export-kpis.command';
import { registerKeys } from './commands/keys.command';
import { registerRebuild } from './commands/rebuild.command';
import { registerReplay } from './commands/replay.command';
import { registerReview } from './commands/review.command';
import { registerRestore } from './commands/restore.command';
import { registerSimulate } from './commands/simulate.command';
import { registerStatus } from './commands/status.command';
import { registerVerify } from './commands/verify.command';

/**
 * `ledger`: the operators', auditors' and analysts' command line, on the
 * stores the API is configured with (DATA_DIR, EVENT_STORE, READ_STORE and
 * the servers' URLs), whether the API runs or not.
 */
function program(): Command {
  const ledger = new Command('ledger')
    .description(
      'Escalation Ledger from the command line: the stores of DATA_DIR (or the configured servers)',
    )
    // Failures are told in one line by `main`; help still goes to stdout. The
    // commands made below inherit both settings.
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
  registerSimulate(ledger);
  registerReplay(ledger);
  registerRebuild(ledger);
  const exportCommand = ledger
    .command('export')
    .description('the log as NDJSON, the KPIs as CSV or JSON');
  registerExportEvents(exportCommand);
  registerExportKpis(exportCommand);
  registerBackup(ledger);
  registerRestore(ledger);
  registerStatus(ledger);
  registerVerify(ledger);
  registerReview(ledger);
  registerKeys(ledger);
  return ledger;
}

/** `ledger`, `ledger keys`: the commands that could follow, in one line. */
function missingCommand(ledger: Command, argv: readonly string[]): string {
  const group = ledger.commands.find((command) => argv.includes(command.name()));
  const of = group ?? ledger;
  const names = of.commands.map((command) => command.name()).filter((name) => name !== 'help');
  const which = `${names.join(', ')} (--help tells more)`;
  return group ? `${group.name()} needs a command: ${which}` : `a command is needed: ${which}`;
}

async function main(argv: string[]): Promise<number> {
  const ledger = program();
  try {
    await ledger.parseAsync(argv);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return EXIT.ok;
    const failure =
      error instanceof CommanderError && error.code === 'commander.help'
        ? { line: missingCommand(ledger, argv.slice(2)), exitCode: EXIT.usage }
        : describeFailure(error);
    process.stderr.write(`ledger: ${failure.line}\n`);
    return failure.exitCode;
  }
}

// A failure outside any command's await still ends in one line, never a stack trace.
process.on('unhandledRejection', (error) => {
  process.stderr.write(`ledger: ${describeFailure(error).line}\n`);
  process.exit(EXIT.failed);
});

// A reader that stops early (`| head`) is not a failure of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
});

void main(process.argv).then((code) => {
  // Exits once stdout has taken everything written to it.
  process.stdout.write('', () => process.exit(code));
});

import type { Command } from 'commander';
import { UsageError } from '../cli-error';
import { withStores } from '../cli-stores';
import { isoInstant, print, wholeNumber } from '../options';
import { progress } from '../progress';
import { HEAD_OFF_MS, simulate, type SimulationReport } from '../simulation/simulation';

interface SimulateOptions {
  tickets: number;
  seed: number;
  days: number;
  agents: number;
  end?: string;
}

/** Not past the present: the SLA clock of an API started on the log must agree with it. */
function endOf(option: string | undefined): number {
  const now = Date.now();
  if (option === undefined) return now;
  const end = Date.parse(option);
  if (end > now + 1000)
    throw new UsageError(
      `--end ${option} is in the future: the simulated period ends at the present at the latest`,
    );
  return end;
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(1)} %`;
}

function summary(report: SimulationReport, seed: number): string {
  const count = (type: string) => report.events[type] ?? 0;
  const rate =
    report.seconds > 0 ? Math.round(report.eventCount / report.seconds) : report.eventCount;
  return [
    `Simulated ${report.tickets} tickets and ${report.agents} agents from ${report.start} to ${report.end} (seed ${seed}):`,
    `  ${report.eventCount} events in ${report.seconds.toFixed(1)} s (${rate} events/s)`,
    `  escalated ${percent(report.escalated, report.tickets)} of the tickets (${count('TicketEscalated')} escalations, ${report.autoEscalations} by the SLA clock)`,
    `  SLA warnings ${count('SlaWarning')}, breaches ${count('SlaBreached')}; feedback ${count('FeedbackReceived')}; reopened ${count('TicketReopened')}`,
    `  open at the end: ${report.openAtEnd} tickets, none with an SLA mark due in the ${HEAD_OFF_MS / 60_000} minutes after it`,
    ...(report.refused > 0
      ? [
          `  refused: ${report.refused} commands (the log changed under the simulation), first: ${report.firstRefusal}`,
        ]
      : []),
  ].join('\n');
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'realistic support traffic through the deciders and the command path into the configured log',
    )
    .requiredOption('--tickets <n>', 'tickets opened over the period', wholeNumber(1, 1_000_000))
    .option(
      '--seed <s>',
      'the same seed (and --end) gives the same log',
      wholeNumber(0, 2 ** 32 - 1),
      1,
    )
    .option('--days <d>', 'length of the simulated period, ending now', wholeNumber(1, 3650), 30)
    .option('--agents <k>', 'agents over the four tiers (4 at least)', wholeNumber(4, 10_000), 24)
    .option(
      '--end <instant>',
      'end the period at this ISO instant rather than now (not later)',
      isoInstant,
    )
    .action(async (options: SimulateOptions) => {
      const end = endOf(options.end);
      const bar = progress('simulate', 'tickets', options.tickets);
      const report = await withStores({}, (stores, config) =>
        simulate(stores, config, { ...options, end }, (started) => bar.update(started)),
      ).finally(() => bar.stop());
      await print(`${summary(report, options.seed)}\n`);
    });
}

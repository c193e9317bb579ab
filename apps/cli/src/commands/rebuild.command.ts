import type { Command } from 'commander';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { EventStore, ReadAllOptions, RecordedEvent } from '@ledger/event-store';
import {
  ALL_PROJECTIONS,
  ProjectionRunner,
  projectionLease,
  shareFolds,
  SharedBatches,
  type BatchReader,
} from '@ledger/projections';
import {
  isProjectionName,
  PROJECTION_NAMES,
  type ProjectionName,
  type ReadStore,
} from '@ledger/read-store';
import { CliError, UsageError } from '../cli-error';
import { withStores } from '../cli-stores';
import { print } from '../options';
import { progress } from '../progress';

/** As the projectors' leases: another holder may take one 5 s after it was last renewed. */
const LEASE_TTL_MS = 5_000;
const RENEW_EVERY_MS = 1_000;

/** Counts the events read, each once however many runners share it: the rebuild's progress. */
class CountingReader implements BatchReader {
  count = 0;
  private furthest: string | undefined;

  constructor(private readonly events: EventStore) {}

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    const batch = await this.events.readAll(options);
    for (const event of batch) {
      if (
        this.furthest === undefined ||
        this.events.comparePositions(event.position, this.furthest) > 0
      ) {
        this.furthest = event.position;
        this.count++;
      }
    }
    return batch;
  }
}

export interface RebuildReport {
  rebuilt: { name: ProjectionName; position: string | null }[];
  events: number;
  seconds: number;
}

/** The read models' leases, held by this process for the rebuild, so no projector writes them meanwhile. */
class RebuildLeases {
  private timer: NodeJS.Timeout | undefined;
  private readonly held: ProjectionName[] = [];

  constructor(
    private readonly readStore: ReadStore,
    private readonly holder: string,
  ) {}

  async claim(names: readonly ProjectionName[]): Promise<void> {
    for (const name of names) {
      if (!(await this.readStore.claimLease(projectionLease(name), this.holder, LEASE_TTL_MS))) {
        await this.release();
        throw new CliError(
          `${name} is written by another process (a projector holds its lease ${projectionLease(name)}, or a rebuild stopped less than ${LEASE_TTL_MS / 1000} s ago): stop the projectors, rebuild, then start them again`,
        );
      }
      this.held.push(name);
    }
    // A renewal that fails leaves the lease to lapse: the rebuild's commits, which check it, then fail.
    this.timer = setInterval(() => {
      for (const name of this.held) {
        void this.readStore
          .claimLease(projectionLease(name), this.holder, LEASE_TTL_MS)
          .catch(() => undefined);
      }
    }, RENEW_EVERY_MS);
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    for (const name of this.held.splice(0)) {
      await this.readStore.releaseLease(projectionLease(name), this.holder).catch(() => undefined);
    }
  }
}

/**
 * Rebuilds the named read models with the projection runners, side by side
 * and reading the log once between them, under their leases: each fills a
 * new generation while the current one serves, and swaps it in at the head.
 */
export async function rebuildReadModels(
  events: EventStore,
  readStore: ReadStore,
  names: readonly ProjectionName[],
): Promise<RebuildReport> {
  const holder = `ledger-cli/${hostname()}/${process.pid}`;
  const leases = new RebuildLeases(readStore, holder);
  await leases.claim(names);
  for (const name of names) {
    if ((await readStore.registration(name)).building) {
      await leases.release();
      throw new CliError(
        `${name} is being rebuilt already (a new generation of it is being filled): wait for that rebuild, or restart the process that left it`,
      );
    }
  }

  const counter = new CountingReader(events);
  const batches = new SharedBatches(counter);
  const unsubscribe = events.onAppended(() => batches.appended());
  const failures = new Map<ProjectionName, unknown>();
  const runners = shareFolds(ALL_PROJECTIONS.filter((p) => names.includes(p.name))).map(
    (projection) =>
      new ProjectionRunner(events, readStore, projection, {
        reader: batches,
        leaseHolder: holder,
        onError: (name, error) => failures.set(name, error),
      }),
  );
  const bar = progress('rebuild', 'events');
  const ticker = setInterval(() => bar.update(counter.count), 200);
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    void Promise.all(runners.map((runner) => runner.stop()));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const started = performance.now();
  try {
    for (const runner of runners) runner.startRebuild();
    await Promise.all(runners.map((runner) => runner.rebuilt()));
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(runners.map((runner) => runner.stop()));
    if (interrupted) throw new CliError('interrupted: the read models were left as they were');
    const [failed] = failures;
    if (failed) {
      const [name, error] = failed;
      throw new CliError(`${name} could not be rebuilt: ${(error as Error).message ?? error}`);
    }
    return {
      rebuilt: runners.map((runner) => ({ name: runner.name, position: runner.position ?? null })),
      events: counter.count,
      seconds,
    };
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
    clearInterval(ticker);
    bar.stop();
    unsubscribe();
    await Promise.all(runners.map((runner) => runner.stop()));
    // A generation left half-filled (a failure, an interruption) is this rebuild's: the lease kept others out.
    for (const name of names) {
      const { building } = await readStore.registration(name);
      if (building)
        await readStore.discardGeneration(name, building.generation).catch(() => undefined);
    }
    await leases.release();
  }
}

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .description('rebuilds read models from the log, under their leases, while the API serves')
    .argument('[projection]', PROJECTION_NAMES.join(', '))
    .option('--all', 'every read model')
    .action(async (name: string | undefined, options: { all?: boolean }) => {
      if ((name === undefined) === !options.all) {
        throw new UsageError(`name one projection or --all: ${PROJECTION_NAMES.join(', ')}`);
      }
      if (name !== undefined && !isProjectionName(name)) {
        throw new UsageError(`unknown projection ${name}: ${PROJECTION_NAMES.join(', ')}`);
      }
      const names = name !== undefined ? [name] : [...PROJECTION_NAMES];
      const report = await withStores({ existing: true }, ({ events, readStore }) =>
        rebuildReadModels(events, readStore, names),
      );
      const rate = report.seconds > 0 ? Math.round(report.events / report.seconds) : report.events;
      const lines = report.rebuilt.map(
        (model) => `rebuilt ${model.name} up to position ${model.position ?? '-'}`,
      );
      lines.push(`${report.events} events in ${report.seconds.toFixed(2)} s: ${rate} events/s`);
      await print(`${lines.join('\n')}\n`);
    });
}

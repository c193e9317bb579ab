import { LeasedProjections } from '@ledger/projections';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  batchSpans,
  exitOnStartupError,
  loadConfig,
  openStores,
  startTracing,
  TRACER_NAME,
} from '@ledger/runtime';

/**
 * The projections as a process of their own (run the API with
 * PROJECTIONS=off). Several may run against the same stores: a lease per read
 * model makes exactly one of them write it, and another takes over within
 * seconds when that one dies.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const { events, readStore, personalData } = await openStores(config);
  const holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const log = (line: string) => console.log(`[projector ${holder}] ${line}`);
  const tracing = startTracing(config, 'escalation-ledger-projector');
  const projections = new LeasedProjections(events, readStore, {
    holder,
    ...(tracing && { observer: batchSpans(tracing.getTracer(TRACER_NAME)) }),
    onLeaseChange: (name, held) => log(`${held ? 'writes' : 'no longer writes'} ${name}`),
    onError: (name, error) =>
      console.error(
        `[projector ${holder}] ${name}: ${error instanceof Error ? error.message : String(error)}`,
      ),
  });
  await projections.start();
  log(`personal data keys wrapped by the master key from ${personalData.masterKeyOrigin}`);
  log('running');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await projections.stop();
    await events.close();
    await readStore.close();
    await tracing?.shutdown();
    log('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch(exitOnStartupError);

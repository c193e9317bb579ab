import { ProjectionDaemon } from '@ledger/projections';
import {
  batchSpans,
  exitOnStartupError,
  loadConfig,
  openStores,
  startTracing,
  TRACER_NAME,
} from '@ledger/runtime';
import { InProcessProjections } from '../in-process-projections';
import { NudgedEventStore } from './nudged-event-store';
import type { FromWorker, ToWorker, WorkerRequest } from './worker-messages';

const log = (line: string) => console.error(`[projection worker ${process.pid}] ${line}`);

function send(message: FromWorker): void {
  process.send?.(message);
}

/**
 * The API's read-model projections in a process of their own (PROJECTIONS=
 * worker), started by the API with its environment and kept alive by it:
 * the request thread then only authenticates, decides and appends. It stops
 * when the API asks, or when the API is gone (its channel closes).
 */
async function main(): Promise<void> {
  if (!process.send) throw new Error('The projection worker is started by the API, not alone');
  const config = loadConfig();
  const stores = await openStores(config);
  const events = new NudgedEventStore(stores.events);
  const tracing = startTracing(config, 'escalation-ledger-projection-worker');
  const projections = new InProcessProjections(
    new ProjectionDaemon(events, stores.readStore, {
      ...(tracing && { observer: batchSpans(tracing.getTracer(TRACER_NAME)) }),
      onError: (name, error) =>
        log(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    }),
  );

  const answer = (request: WorkerRequest): Promise<unknown> => {
    switch (request.method) {
      case 'report':
        return projections.report();
      case 'waitFor':
        return projections.waitFor(request.name, request.position, request.timeoutMs);
      case 'startRebuild':
        return projections.startRebuild(request.name);
    }
  };

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await projections.stop();
      await stores.events.close();
      await stores.readStore.close();
      await tracing?.shutdown();
      process.exit(0);
    })());

  process.on('message', (message: ToWorker) => {
    if (message.method === 'appended') return events.nudge();
    if (message.method === 'stop') return void stop();
    answer(message).then(
      (result) => send({ kind: 'answer', id: message.id, result }),
      (error: unknown) => log(`${message.method}: ${String(error)}`),
    );
  });
  process.once('disconnect', () => void stop());
  // The API stops its worker itself; a signal to the whole group must not cut it short.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void stop());

  await projections.start();
  send({ kind: 'ready' });
}

main().catch(exitOnStartupError);

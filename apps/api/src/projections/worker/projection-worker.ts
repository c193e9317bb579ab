import 'reflect-metadata';
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  exitOnStartupError,
  loadConfig,
  openStores,
  startTracing,
  TRACER_NAME,
} from '@ledger/runtime';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { createLogger } from '../../observability/logging';
import { Metrics } from '../../observability/metrics';
import { ReadModelProjections } from '../read-model-projections';
import { NudgedEventStore } from './nudged-event-store';
import { ProjectionWorkerModule } from './projection-worker.module';
import type { FromWorker, ToWorker, WorkerRequest } from './worker-messages';

function send(message: FromWorker): void {
  process.send?.(message);
}

function answer(app: INestApplicationContext, request: WorkerRequest): Promise<unknown> {
  const projections = app.get(ReadModelProjections);
  switch (request.method) {
    case 'metrics':
      return app.get(Metrics).ledgerMetrics();
    case 'report':
      return projections.report();
    case 'waitFor':
      return projections.waitFor(request.name, request.position, request.timeoutMs);
    case 'startRebuild':
      return projections.startRebuild(request.name);
  }
}

/**
 * The API's read-model projections and its automation in a process of their
 * own (PROJECTIONS=worker), started by the API with its environment and kept
 * alive by it: the API's request thread then only authenticates, decides and
 * appends. It stops when the API asks, or when the API is gone (its channel
 * closes).
 */
async function main(): Promise<void> {
  if (!process.send) throw new Error('The projection worker is started by the API, not alone');
  process.umask(0o077);
  const config = loadConfig();
  const log = new Logger('ProjectionWorker');
  /** What is up so far: messages may come at any point of the start. */
  const up: {
    events?: NudgedEventStore;
    /** The application, once it has caught up and answers. */
    app?: INestApplicationContext;
  } = {};
  let stopping: Promise<void> | undefined;
  // Before it is up, there is nothing to close: what it appended is committed already.
  const stop = () =>
    (stopping ??= (up.app?.close() ?? Promise.resolve()).then(() => process.exit(0)));

  let go: () => void = () => undefined;
  const told = new Promise<void>((resolve) => (go = resolve));
  process.on('message', (message: ToWorker) => {
    if (message.method === 'start') return go();
    if (message.method === 'stop') return void stop();
    if (message.method === 'appended') return up.events?.nudge();
    const app = up.app;
    if (!app) return;
    const { id } = message;
    Promise.resolve()
      .then(() => answer(app, message))
      .then(
        (result) => send({ kind: 'answer', id, result }),
        (error: unknown) => {
          log.error(`${message.method}: ${String(error)}`);
          send({ kind: 'answer', id, error: String(error) });
        },
      );
  });
  // The API is gone: a successor may start at once, so nothing more is written,
  // not even a batch held for its commit; it is read again from the checkpoints.
  process.once('disconnect', () => process.exit(1));
  // The API stops its worker itself, after its own requests: a signal to the
  // whole group (Ctrl-C, a service manager's stop) must not cut it short, nor
  // make the API, still draining, take its exit for a crash and start another.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => undefined);

  // The API may start this process before its own stores are open (and made, on a first start).
  await told;
  const stores = await openStores(config);
  const events = new NudgedEventStore(stores.events);
  up.events = events;
  const tracing = startTracing(config, 'escalation-ledger-projection-worker');
  const app = await NestFactory.createApplicationContext(
    ProjectionWorkerModule.forRoot({
      config,
      stores: { ...stores, events },
      observability: {
        logger: createLogger(config.operations.logLevel),
        tracer: tracing?.getTracer(TRACER_NAME),
        stopTracing: () => tracing?.shutdown(),
      },
    }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoNestLogger));
  Logger.flush();
  up.app = app;
  send({ kind: 'ready' });
}

main().catch(exitOnStartupError);

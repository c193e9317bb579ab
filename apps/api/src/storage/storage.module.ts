import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type FactoryProvider,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { BATCH_OBSERVER, ProjectionDaemon, type BatchObserver } from '@ledger/projections';
import { READ_STORE, type ReadStore } from '@ledger/read-store';
import { APP_CONFIG, PERSONAL_DATA, type AppConfig, type Stores } from '@ledger/runtime';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '../idempotency/idempotency-store';
import { InProcessProjections } from '../projections/in-process-projections';
import { ReadModelProjections } from '../projections/read-model-projections';
import { WORKER_ENTRY } from '../projections/worker/fork-worker';
import { WorkerProjections } from '../projections/worker/worker-projections';
import type { ChildProcess } from 'node:child_process';
import { openIdempotencyStore } from '../idempotency/open-idempotency-store';
import { CLOCK, systemClock, type Clock } from './clock';

/** Catches the projections up before the server listens; closes everything in order on shutdown. */
@Injectable()
class StorageLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Optional() private readonly projections?: ReadModelProjections,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projections?.stop();
    await this.events.close();
    await this.readStore.close();
    await this.idempotency.close();
  }
}

/** The projections this process drives, as PROJECTIONS says: on its thread, in a worker process, or none. */
function projectionProviders(
  config: AppConfig,
  projectionWorker: ChildProcess | undefined,
): FactoryProvider[] {
  if (config.projections === 'worker') {
    return [
      {
        provide: ReadModelProjections,
        inject: [EVENT_STORE, READ_STORE],
        useFactory: (events: EventStore, readStore: ReadStore) =>
          new WorkerProjections(events, readStore, WORKER_ENTRY, projectionWorker),
      },
    ];
  }
  if (config.projections !== 'in-process') return [];
  const logger = new Logger('Projections');
  return [
    {
      provide: ProjectionDaemon,
      inject: [EVENT_STORE, READ_STORE, { token: BATCH_OBSERVER, optional: true }],
      useFactory: (events: EventStore, readStore: ReadStore, observer?: BatchObserver) =>
        new ProjectionDaemon(events, readStore, {
          observer,
          onError: (name, error) =>
            logger.error(
              `${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
            ),
        }),
    },
    {
      provide: ReadModelProjections,
      inject: [ProjectionDaemon],
      useFactory: (daemon: ProjectionDaemon) => new InProcessProjections(daemon),
    },
  ];
}

export interface StorageOptions {
  config: AppConfig;
  /** The log and the read models, opened (and their servers reached) before the application starts. */
  stores: Stores;
  clock?: Clock;
  /** With PROJECTIONS=worker: one forked before the application loaded (`forkProjectionWorker`), taken up as the first. */
  projectionWorker?: ChildProcess;
}

@Global()
@Module({})
export class StorageModule {
  static forRoot({
    config,
    stores,
    clock = systemClock,
    projectionWorker,
  }: StorageOptions): DynamicModule {
    const projections = projectionProviders(config, projectionWorker);
    return {
      module: StorageModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: EVENT_STORE, useValue: stores.events },
        { provide: READ_STORE, useValue: stores.readStore },
        { provide: PERSONAL_DATA, useValue: stores.personalData },
        { provide: IDEMPOTENCY_STORE, useFactory: () => openIdempotencyStore(config) },
        ...projections,
        StorageLifecycle,
      ],
      exports: [
        APP_CONFIG,
        CLOCK,
        EVENT_STORE,
        READ_STORE,
        PERSONAL_DATA,
        IDEMPOTENCY_STORE,
        ...projections.map((provider) => provider.provide),
      ],
    };
  }
}

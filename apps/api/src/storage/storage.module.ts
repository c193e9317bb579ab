import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { BATCH_OBSERVER, ProjectionDaemon, type BatchObserver } from '@ledger/projections';
import { READ_STORE, type ReadStore } from '@ledger/read-store';
import { APP_CONFIG, PERSONAL_DATA, type AppConfig, type Stores } from '@ledger/runtime';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '../idempotency/idempotency-store';
import { openIdempotencyStore } from '../idempotency/open-idempotency-store';
import { CLOCK, systemClock, type Clock } from './clock';

/** Catches the projections up before the server listens; closes everything in order on shutdown. */
@Injectable()
class StorageLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(IDEMPOTENCY_STORE) private readonly idempotency: IdempotencyStore,
    @Optional() private readonly daemon?: ProjectionDaemon,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.daemon?.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.daemon?.stop();
    await this.events.close();
    await this.readStore.close();
    await this.idempotency.close();
  }
}

export interface StorageOptions {
  config: AppConfig;
  /** The log and the read models, opened (and their servers reached) before the application starts. */
  stores: Stores;
  clock?: Clock;
}

@Global()
@Module({})
export class StorageModule {
  static forRoot({ config, stores, clock = systemClock }: StorageOptions): DynamicModule {
    const logger = new Logger('Projections');
    const daemon =
      config.projections === 'in-process'
        ? [
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
          ]
        : [];
    return {
      module: StorageModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CLOCK, useValue: clock },
        { provide: EVENT_STORE, useValue: stores.events },
        { provide: READ_STORE, useValue: stores.readStore },
        { provide: PERSONAL_DATA, useValue: stores.personalData },
        { provide: IDEMPOTENCY_STORE, useFactory: () => openIdempotencyStore(config) },
        ...daemon,
        StorageLifecycle,
      ],
      exports: [
        APP_CONFIG,
        CLOCK,
        EVENT_STORE,
        READ_STORE,
        PERSONAL_DATA,
        IDEMPOTENCY_STORE,
        ...daemon.map((d) => d.provide),
      ],
    };
  }
}

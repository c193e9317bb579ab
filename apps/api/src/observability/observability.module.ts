import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import type { Logger } from 'pino';
import { COMMAND_OBSERVER } from '../commands/command-observer';
import { loggerModule } from './logging';
import { Metrics } from './metrics';

export interface ObservabilityOptions {
  /** Where log lines go; none are written without one. */
  logger?: Logger;
}

/** The app's metrics, its logger, and the observer that feeds the metrics. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot({ logger }: ObservabilityOptions): DynamicModule {
    return {
      module: ObservabilityModule,
      imports: logger ? [loggerModule(logger)] : [],
      providers: [
        {
          provide: Metrics,
          inject: [EVENT_STORE],
          useFactory: (events: EventStore) => new Metrics(events),
        },
        {
          provide: COMMAND_OBSERVER,
          inject: [Metrics],
          useFactory: (metrics: Metrics) => metrics.commandObserver,
        },
      ],
      exports: [Metrics, COMMAND_OBSERVER],
    };
  }
}

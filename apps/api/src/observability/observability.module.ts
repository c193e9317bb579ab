import { Global, Module, type DynamicModule } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { COMMAND_OBSERVER } from '../commands/command-observer';
import { Metrics } from './metrics';

/** The app's metrics, and the observer that feeds them. */
@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(): DynamicModule {
    return {
      module: ObservabilityModule,
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
